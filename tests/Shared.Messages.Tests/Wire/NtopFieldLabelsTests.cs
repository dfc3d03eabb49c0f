using System.Text;
using Flowhive.Shared.Wire;

namespace Flowhive.Shared.Messages.Tests.Wire;

public sealed class NtopFieldLabelsTests
{
    [Theory]
    [InlineData("8", 8u)]
    [InlineData("12", 12u)]
    [InlineData("57590", 57590u)]
    [InlineData("118", 57590u)] // not a PEN-0 field for ntopng, so it falls through to ntop's PEN
    [InlineData("123", 57595u)]
    [InlineData("152", 152u)]
    [InlineData("35632.118", 57590u)]
    [InlineData("35632.57590", 57590u)]
    [InlineData("35632.8", 57480u)] // explicit ntop PEN: no PEN-0 meaning
    [InlineData("0.8", 8u)]
    [InlineData("0.118", 57590u)]
    [InlineData("IPV4_SRC_ADDR", 8u)]
    [InlineData("L7_PROTO", 57590u)]
    [InlineData("JA4C_HASH", 58048u)]
    [InlineData("FLOW_START_MILLISECONDS", 152u)]
    [InlineData("flowEndMilliseconds", 153u)]
    [InlineData("POST_NAPT_SRC_TRANSPORT_PORT", 227u)]
    public void Resolves_numeric_dotted_and_label_keys(string key, uint expected)
    {
        Assert.True(NtopFieldLabels.TryResolveKey(Encoding.UTF8.GetBytes(key), out var id));
        Assert.Equal(expected, id);
    }

    [Theory]
    [InlineData("")]
    [InlineData("9.1")] // an enterprise other than 0 and ntop
    [InlineData("8.")]
    [InlineData(".8")]
    [InlineData("1.2.3")]
    [InlineData("4294967296")]
    [InlineData("35632.4294967296")]
    [InlineData("8a")]
    [InlineData("ipv4_src_addr")] // labels are case-sensitive, as in ntopng
    [InlineData("NOT_A_FIELD")]
    [InlineData("IPV4_SRC_ADDRÉ")]
    public void Rejects_keys_it_cannot_resolve(string key)
    {
        Assert.False(NtopFieldLabels.TryResolveKey(Encoding.UTF8.GetBytes(key), out _));
    }

    [Fact]
    public void Rejects_overlong_keys_without_reading_them()
    {
        Assert.False(NtopFieldLabels.TryResolveKey(new byte[65].AsSpan(), out _));
        Assert.False(NtopFieldLabels.TryResolveKey(Encoding.ASCII.GetBytes(new string('A', 1000)), out _));
    }

    [Fact]
    public void Ids_match_nprobe_numbers_from_the_fact_sheet()
    {
        (uint Id, uint Expected)[] pairs =
        [
            (NtopFieldId.InBytes, 1), (NtopFieldId.InPkts, 2), (NtopFieldId.Protocol, 4), (NtopFieldId.TcpFlags, 6),
            (NtopFieldId.L4SrcPort, 7), (NtopFieldId.Ipv4SrcAddr, 8), (NtopFieldId.L4DstPort, 11), (NtopFieldId.Ipv4DstAddr, 12),
            (NtopFieldId.LastSwitched, 21), (NtopFieldId.FirstSwitched, 22), (NtopFieldId.OutBytes, 23), (NtopFieldId.OutPkts, 24),
            (NtopFieldId.Ipv6SrcAddr, 27), (NtopFieldId.Ipv6DstAddr, 28), (NtopFieldId.InSrcMac, 56), (NtopFieldId.OutDstMac, 57),
            (NtopFieldId.SrcVlan, 58), (NtopFieldId.IpProtocolVersion, 60), (NtopFieldId.FlowEndReason, 136),
            (NtopFieldId.FlowStartMilliseconds, 152), (NtopFieldId.FlowEndMilliseconds, 153),
            (NtopFieldId.L7Proto, 57590), (NtopFieldId.L7ProtoName, 57591), (NtopFieldId.ClientTcpFlags, 57550),
            (NtopFieldId.ServerTcpFlags, 57551), (NtopFieldId.ClientNwLatencyMs, 57595), (NtopFieldId.ServerNwLatencyMs, 57596),
            (NtopFieldId.RetransmittedInPkts, 57581), (NtopFieldId.RetransmittedOutPkts, 57582), (NtopFieldId.OoorderInPkts, 57583),
            (NtopFieldId.OoorderOutPkts, 57584), (NtopFieldId.L7Info, 58011), (NtopFieldId.DnsQuery, 57677), (NtopFieldId.HttpUrl, 57652),
            (NtopFieldId.HttpRetCode, 57653), (NtopFieldId.HttpUserAgent, 57655), (NtopFieldId.HttpMethod, 57832), (NtopFieldId.HttpSite, 57833),
            (NtopFieldId.TlsServerName, 57660), (NtopFieldId.Ja4cHash, 58048), (NtopFieldId.L7Confidence, 58032), (NtopFieldId.L7ErrorCode, 58026),
            (NtopFieldId.L7ProtoRisk, 57981), (NtopFieldId.L7ProtoRiskName, 57982), (NtopFieldId.L7RiskInfo, 58027), (NtopFieldId.FlowVerdict, 57994),
            (NtopFieldId.FlowSource, 58051), (NtopFieldId.UniqueSourceId, 58061), (NtopFieldId.NprobeIpv4Address, 57943),
            (NtopFieldId.NprobeInstanceName, 57594), (NtopFieldId.ApplLatencyMs, 57597), (NtopFieldId.SrcFragments, 57552),
            (NtopFieldId.DstFragments, 57553), (NtopFieldId.TcpWinMaxIn, 57888), (NtopFieldId.TcpWinMaxOut, 57892),
            (NtopFieldId.DnsQueryType, 57679), (NtopFieldId.DnsRetCode, 57680), (NtopFieldId.TlsCipher, 57965),
            (NtopFieldId.SslUnsafeCipher, 57966), (NtopFieldId.BittorrentHash, 57661), (NtopFieldId.SmtpMailFrom, 57657),
            (NtopFieldId.SmtpRcptTo, 57658), (NtopFieldId.DhcpClientName, 57827), (NtopFieldId.SipCallId, 57602),
            (NtopFieldId.HttpHost, 57659), (NtopFieldId.Ja3cHash, 57961), (NtopFieldId.Ja3sHash, 57962), (NtopFieldId.L7RiskScore, 57999),
        ];
        Assert.All(pairs, p => Assert.Equal(p.Expected, p.Id));
    }

    [Fact]
    public void Labels_and_ids_map_one_to_one()
    {
        var all = NtopFieldLabels.All;
        Assert.Equal(all.Count, all.Select(e => e.Label).Distinct().Count());
        Assert.Equal(all.Count, all.Select(e => e.Id).Distinct().Count());
        foreach (var (label, id) in all)
        {
            Assert.True(NtopFieldLabels.TryGetId(label, out var found));
            Assert.Equal(id, found);
            Assert.True(NtopFieldLabels.TryGetLabel(id, out var back));
            Assert.Equal(label, back);
        }
    }

    [Fact]
    public void Knows_every_label_ntopng_seeds_for_flows()
    {
        // ZMQParserInterface's constructor seeds these (process/eBPF labels aside).
        string[] seeded =
        [
            "IN_SRC_MAC", "OUT_SRC_MAC", "IN_DST_MAC", "OUT_DST_MAC", "SRC_VLAN", "DST_VLAN", "DOT1Q_SRC_VLAN", "DOT1Q_DST_VLAN",
            "INPUT_SNMP", "OUTPUT_SNMP", "IPV4_SRC_ADDR", "IPV4_DST_ADDR", "SRC_TOS", "DST_TOS", "L4_SRC_PORT", "L4_DST_PORT",
            "IPV6_SRC_ADDR", "IPV6_DST_ADDR", "IP_PROTOCOL_VERSION", "PROTOCOL", "IN_BYTES", "IN_PKTS", "OUT_BYTES", "OUT_PKTS",
            "FIRST_SWITCHED", "LAST_SWITCHED", "EXPORTER_IPV4_ADDRESS", "EXPORTER_IPV6_ADDRESS", "TOTAL_FLOWS_EXP", "TCP_FLAGS",
            "INITIATOR_PKTS", "INITIATOR_OCTETS", "RESPONDER_PKTS", "RESPONDER_OCTETS", "SAMPLING_INTERVAL", "DIRECTION",
            "POST_NAT_SRC_IPV4_ADDR", "POST_NAT_DST_IPV4_ADDR", "POST_NAT_SRC_TRANSPORT_PORT", "POST_NAT_DST_TRANSPORT_PORT",
            "OBSERVATION_POINT_ID", "INGRESS_VRFID", "IPV4_SRC_MASK", "IPV4_DST_MASK", "IPV4_NEXT_HOP", "SRC_AS", "DST_AS",
            "BGP_NEXT_ADJACENT_ASN", "BGP_PREV_ADJACENT_ASN", "FLOW_END_REASON", "WLAN_SSID", "WTP_MAC_ADDRESS",
            "L7_PROTO", "L7_PROTO_NAME", "L7_INFO", "L7_CONFIDENCE", "L7_ERROR_CODE", "NPROBE_IPV4_ADDRESS", "NPROBE_INSTANCE_NAME",
            "OOORDER_IN_PKTS", "OOORDER_OUT_PKTS", "RETRANSMITTED_IN_PKTS", "RETRANSMITTED_OUT_PKTS", "DNS_QUERY", "DNS_QUERY_TYPE",
            "DNS_RET_CODE", "HTTP_URL", "HTTP_SITE", "HTTP_RET_CODE", "HTTP_METHOD", "HTTP_USER_AGENT", "TLS_SERVER_NAME",
            "TLS_CIPHER", "SSL_UNSAFE_CIPHER", "JA4C_HASH", "BITTORRENT_HASH", "SRC_FRAGMENTS", "DST_FRAGMENTS",
            "CLIENT_NW_LATENCY_MS", "SERVER_NW_LATENCY_MS", "L7_PROTO_RISK", "L7_PROTO_RISK_NAME", "FLOW_VERDICT", "L7_RISK_INFO",
            "FLOW_SOURCE", "SMTP_MAIL_FROM", "SMTP_RCPT_TO", "UNIQUE_SOURCE_ID",
        ];
        Assert.All(seeded, label => Assert.True(NtopFieldLabels.TryGetId(label, out _), label));
    }

    [Fact]
    public void Pen_zero_fall_through_matches_ntopng()
    {
        Assert.True(NtopFieldId.IsPenZeroField(80)); // IN_DST_MAC, not ntop's 57552
        Assert.Equal(80u, NtopFieldId.FromPenZero(80));
        Assert.False(NtopFieldId.IsPenZeroField(118));
        Assert.Equal(57590u, NtopFieldId.FromPenZero(118));
        Assert.Equal(57590u, NtopFieldId.FromPenZero(57590));
        Assert.Equal(57590u, NtopFieldId.FromNtopPen(118));
        Assert.Equal(57590u, NtopFieldId.FromNtopPen(57590));
    }
}
