namespace Flowhive.Probe.Engine.Classification.Micro.Catalog;

/// <summary>
/// nDPI 4.2 protocol ids the dissectors name in code (<c>ndpi_protocol_ids.h</c>). Services found by host name are
/// looked up in <see cref="ProtocolCatalog"/> instead; a test checks every constant against the catalog's names.
/// </summary>
public static class NdpiIds
{
    public const ushort Unknown = 0;
    public const ushort Dns = 5;
    public const ushort Http = 7;
    public const ushort Mdns = 8;
    public const ushort Ntp = 9;
    public const ushort NetBios = 10;
    public const ushort Ssdp = 12;
    public const ushort Snmp = 14;
    public const ushort SmbV1 = 16;
    public const ushort Dhcp = 18;
    public const ushort Pops = 23;
    public const ushort Smtps = 29;
    public const ushort Imaps = 51;
    public const ushort Ocsp = 63;
    public const ushort IpIpsec = 79;
    public const ushort IpGre = 80;
    public const ushort IpIcmp = 81;
    public const ushort IpIgmp = 82;
    public const ushort IpEgp = 83;
    public const ushort IpSctp = 84;
    public const ushort IpOspf = 85;
    public const ushort IpInIp = 86;
    public const ushort Tls = 91;
    public const ushort Ssh = 92;
    public const ushort IpIcmpv6 = 102;
    public const ushort Dhcpv6 = 103;
    public const ushort HttpConnect = 130;
    public const ushort Llmnr = 154;
    public const ushort Quic = 188;
    public const ushort DohDot = 196;

    /// <summary>Category ids (<c>ndpi_protocol_category_t</c>).</summary>
    public const ushort CategoryUnspecified = 0;

    /// <summary>The names the constants above must have in nDPI 4.2, for the catalog test.</summary>
    internal static IEnumerable<(ushort Id, string Name)> Named() =>
    [
        (Unknown, "Unknown"), (Dns, "DNS"), (Http, "HTTP"), (Mdns, "MDNS"), (Ntp, "NTP"), (NetBios, "NetBIOS"),
        (Ssdp, "SSDP"), (Snmp, "SNMP"), (SmbV1, "SMBv1"), (Dhcp, "DHCP"), (Pops, "POPS"), (Smtps, "SMTPS"), (Imaps, "IMAPS"),
        (Ocsp, "OCSP"), (IpIpsec, "IPsec"), (IpGre, "GRE"), (IpIcmp, "ICMP"), (IpIgmp, "IGMP"), (IpEgp, "EGP"), (IpSctp, "SCTP"),
        (IpOspf, "OSPF"), (IpInIp, "IP_in_IP"), (Tls, "TLS"), (Ssh, "SSH"), (IpIcmpv6, "ICMPV6"), (Dhcpv6, "DHCPV6"),
        (HttpConnect, "HTTP_Connect"), (Llmnr, "LLMNR"), (Quic, "QUIC"), (DohDot, "DoH_DoT"),
    ];
}
