namespace Flowhive.Shared.Flows;

/// <summary>
/// What classification learnt about a flow: names and strings ntopng shows. A separate reference type
/// so that the common case (nothing learnt) costs one null pointer in <see cref="FlowRecord"/>.
/// </summary>
public sealed class FlowMetadata
{
    /// <summary>nDPI-style "Master.App" name, e.g. "TLS.YouTube" (nProbe's L7_PROTO_NAME).</summary>
    public string? L7ProtoName { get; set; }

    /// <summary>Free-form info (nProbe L7_INFO): SNI, HTTP host or DNS query, whichever the protocol has.</summary>
    public string? L7Info { get; set; }

    public string? DnsQuery { get; set; }

    public string? HttpSite { get; set; }

    public string? HttpUrl { get; set; }

    public string? HttpMethod { get; set; }

    public ushort HttpReturnCode { get; set; }

    public string? HttpUserAgent { get; set; }

    public string? TlsServerName { get; set; }

    public string? Ja4Client { get; set; }

    public FlowMetadata Clone() => (FlowMetadata)MemberwiseClone();
}
