using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace Flowhive.Shared.Wire;

/// <summary>
/// nProbe field labels (the keys <c>--json-labels</c> writes and ntopng seeds its label map with) and the key
/// resolution ntopng applies to string keys: a decimal id, a dotted "PEN.field", or a label. Lookups from
/// spans do not allocate.
/// </summary>
public static class NtopFieldLabels
{
    /// <summary>Longer keys cannot be labels; they are rejected before any lookup.</summary>
    private const int MaxLabelLength = 64;

    private static readonly (string Label, uint Id)[] Labels =
    [
        ("IN_BYTES", NtopFieldId.InBytes),
        ("IN_PKTS", NtopFieldId.InPkts),
        ("PROTOCOL", NtopFieldId.Protocol),
        ("SRC_TOS", NtopFieldId.SrcTos),
        ("TCP_FLAGS", NtopFieldId.TcpFlags),
        ("L4_SRC_PORT", NtopFieldId.L4SrcPort),
        ("IPV4_SRC_ADDR", NtopFieldId.Ipv4SrcAddr),
        ("IPV4_SRC_MASK", NtopFieldId.Ipv4SrcMask),
        ("INPUT_SNMP", NtopFieldId.InputSnmp),
        ("L4_DST_PORT", NtopFieldId.L4DstPort),
        ("IPV4_DST_ADDR", NtopFieldId.Ipv4DstAddr),
        ("IPV4_DST_MASK", NtopFieldId.Ipv4DstMask),
        ("OUTPUT_SNMP", NtopFieldId.OutputSnmp),
        ("IPV4_NEXT_HOP", NtopFieldId.Ipv4NextHop),
        ("SRC_AS", NtopFieldId.SrcAs),
        ("DST_AS", NtopFieldId.DstAs),
        ("LAST_SWITCHED", NtopFieldId.LastSwitched),
        ("FIRST_SWITCHED", NtopFieldId.FirstSwitched),
        ("OUT_BYTES", NtopFieldId.OutBytes),
        ("OUT_PKTS", NtopFieldId.OutPkts),
        ("IPV6_SRC_ADDR", NtopFieldId.Ipv6SrcAddr),
        ("IPV6_DST_ADDR", NtopFieldId.Ipv6DstAddr),
        ("SAMPLING_INTERVAL", NtopFieldId.SamplingInterval),
        ("TOTAL_FLOWS_EXP", NtopFieldId.TotalFlowsExp),
        ("DST_TOS", NtopFieldId.DstTos),
        ("IN_SRC_MAC", NtopFieldId.InSrcMac),
        ("OUT_DST_MAC", NtopFieldId.OutDstMac),
        ("SRC_VLAN", NtopFieldId.SrcVlan),
        ("DST_VLAN", NtopFieldId.DstVlan),
        ("IP_PROTOCOL_VERSION", NtopFieldId.IpProtocolVersion),
        ("DIRECTION", NtopFieldId.Direction),
        ("IN_DST_MAC", NtopFieldId.InDstMac),
        ("OUT_SRC_MAC", NtopFieldId.OutSrcMac),
        ("BGP_NEXT_ADJACENT_ASN", NtopFieldId.BgpNextAdjacentAsn),
        ("BGP_PREV_ADJACENT_ASN", NtopFieldId.BgpPrevAdjacentAsn),
        ("EXPORTER_IPV4_ADDRESS", NtopFieldId.ExporterIpv4Address),
        ("EXPORTER_IPV6_ADDRESS", NtopFieldId.ExporterIpv6Address),
        ("FLOW_END_REASON", NtopFieldId.FlowEndReason),
        ("WLAN_SSID", NtopFieldId.WlanSsid),
        ("FLOW_START_MILLISECONDS", NtopFieldId.FlowStartMilliseconds),
        ("FLOW_END_MILLISECONDS", NtopFieldId.FlowEndMilliseconds),
        ("POST_NAT_SRC_IPV4_ADDR", NtopFieldId.PostNatSrcIpv4Addr),
        ("POST_NAT_DST_IPV4_ADDR", NtopFieldId.PostNatDstIpv4Addr),
        ("POST_NAT_SRC_TRANSPORT_PORT", NtopFieldId.PostNatSrcTransportPort),
        ("POST_NAT_DST_TRANSPORT_PORT", NtopFieldId.PostNatDstTransportPort),
        ("INITIATOR_OCTETS", NtopFieldId.InitiatorOctets),
        ("RESPONDER_OCTETS", NtopFieldId.ResponderOctets),
        ("INGRESS_VRFID", NtopFieldId.IngressVrfId),
        ("DOT1Q_SRC_VLAN", NtopFieldId.Dot1qSrcVlan),
        ("DOT1Q_DST_VLAN", NtopFieldId.Dot1qDstVlan),
        ("INITIATOR_PKTS", NtopFieldId.InitiatorPkts),
        ("RESPONDER_PKTS", NtopFieldId.ResponderPkts),
        ("OBSERVATION_POINT_ID", NtopFieldId.ObservationPointId),
        ("WTP_MAC_ADDRESS", NtopFieldId.WtpMacAddress),
        ("CLIENT_TCP_FLAGS", NtopFieldId.ClientTcpFlags),
        ("SERVER_TCP_FLAGS", NtopFieldId.ServerTcpFlags),
        ("SRC_FRAGMENTS", NtopFieldId.SrcFragments),
        ("DST_FRAGMENTS", NtopFieldId.DstFragments),
        ("RETRANSMITTED_IN_PKTS", NtopFieldId.RetransmittedInPkts),
        ("RETRANSMITTED_OUT_PKTS", NtopFieldId.RetransmittedOutPkts),
        ("OOORDER_IN_PKTS", NtopFieldId.OoorderInPkts),
        ("OOORDER_OUT_PKTS", NtopFieldId.OoorderOutPkts),
        ("L7_PROTO", NtopFieldId.L7Proto),
        ("L7_PROTO_NAME", NtopFieldId.L7ProtoName),
        ("NPROBE_INSTANCE_NAME", NtopFieldId.NprobeInstanceName),
        ("CLIENT_NW_LATENCY_MS", NtopFieldId.ClientNwLatencyMs),
        ("SERVER_NW_LATENCY_MS", NtopFieldId.ServerNwLatencyMs),
        ("APPL_LATENCY_MS", NtopFieldId.ApplLatencyMs),
        ("SIP_CALL_ID", NtopFieldId.SipCallId),
        ("HTTP_URL", NtopFieldId.HttpUrl),
        ("HTTP_RET_CODE", NtopFieldId.HttpRetCode),
        ("HTTP_USER_AGENT", NtopFieldId.HttpUserAgent),
        ("SMTP_MAIL_FROM", NtopFieldId.SmtpMailFrom),
        ("SMTP_RCPT_TO", NtopFieldId.SmtpRcptTo),
        ("HTTP_HOST", NtopFieldId.HttpHost),
        ("TLS_SERVER_NAME", NtopFieldId.TlsServerName),
        ("BITTORRENT_HASH", NtopFieldId.BittorrentHash),
        ("DNS_QUERY", NtopFieldId.DnsQuery),
        ("DNS_QUERY_TYPE", NtopFieldId.DnsQueryType),
        ("DNS_RET_CODE", NtopFieldId.DnsRetCode),
        ("DHCP_CLIENT_NAME", NtopFieldId.DhcpClientName),
        ("HTTP_METHOD", NtopFieldId.HttpMethod),
        ("HTTP_SITE", NtopFieldId.HttpSite),
        ("TCP_WIN_MAX_IN", NtopFieldId.TcpWinMaxIn),
        ("TCP_WIN_MAX_OUT", NtopFieldId.TcpWinMaxOut),
        ("NPROBE_IPV4_ADDRESS", NtopFieldId.NprobeIpv4Address),
        ("JA3C_HASH", NtopFieldId.Ja3cHash),
        ("JA3S_HASH", NtopFieldId.Ja3sHash),
        ("TLS_CIPHER", NtopFieldId.TlsCipher),
        ("SSL_UNSAFE_CIPHER", NtopFieldId.SslUnsafeCipher),
        ("L7_PROTO_RISK", NtopFieldId.L7ProtoRisk),
        ("L7_PROTO_RISK_NAME", NtopFieldId.L7ProtoRiskName),
        ("FLOW_VERDICT", NtopFieldId.FlowVerdict),
        ("L7_RISK_SCORE", NtopFieldId.L7RiskScore),
        ("L7_INFO", NtopFieldId.L7Info),
        ("L7_ERROR_CODE", NtopFieldId.L7ErrorCode),
        ("L7_RISK_INFO", NtopFieldId.L7RiskInfo),
        ("L7_CONFIDENCE", NtopFieldId.L7Confidence),
        ("JA4C_HASH", NtopFieldId.Ja4cHash),
        ("FLOW_SOURCE", NtopFieldId.FlowSource),
        ("UNIQUE_SOURCE_ID", NtopFieldId.UniqueSourceId),
        ("FLOWHIVE_TUNNEL_ID", FlowhiveFieldId.TunnelId),
        ("FLOWHIVE_L7_CATEGORY", FlowhiveFieldId.L7Category),
        ("FLOWHIVE_SSH_CLIENT_BANNER", FlowhiveFieldId.SshClientBanner),
        ("FLOWHIVE_SSH_SERVER_BANNER", FlowhiveFieldId.SshServerBanner),
        ("FLOWHIVE_SSH_HASSH_CLIENT", FlowhiveFieldId.SshHasshClient),
        ("FLOWHIVE_SSH_HASSH_SERVER", FlowhiveFieldId.SshHasshServer),
        ("FLOWHIVE_TLS_ALPN", FlowhiveFieldId.TlsAlpn),
        ("FLOWHIVE_TLS_CERT_SUBJECT", FlowhiveFieldId.TlsCertificateSubject),
        ("FLOWHIVE_TLS_CERT_ISSUER", FlowhiveFieldId.TlsCertificateIssuer),
        ("FLOWHIVE_TLS_VERSION", FlowhiveFieldId.TlsVersion),
        ("FLOWHIVE_HTTP_CONTENT_TYPE", FlowhiveFieldId.HttpContentType),
        ("FLOWHIVE_HOST_NAME", FlowhiveFieldId.HostName),
        ("FLOWHIVE_DHCP_VENDOR", FlowhiveFieldId.DhcpVendor),
        ("FLOWHIVE_DNS_ANSWERS", FlowhiveFieldId.DnsAnswers),
    ];

    /// <summary>Other spellings accepted when decoding; <see cref="TryGetLabel"/> returns the primary label.</summary>
    private static readonly (string Label, uint Id)[] Aliases =
    [
        ("POST_NAPT_SRC_TRANSPORT_PORT", NtopFieldId.PostNatSrcTransportPort),
        ("POST_NAPT_DST_TRANSPORT_PORT", NtopFieldId.PostNatDstTransportPort),
        ("flowStartMilliseconds", NtopFieldId.FlowStartMilliseconds),
        ("flowEndMilliseconds", NtopFieldId.FlowEndMilliseconds),
    ];

    private static readonly FrozenDictionary<string, uint> IdsByLabel =
        Labels.Concat(Aliases).ToFrozenDictionary(e => e.Label, e => e.Id, StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, uint>.AlternateLookup<ReadOnlySpan<char>> IdsByLabelSpan =
        IdsByLabel.GetAlternateLookup<ReadOnlySpan<char>>();

    private static readonly FrozenDictionary<uint, string> LabelsById = Labels.ToFrozenDictionary(e => e.Id, e => e.Label);

    /// <summary>Every primary label with its id.</summary>
    public static IReadOnlyList<(string Label, uint Id)> All => Labels;

    /// <summary>Case-sensitive, as ntopng's map is.</summary>
    public static bool TryGetId(ReadOnlySpan<char> label, out uint id) => IdsByLabelSpan.TryGetValue(label, out id);

    public static bool TryGetLabel(uint id, [NotNullWhen(true)] out string? label) => LabelsById.TryGetValue(id, out label);

    /// <summary>
    /// Resolves a string key to the NFv9 id it means for ntopng: "8" (PEN 0, with the fall-through to the ntop
    /// PEN for ids ntopng does not handle as PEN 0), "35632.118" / "0.8" (dotted PEN; Flowhive's own fields under
    /// <see cref="FlowhiveFieldId.Pen"/>), or a label. Keys of other enterprises, malformed numbers and unknown labels return false.
    /// </summary>
    public static bool TryResolveKey(ReadOnlySpan<byte> utf8Key, out uint id)
    {
        id = 0;
        if (utf8Key.IsEmpty || utf8Key.Length > MaxLabelLength)
        {
            return false;
        }

        if (IsDigit(utf8Key[0]))
        {
            var dot = utf8Key.IndexOf((byte)'.');
            if (dot < 0)
            {
                if (!TryParseDecimal(utf8Key, out var field))
                {
                    return false;
                }

                id = NtopFieldId.FromPenZero(field);
                return true;
            }

            if (!TryParseDecimal(utf8Key[..dot], out var pen) || !TryParseDecimal(utf8Key[(dot + 1)..], out var penField))
            {
                return false;
            }

            switch (pen)
            {
                case 0:
                    id = NtopFieldId.FromPenZero(penField);
                    return true;
                case NtopFieldId.NtopPen:
                    id = NtopFieldId.FromNtopPen(penField);
                    return true;
                case FlowhiveFieldId.Pen:
                    return FlowhiveFieldId.TryFromPen(penField, out id);
                default:
                    return false;
            }
        }

        Span<char> chars = stackalloc char[MaxLabelLength];
        for (var i = 0; i < utf8Key.Length; i++)
        {
            var b = utf8Key[i];
            if (b >= 0x80)
            {
                return false;
            }

            chars[i] = (char)b;
        }

        return TryGetId(chars[..utf8Key.Length], out id);
    }

    private static bool IsDigit(byte b) => (uint)(b - '0') <= 9;

    private static bool TryParseDecimal(ReadOnlySpan<byte> digits, out uint value)
    {
        value = 0;
        if (digits.IsEmpty)
        {
            return false;
        }

        ulong accumulated = 0;
        foreach (var b in digits)
        {
            if (!IsDigit(b))
            {
                return false;
            }

            accumulated = (accumulated * 10) + (uint)(b - '0');
            if (accumulated > uint.MaxValue)
            {
                return false;
            }
        }

        value = (uint)accumulated;
        return true;
    }
}
