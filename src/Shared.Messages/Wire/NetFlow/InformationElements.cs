using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using static Flowhive.Shared.Wire.NetFlow.ElementSource;
using static Flowhive.Shared.Wire.NetFlow.ElementType;

namespace Flowhive.Shared.Wire.NetFlow;

/// <summary>
/// The fields <c>-T</c> accepts, with nProbe's ids and default lengths (nProbe <c>doc/src/cli_options.rst</c>, "NetFlow
/// v9/IPFIX format"), plus the lookups the decoder needs: by v9 id and by IPFIX enterprise/element id.
/// Two lengths differ from nProbe's on purpose: JA4C_HASH is 36 bytes (a JA4 fingerprint is 36 characters,
/// nProbe's 32 would cut it) and HTTP_METHOD is 8 (nProbe's 4 cuts "DELETE" and "OPTIONS").
/// </summary>
public static class InformationElements
{
    private static readonly InformationElement[] Table =
    [
        Iana("IN_BYTES", 1, 4, Unsigned, Bytes),
        Iana("IN_PKTS", 2, 4, Unsigned, Packets),
        Iana("PROTOCOL", 4, 1, Unsigned, Protocol),
        Iana("SRC_TOS", 5, 1, Unsigned, None),
        Iana("TCP_FLAGS", 6, 1, Unsigned, TcpFlags),
        Iana("L4_SRC_PORT", 7, 2, Unsigned, SrcPort),
        Iana("IPV4_SRC_ADDR", 8, 4, Ipv4Address, SrcAddr, family: 4),
        Iana("IPV4_SRC_MASK", 9, 1, Unsigned, None, family: 4),
        Iana("INPUT_SNMP", 10, 4, Unsigned, None),
        Iana("L4_DST_PORT", 11, 2, Unsigned, DstPort),
        Iana("IPV4_DST_ADDR", 12, 4, Ipv4Address, DstAddr, family: 4),
        Iana("IPV4_DST_MASK", 13, 1, Unsigned, None, family: 4),
        Iana("OUTPUT_SNMP", 14, 4, Unsigned, None),
        Iana("IPV4_NEXT_HOP", 15, 4, Ipv4Address, None, family: 4),
        Iana("SRC_AS", 16, 4, Unsigned, None),
        Iana("DST_AS", 17, 4, Unsigned, None),
        Iana("LAST_SWITCHED", 21, 4, Unsigned, LastSwitchedUptime),
        Iana("FIRST_SWITCHED", 22, 4, Unsigned, FirstSwitchedUptime),
        Iana("OUT_BYTES", 23, 4, Unsigned, ReverseBytes),
        Iana("OUT_PKTS", 24, 4, Unsigned, ReversePackets),
        Iana("IPV6_SRC_ADDR", 27, 16, Ipv6Address, SrcAddr, family: 6),
        Iana("IPV6_DST_ADDR", 28, 16, Ipv6Address, DstAddr, family: 6),
        Iana("IPV6_SRC_MASK", 29, 1, Unsigned, None, family: 6),
        Iana("IPV6_DST_MASK", 30, 1, Unsigned, None, family: 6),
        Iana("ICMP_TYPE", 32, 2, Unsigned, None),
        Iana("SAMPLING_INTERVAL", 34, 4, Unsigned, SamplingInterval),
        Iana("TOTAL_FLOWS_EXP", 42, 4, Unsigned, TotalFlowsExported),
        Iana("DST_TOS", 55, 1, Unsigned, None),
        Iana("IN_SRC_MAC", 56, 6, MacAddress, SrcMac),
        Iana("OUT_DST_MAC", 57, 6, MacAddress, DstMac),
        Iana("SRC_VLAN", 58, 2, Unsigned, Vlan),
        Iana("DST_VLAN", 59, 2, Unsigned, Vlan),
        Iana("IP_PROTOCOL_VERSION", 60, 1, Unsigned, IpVersion),
        Iana("DIRECTION", 61, 1, Unsigned, Direction),
        Iana("IPV6_NEXT_HOP", 62, 16, Ipv6Address, None, family: 6),
        Iana("IN_DST_MAC", 80, 6, MacAddress, DstMac),
        Iana("OUT_SRC_MAC", 81, 6, MacAddress, SrcMac),
        Iana("BGP_NEXT_ADJACENT_ASN", 128, 4, Unsigned, None),
        Iana("BGP_PREV_ADJACENT_ASN", 129, 4, Unsigned, None),
        Iana("EXPORTER_IPV4_ADDRESS", 130, 4, Ipv4Address, ExporterIpv4),
        Iana("EXPORTER_IPV6_ADDRESS", 131, 16, Ipv6Address, None),
        Iana("FLOW_END_REASON", 136, 1, Unsigned, EndReason),
        Iana("FLOW_START_SEC", 150, 4, Unsigned, FlowStartSeconds),
        Iana("FLOW_END_SEC", 151, 4, Unsigned, FlowEndSeconds),
        Iana("FLOW_START_MILLISECONDS", 152, 8, Unsigned, FlowStartMilliseconds),
        Iana("FLOW_END_MILLISECONDS", 153, 8, Unsigned, FlowEndMilliseconds),
        Iana("SYSTEM_INIT_TIME_MILLISECONDS", 160, 8, Unsigned, SystemInitMilliseconds),
        Iana("FLOW_DURATION_MILLISECONDS", 161, 4, Unsigned, FlowDurationMilliseconds),
        Iana("POST_NAT_SRC_IPV4_ADDR", 225, 4, Ipv4Address, None, family: 4),
        Iana("POST_NAT_DST_IPV4_ADDR", 226, 4, Ipv4Address, None, family: 4),
        Iana("POST_NAPT_SRC_TRANSPORT_PORT", 227, 2, Unsigned, None),
        Iana("POST_NAPT_DST_TRANSPORT_PORT", 228, 2, Unsigned, None),
        Iana("INGRESS_VRFID", 234, 4, Unsigned, None),
        Iana("DOT1Q_SRC_VLAN", 243, 2, Unsigned, None),
        Iana("DOT1Q_DST_VLAN", 254, 2, Unsigned, None),
        Iana("OBSERVATION_POINT_ID", 300, 2, Unsigned, None),

        Ntop("CLIENT_TCP_FLAGS", 78, 1, Unsigned, ClientTcpFlags),
        Ntop("SERVER_TCP_FLAGS", 79, 1, Unsigned, ServerTcpFlags),
        Ntop("SRC_FRAGMENTS", 80, 2, Unsigned, None),
        Ntop("DST_FRAGMENTS", 81, 2, Unsigned, None),
        Ntop("UPSTREAM_TUNNEL_ID", 106, 4, Unsigned, TunnelId),
        Ntop("RETRANSMITTED_IN_PKTS", 109, 4, Unsigned, RetransmittedPackets),
        Ntop("RETRANSMITTED_OUT_PKTS", 110, 4, Unsigned, ReverseRetransmittedPackets),
        Ntop("OOORDER_IN_PKTS", 111, 4, Unsigned, OutOfOrderPackets),
        Ntop("OOORDER_OUT_PKTS", 112, 4, Unsigned, ReverseOutOfOrderPackets),
        Ntop("L7_PROTO", 118, 2, Unsigned, L7Proto),
        Ntop("L7_PROTO_NAME", 119, 16, Text, L7ProtoName),
        Ntop("NPROBE_INSTANCE_NAME", 122, 32, Text, InstanceName),
        Ntop("CLIENT_NW_LATENCY_MS", 123, 4, Float32, ClientNwLatency),
        Ntop("SERVER_NW_LATENCY_MS", 124, 4, Float32, ServerNwLatency),
        Ntop("APPL_LATENCY_MS", 125, 4, Float32, None),
        Ntop("HTTP_URL", 180, 128, Text, HttpUrl),
        Ntop("HTTP_RET_CODE", 181, 2, Unsigned, HttpReturnCode),
        Ntop("HTTP_USER_AGENT", 183, 256, Text, HttpUserAgent),

        // nProbe's HTTP_HOST: ntopng does not read it, Flowhive fills it with the same host as HTTP_SITE.
        Ntop("HTTP_HOST", 187, 64, Text, HttpSite),
        Ntop("TLS_SERVER_NAME", 188, 48, Text, TlsServerName),
        Ntop("BITTORRENT_HASH", 189, 40, Text, None),
        Ntop("DNS_QUERY", 205, 256, Text, DnsQuery),
        Ntop("DNS_QUERY_TYPE", 207, 1, Unsigned, None),
        Ntop("DNS_RET_CODE", 208, 1, Unsigned, None),
        Ntop("HTTP_METHOD", 360, 8, Text, ElementSource.HttpMethod),
        Ntop("HTTP_SITE", 361, 64, Text, HttpSite),
        Ntop("TCP_WIN_MAX_IN", 416, 2, Unsigned, None),
        Ntop("TCP_WIN_MAX_OUT", 420, 2, Unsigned, None),
        Ntop("NPROBE_IPV4_ADDRESS", 471, 4, Ipv4Address, ExporterIpv4),
        Ntop("L7_PROTO_RISK", 509, 8, Unsigned, None),
        Ntop("L7_PROTO_RISK_NAME", 510, 64, Text, None),
        Ntop("FLOW_VERDICT", 522, 2, Unsigned, None),
        Ntop("L7_RISK_SCORE", 527, 2, Unsigned, None),
        Ntop("L7_INFO", 539, 24, Text, L7Info),
        Ntop("L7_ERROR_CODE", 554, 4, Unsigned, None),
        Ntop("L7_RISK_INFO", 555, 48, Text, None),
        Ntop("L7_CONFIDENCE", 560, 1, Unsigned, None),
        Ntop("JA4C_HASH", 576, 36, Text, Ja4Client),
        Ntop("FLOW_SOURCE", 579, 1, Unsigned, FlowSource),
        Ntop("UNIQUE_SOURCE_ID", 589, 4, Unsigned, UniqueSourceId),
    ];

    /// <summary>Other names nProbe accepts for the same field (its "[Aliased to ...]" notes and IPFIX labels).</summary>
    private static readonly (string Alias, string Name)[] Aliases =
    [
        ("SRC_TO_DST_BYTES", "IN_BYTES"),
        ("SRC_TO_DST_PKTS", "IN_PKTS"),
        ("DST_TO_SRC_BYTES", "OUT_BYTES"),
        ("DST_TO_SRC_PKTS", "OUT_PKTS"),
        ("POST_NAT_SRC_TRANSPORT_PORT", "POST_NAPT_SRC_TRANSPORT_PORT"),
        ("POST_NAT_DST_TRANSPORT_PORT", "POST_NAPT_DST_TRANSPORT_PORT"),
        ("APPLICATION_NAME", "L7_PROTO_NAME"),
        ("octetDeltaCount", "IN_BYTES"),
        ("packetDeltaCount", "IN_PKTS"),
        ("protocolIdentifier", "PROTOCOL"),
        ("tcpControlBits", "TCP_FLAGS"),
        ("sourceTransportPort", "L4_SRC_PORT"),
        ("destinationTransportPort", "L4_DST_PORT"),
        ("sourceIPv4Address", "IPV4_SRC_ADDR"),
        ("destinationIPv4Address", "IPV4_DST_ADDR"),
        ("sourceIPv6Address", "IPV6_SRC_ADDR"),
        ("destinationIPv6Address", "IPV6_DST_ADDR"),
        ("ingressInterface", "INPUT_SNMP"),
        ("egressInterface", "OUTPUT_SNMP"),
        ("flowStartMilliseconds", "FLOW_START_MILLISECONDS"),
        ("flowEndMilliseconds", "FLOW_END_MILLISECONDS"),
        ("sourceMacAddress", "IN_SRC_MAC"),
        ("postDestinationMacAddress", "OUT_DST_MAC"),
        ("vlanId", "SRC_VLAN"),
        ("ipVersion", "IP_PROTOCOL_VERSION"),
        ("flowEndReason", "FLOW_END_REASON"),
    ];

    /// <summary>The same field for the other IP version, so one template serves IPv4 and IPv6 flows.</summary>
    private static readonly (string V4, string V6)[] FamilyPairs =
    [
        ("IPV4_SRC_ADDR", "IPV6_SRC_ADDR"),
        ("IPV4_DST_ADDR", "IPV6_DST_ADDR"),
        ("IPV4_SRC_MASK", "IPV6_SRC_MASK"),
        ("IPV4_DST_MASK", "IPV6_DST_MASK"),
        ("IPV4_NEXT_HOP", "IPV6_NEXT_HOP"),
    ];

    private static readonly FrozenDictionary<string, InformationElement> ByName = BuildByName();

    private static readonly FrozenDictionary<ushort, InformationElement> ByV9Id =
        Table.ToFrozenDictionary(e => e.V9Id);

    private static readonly FrozenDictionary<ulong, InformationElement> ByIpfixId =
        Table.ToFrozenDictionary(e => IpfixKey(e.Enterprise, e.IpfixId));

    private static readonly FrozenDictionary<InformationElement, (InformationElement V4, InformationElement V6)> Counterparts =
        FamilyPairs.SelectMany(p => new[] { ByName[p.V4], ByName[p.V6] }.Select(e => (e, (ByName[p.V4], ByName[p.V6]))))
            .ToFrozenDictionary(x => x.e, x => x.Item2);

    /// <summary>Every field, each once (aliases not repeated).</summary>
    public static IReadOnlyList<InformationElement> All => Table;

    /// <summary>By nProbe name (without '%'), alias or IPFIX label; case-sensitive, as nProbe is.</summary>
    public static bool TryGet(string name, [NotNullWhen(true)] out InformationElement? element) => ByName.TryGetValue(name, out element);

    public static InformationElement Get(string name) =>
        TryGet(name, out var element) ? element : throw new KeyNotFoundException($"no information element %{name}");

    /// <summary>By NetFlow v9 field type (ntop fields as 57472 + n).</summary>
    public static bool TryGetByV9Id(ushort id, [NotNullWhen(true)] out InformationElement? element) => ByV9Id.TryGetValue(id, out element);

    /// <summary>By IPFIX enterprise number (0 for IANA) and element id.</summary>
    public static bool TryGetByIpfixId(uint enterprise, ushort id, [NotNullWhen(true)] out InformationElement? element) =>
        ByIpfixId.TryGetValue(IpfixKey(enterprise, id), out element);

    /// <summary>
    /// The element to send for a flow of IP version <paramref name="family"/>: itself when it is not tied to a version
    /// or is of that version, its twin of the other version (IPV4_SRC_ADDR for IPV6_SRC_ADDR), or null when it has none.
    /// </summary>
    public static InformationElement? ForFamily(InformationElement element, int family)
    {
        if (element.Family == 0 || element.Family == family)
        {
            return element;
        }

        return Counterparts.TryGetValue(element, out var pair) ? (family == 4 ? pair.V4 : pair.V6) : null;
    }

    /// <summary>Up to <paramref name="count"/> known names closest to a misspelt one (edit distance, then shared prefix).</summary>
    public static IReadOnlyList<string> Nearest(string name, int count = 3)
    {
        var upper = name.ToUpperInvariant();
        return [.. Table.Select(e => e.Name)
            .Select(n => (Name: n, Distance: EditDistance(upper, n), Prefix: CommonPrefix(upper, n)))
            .OrderBy(x => x.Distance)
            .ThenByDescending(x => x.Prefix)
            .ThenBy(x => x.Name, StringComparer.Ordinal)
            .Take(count)
            .Select(x => x.Name)];
    }

    private static FrozenDictionary<string, InformationElement> BuildByName()
    {
        var names = Table.ToDictionary(e => e.Name, StringComparer.Ordinal);
        foreach (var (alias, name) in Aliases)
        {
            names.Add(alias, names[name]);
        }

        return names.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static ulong IpfixKey(uint enterprise, ushort id) => ((ulong)enterprise << 16) | id;

    private static InformationElement Iana(string name, ushort id, ushort length, ElementType type, ElementSource source, byte family = 0) =>
        new(name, id, 0, id, length, type, source, family);

    private static InformationElement Ntop(string name, ushort n, ushort length, ElementType type, ElementSource source) =>
        new(name, (ushort)(NtopFieldId.NtopBaseId + n), NtopFieldId.NtopPen, n, length, type, source, 0);

    private static int CommonPrefix(string a, string b)
    {
        var n = 0;
        while (n < a.Length && n < b.Length && a[n] == b[n])
        {
            n++;
        }

        return n;
    }

    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitute = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitute, Math.Min(previous[j] + 1, current[j - 1] + 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
