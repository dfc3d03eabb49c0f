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

    /// <summary>nDPI category name (e.g. "Web", "Video", "Network"), when classification set one.</summary>
    public string? CategoryName { get; set; }

    /// <summary>How the protocol was decided, nDPI's words: "DPI", "DPI (cache)", "Match by port", "Match by IP", "Unknown".</summary>
    public string? Confidence { get; set; }

    public ushort DnsQueryType { get; set; }

    public byte DnsReturnCode { get; set; }

    /// <summary>Addresses a DNS response gave for the query, comma-separated.</summary>
    public string? DnsAnswers { get; set; }

    public string? HttpContentType { get; set; }

    /// <summary>TLS version as a 16-bit code (0x0303 = TLS 1.2, 0x0304 = TLS 1.3).</summary>
    public ushort TlsVersion { get; set; }

    /// <summary>Cipher suite the server chose.</summary>
    public ushort TlsCipher { get; set; }

    /// <summary>ALPN values the client offered, comma-separated ("h2,http/1.1").</summary>
    public string? TlsAlpn { get; set; }

    public string? Ja3Client { get; set; }

    public string? Ja3Server { get; set; }

    public string? TlsCertificateSubject { get; set; }

    public string? TlsCertificateIssuer { get; set; }

    /// <summary>Certificate validity, seconds since the Unix epoch (0 when unknown).</summary>
    public long TlsNotBefore { get; set; }

    public long TlsNotAfter { get; set; }

    public bool TlsSelfSigned { get; set; }

    public uint QuicVersion { get; set; }

    public string? SshClientBanner { get; set; }

    public string? SshServerBanner { get; set; }

    public string? HasshClient { get; set; }

    public string? HasshServer { get; set; }

    /// <summary>BitTorrent info hash of the torrent the flow exchanges, 40 lowercase hex digits (nProbe's BITTORRENT_HASH).</summary>
    public string? BittorrentHash { get; set; }

    /// <summary>DHCP client host name (option 12), NetBIOS/mDNS/LLMNR names.</summary>
    public string? HostName { get; set; }

    /// <summary>DHCP vendor class (option 60).</summary>
    public string? DhcpVendor { get; set; }

    /// <summary>nDPI flow risks, comma-separated names.</summary>
    public string? Risks { get; set; }

    public FlowMetadata Clone() => (FlowMetadata)MemberwiseClone();
}
