namespace Flowhive.Probe.Engine.Decode;

/// <summary>
/// The outcome of decoding one frame. Everything but <see cref="Ok"/> is counted by reason in
/// <see cref="DecodeCounters"/>; <see cref="NotIp"/> is normal traffic (ARP, LLDP, ...), the rest are malformed.
/// </summary>
public enum DecodeStatus : byte
{
    Ok = 0,
    NotIp,
    UnsupportedLinkType,
    TruncatedLinkHeader,
    TruncatedVlan,
    TruncatedMpls,
    TruncatedPppoe,
    TruncatedIpv4,
    BadIpv4Header,
    TruncatedIpv6,
    BadIpv6ExtensionHeader,
    BadIpVersion,
    TruncatedTcp,
    BadTcpHeader,
    TruncatedUdp,
    TruncatedIcmp,
    TruncatedTunnel,
    TooManyHeaders,
}

public static class DecodeStatuses
{
    public const int Count = (int)DecodeStatus.TooManyHeaders + 1;

    /// <summary>Stable names for counters in logs, statistics events and the API.</summary>
    public static string Name(DecodeStatus status) => status switch
    {
        DecodeStatus.Ok => "ok",
        DecodeStatus.NotIp => "not-ip",
        DecodeStatus.UnsupportedLinkType => "unsupported-link-type",
        DecodeStatus.TruncatedLinkHeader => "truncated-link-header",
        DecodeStatus.TruncatedVlan => "truncated-vlan",
        DecodeStatus.TruncatedMpls => "truncated-mpls",
        DecodeStatus.TruncatedPppoe => "truncated-pppoe",
        DecodeStatus.TruncatedIpv4 => "truncated-ipv4",
        DecodeStatus.BadIpv4Header => "bad-ipv4-header",
        DecodeStatus.TruncatedIpv6 => "truncated-ipv6",
        DecodeStatus.BadIpv6ExtensionHeader => "bad-ipv6-extension-header",
        DecodeStatus.BadIpVersion => "bad-ip-version",
        DecodeStatus.TruncatedTcp => "truncated-tcp",
        DecodeStatus.BadTcpHeader => "bad-tcp-header",
        DecodeStatus.TruncatedUdp => "truncated-udp",
        DecodeStatus.TruncatedIcmp => "truncated-icmp",
        DecodeStatus.TruncatedTunnel => "truncated-tunnel",
        DecodeStatus.TooManyHeaders => "too-many-headers",
        _ => "unknown",
    };
}
