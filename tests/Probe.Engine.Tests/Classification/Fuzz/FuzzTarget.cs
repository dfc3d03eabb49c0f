namespace Flowhive.Probe.Engine.Tests.Classification.Fuzz;

/// <summary>
/// A parser under fuzz: the corpus captures whose flows seed it, their transport and which server ports lead to it,
/// and hand-built seed flows for messages the corpus lacks.
/// </summary>
public sealed record FuzzTarget(string Name, string[] Pcaps, byte L4, Func<ushort, bool> IsServerPort, Func<IEnumerable<SeedFlow>>? Synthetic = null)
{
    public static readonly IReadOnlyDictionary<string, FuzzTarget> All = new[]
    {
        // ClientHello extensions, ServerHello, certificate chains (X.509 RDNs, validity), JA3/JA3S/JA4.
        new FuzzTarget("TLS", ["443-curl.pcap", "443-git.pcap", "google_ssl.pcap", "tls_2_reasms.pcapng", "smtps.pcapng", "imaps.pcap", "anydesk.pcapng"], 6, p => p is 443 or 465 or 993 or 995),

        // Long headers, Initial decryption (AES-GCM, header protection), CRYPTO frames, gQUIC CHLO tags.
        new FuzzTarget("QUIC", ["quic.pcap", "quic046.pcap", "quic-mvfst-22.pcap", "youtube_quic.pcap"], 17, p => p == 443),

        // Questions, answers, name compression loops, mDNS and LLMNR.
        new FuzzTarget("DNS", ["dns_ambiguous_names.pcap", "dns_fragmented.pcap", "android.pcap", "iphone.pcap", "googledns_android10.pcap"], 17, p => p is 53 or 5353 or 5355),

        // Request and status lines, header lines (the class of nDPI's line-parsing over-reads).
        new FuzzTarget("HTTP", ["webdav.pcap", "windowsupdate_over_http.pcap", "ocsp.pcapng", "netflix.pcap"], 6, p => p is 80 or 8080),

        // BOOTP header, options walk (host name, vendor class).
        new FuzzTarget("DHCP", ["android.pcap", "teams.pcap", "signal.pcap", "telegram.pcap"], 17, p => p is 67 or 68),

        // Identification banners, then each side's KEXINIT name-lists (HASSH), whole or split over segments.
        new FuzzTarget("SSH", ["ssh_unidirectional.pcap"], 6, p => p == 22, HandBuiltFlows.Ssh),

        // NetBIOS session + SMB headers over TCP.
        new FuzzTarget("SMB", ["smb_deletefile.pcap", "smb_frags.pcap", "netbios.pcap"], 6, p => p is 445 or 139),

        // BitTorrent over UDP: DHT bencoding, uTP headers and their extension chains, LSD; and the TCP peer handshake.
        new FuzzTarget("BitTorrent UDP", ["bittorrent_utp.pcap", "bt_search.pcap"], 17, _ => true),
        new FuzzTarget("BitTorrent TCP", [], 6, _ => true, HandBuiltFlows.BitTorrentTcp),

        // LDAP's BER messages (long-form lengths, controls) over TCP, and CLDAP over UDP.
        new FuzzTarget("LDAP", ["kerberos.pcap"], 6, p => p == 389, HandBuiltFlows.LdapTcp),
        new FuzzTarget("CLDAP", [], 17, _ => true, HandBuiltFlows.LdapUdp),

        // OpenVPN's hard resets: HMAC size guessing, the acknowledgement array, the TCP length prefix.
        new FuzzTarget("OpenVPN", ["443-opvn.pcap"], 6, p => p == 1194, HandBuiltFlows.OpenVpnTcp),
        new FuzzTarget("OpenVPN UDP", [], 17, _ => true, HandBuiltFlows.OpenVpnUdp),

        // IKEv1/IKEv2 headers on 500 and behind the non-ESP marker on 4500.
        new FuzzTarget("IKE", ["ipsec_isakmp_esp.pcap", "esp.pcapng"], 17, p => p is 500 or 4500),

        // RTP headers (CSRC lists, extensions, padding) and RTCP compound packets.
        new FuzzTarget("RTP", ["sip.pcap"], 17, p => p is 40392 or 40393, HandBuiltFlows.Rtp),

        // NetBIOS name and datagram services (first-level encoded names).
        new FuzzTarget("NetBIOS", ["netbios.pcap", "anyconnect-vpn.pcap"], 17, p => p is 137 or 138),

        // The small signature dissectors over UDP: SNMP, NTP, TFTP, STUN/DTLS, WireGuard, SIP, CoAP, Dropbox, Telegram.
        new FuzzTarget("UDP signatures", ["snmp.pcap", "NTPv3.pcap", "NTPv4.pcap", "tftp.pcap", "stun.pcap", "wireguard.pcap", "sip.pcap", "coap_mqtt.pcap", "telegram.pcap"], 17, _ => true),

        // The small signature dissectors over TCP: databases, industrial, Kerberos, mail with STARTTLS, FTP, RDP, BGP, Syslog.
        new FuzzTarget("TCP signatures", ["pgsql.pcap", "mysql.pcapng", "mongodb.pcap", "modbus.pcap", "dnp3.pcap", "IEC104.pcap", "BGP_redist.pcap", "smtp.pcap", "pop3.pcap", "imap-starttls.pcap", "ftp-start-tls.pcap", "resp.pcap", "kerberos.pcap", "rdp_over_tls.pcap"], 6, _ => true),
    }.ToDictionary(t => t.Name, StringComparer.Ordinal);

    public override string ToString() => Name;
}
