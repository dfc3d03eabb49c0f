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

    public const ushort FtpControl = 1;
    public const ushort Pop3 = 2;
    public const ushort Smtp = 3;
    public const ushort Imap = 4;
    public const ushort Bgp = 13;
    public const ushort Syslog = 17;
    public const ushort PostgreSql = 19;
    public const ushort MySql = 20;
    public const ushort Coap = 27;
    public const ushort BitTorrent = 37;
    public const ushort SmbV23 = 41;
    public const ushort Modbus = 44;
    public const ushort MongoDb = 60;
    public const ushort Stun = 78;
    public const ushort Dtls = 30;
    public const ushort Rdp = 88;
    public const ushort Tftp = 96;
    public const ushort Rtp = 87;
    public const ushort Sip = 100;
    public const ushort Kerberos = 111;
    public const ushort Ldap = 112;
    public const ushort Dropbox = 121;
    public const ushort Spotify = 156;
    public const ushort OpenVpn = 159;
    public const ushort Rtcp = 165;
    public const ushort Redis = 182;
    public const ushort Telegram = 185;
    public const ushort WireGuard = 206;
    public const ushort Mqtt = 222;
    public const ushort Dnp3 = 244;
    public const ushort Iec60870 = 245;

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
        (FtpControl, "FTP_CONTROL"), (Pop3, "POP3"), (Smtp, "SMTP"), (Imap, "IMAP"), (Bgp, "BGP"), (Syslog, "Syslog"), (PostgreSql, "PostgreSQL"), (MySql, "MySQL"), (Coap, "COAP"), (BitTorrent, "BitTorrent"), (SmbV23, "SMBv23"), (Modbus, "Modbus"), (MongoDb, "MongoDB"), (Stun, "STUN"), (Dtls, "DTLS"), (Rdp, "RDP"), (Tftp, "TFTP"), (Sip, "SIP"), (Kerberos, "Kerberos"), (Ldap, "LDAP"), (Rtp, "RTP"), (Rtcp, "RTCP"), (Dropbox, "Dropbox"), (Spotify, "Spotify"), (OpenVpn, "OpenVPN"), (Redis, "Redis"), (Telegram, "Telegram"), (WireGuard, "WireGuard"), (Mqtt, "MQTT"), (Dnp3, "DNP3"), (Iec60870, "IEC60870"),
    ];
}
