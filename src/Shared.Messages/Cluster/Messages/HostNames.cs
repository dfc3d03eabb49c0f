namespace Flowhive.Shared.Cluster.Messages;

/// <summary>
/// The names a host was seen under, by source, as ntopng's host "names" lists them: <see cref="Resolved"/> from a DNS
/// response that answered with the host's address, <see cref="Dhcp"/>/<see cref="Mdns"/>/<see cref="Netbios"/> from
/// the name the host announced or asked for in such a flow, <see cref="Tls"/> and <see cref="Http"/> from the SNI and
/// HTTP Host its clients asked it for. A newer name replaces an older one of the same source.
/// </summary>
public readonly record struct HostNames(string? Resolved, string? Dhcp, string? Mdns, string? Netbios, string? Tls, string? Http)
{
    /// <summary>Longer names are not kept (a DNS name has at most 253 characters; longer is junk or an attack).</summary>
    public const int MaxLength = 255;

    public bool IsEmpty => this == default;

    /// <summary>The host's name as ntopng would show it: DNS first, then what the host calls itself, then what its clients asked for.</summary>
    public string? Best => Resolved ?? Dhcp ?? Mdns ?? Netbios ?? Tls ?? Http;

    /// <summary>These names, each replaced by <paramref name="newer"/>'s when it has one.</summary>
    public HostNames With(HostNames newer) => new(
        newer.Resolved ?? Resolved, newer.Dhcp ?? Dhcp, newer.Mdns ?? Mdns, newer.Netbios ?? Netbios, newer.Tls ?? Tls, newer.Http ?? Http);

    public static bool Fits(string? name) => name is { Length: > 0 and <= MaxLength };
}
