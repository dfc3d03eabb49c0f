namespace Flowhive.Shared.Wire;

/// <summary>
/// NetFlow v9 field ids as nProbe exports them and ntopng parses them (<c>include/ntop_flow.h</c>, nProbe's IE
/// table). Fields of ntop's private enterprise number 35632 appear as <see cref="NtopBaseId"/> + n, so
/// "35632.118" and 57590 are the same field. Names mirror nProbe's labels (<see cref="NtopFieldLabels"/>).
/// </summary>
public static class NtopFieldId
{
    /// <summary>ntop's IANA private enterprise number.</summary>
    public const uint NtopPen = 35632;

    /// <summary>NFv9 id of ntop PEN field 0 (NTOP_BASE_ID).</summary>
    public const uint NtopBaseId = 57472;

    // Standard (PEN 0) fields.
    public const uint InBytes = 1;
    public const uint InPkts = 2;
    public const uint Protocol = 4;
    public const uint SrcTos = 5;
    public const uint TcpFlags = 6;
    public const uint L4SrcPort = 7;
    public const uint Ipv4SrcAddr = 8;
    public const uint Ipv4SrcMask = 9;
    public const uint InputSnmp = 10;
    public const uint L4DstPort = 11;
    public const uint Ipv4DstAddr = 12;
    public const uint Ipv4DstMask = 13;
    public const uint OutputSnmp = 14;
    public const uint Ipv4NextHop = 15;
    public const uint SrcAs = 16;
    public const uint DstAs = 17;

    /// <summary>Epoch seconds.</summary>
    public const uint LastSwitched = 21;

    /// <summary>Epoch seconds.</summary>
    public const uint FirstSwitched = 22;

    public const uint OutBytes = 23;
    public const uint OutPkts = 24;
    public const uint Ipv6SrcAddr = 27;
    public const uint Ipv6DstAddr = 28;
    public const uint SamplingInterval = 34;
    public const uint TotalFlowsExp = 42;
    public const uint DstTos = 55;

    /// <summary>Client MAC, "aa:bb:cc:dd:ee:ff".</summary>
    public const uint InSrcMac = 56;

    /// <summary>Server MAC, "aa:bb:cc:dd:ee:ff".</summary>
    public const uint OutDstMac = 57;

    /// <summary>ntopng treats values above 4095 as 0.</summary>
    public const uint SrcVlan = 58;

    public const uint DstVlan = 59;
    public const uint IpProtocolVersion = 60;
    public const uint Direction = 61;
    public const uint InDstMac = 80;
    public const uint OutSrcMac = 81;
    public const uint BgpNextAdjacentAsn = 128;
    public const uint BgpPrevAdjacentAsn = 129;
    public const uint ExporterIpv4Address = 130;
    public const uint ExporterIpv6Address = 131;
    public const uint FlowEndReason = 136;
    public const uint WlanSsid = 147;

    /// <summary>
    /// IPFIX flowStartMilliseconds. ntopng does not parse it: it falls through to ntop field 57624 and is kept
    /// as an additional field, so sending it is harmless and gives Flowhive collectors millisecond precision.
    /// </summary>
    public const uint FlowStartMilliseconds = 152;

    /// <summary>IPFIX flowEndMilliseconds (see <see cref="FlowStartMilliseconds"/>).</summary>
    public const uint FlowEndMilliseconds = 153;

    public const uint PostNatSrcIpv4Addr = 225;
    public const uint PostNatDstIpv4Addr = 226;
    public const uint PostNatSrcTransportPort = 227;
    public const uint PostNatDstTransportPort = 228;

    /// <summary>Absolute (not delta) client bytes.</summary>
    public const uint InitiatorOctets = 231;

    /// <summary>Absolute (not delta) server bytes.</summary>
    public const uint ResponderOctets = 232;

    public const uint IngressVrfId = 234;
    public const uint Dot1qSrcVlan = 243;
    public const uint Dot1qDstVlan = 254;
    public const uint InitiatorPkts = 298;
    public const uint ResponderPkts = 299;
    public const uint ObservationPointId = 300;
    public const uint WtpMacAddress = 367;

    // ntop PEN 35632 fields (NFv9 id = 57472 + n).
    public const uint ClientTcpFlags = NtopBaseId + 78;
    public const uint ServerTcpFlags = NtopBaseId + 79;
    public const uint SrcFragments = NtopBaseId + 80;
    public const uint DstFragments = NtopBaseId + 81;
    public const uint RetransmittedInPkts = NtopBaseId + 109;
    public const uint RetransmittedOutPkts = NtopBaseId + 110;
    public const uint OoorderInPkts = NtopBaseId + 111;
    public const uint OoorderOutPkts = NtopBaseId + 112;

    /// <summary>An integer app id, or the string "master.app" (e.g. "91.124").</summary>
    public const uint L7Proto = NtopBaseId + 118;

    public const uint L7ProtoName = NtopBaseId + 119;
    public const uint NprobeInstanceName = NtopBaseId + 122;

    /// <summary>Float milliseconds.</summary>
    public const uint ClientNwLatencyMs = NtopBaseId + 123;

    /// <summary>Float milliseconds.</summary>
    public const uint ServerNwLatencyMs = NtopBaseId + 124;

    public const uint ApplLatencyMs = NtopBaseId + 125;
    public const uint SipCallId = NtopBaseId + 130;
    public const uint HttpUrl = NtopBaseId + 180;
    public const uint HttpRetCode = NtopBaseId + 181;
    public const uint HttpUserAgent = NtopBaseId + 183;
    public const uint SmtpMailFrom = NtopBaseId + 185;
    public const uint SmtpRcptTo = NtopBaseId + 186;

    /// <summary>Not interpreted by ntopng; send the host as <see cref="HttpSite"/> or <see cref="L7Info"/>.</summary>
    public const uint HttpHost = NtopBaseId + 187;

    public const uint TlsServerName = NtopBaseId + 188;
    public const uint BittorrentHash = NtopBaseId + 189;
    public const uint DnsQuery = NtopBaseId + 205;
    public const uint DnsQueryType = NtopBaseId + 207;
    public const uint DnsRetCode = NtopBaseId + 208;
    public const uint DhcpClientName = NtopBaseId + 355;
    public const uint HttpMethod = NtopBaseId + 360;
    public const uint HttpSite = NtopBaseId + 361;
    public const uint TcpWinMaxIn = NtopBaseId + 416;
    public const uint TcpWinMaxOut = NtopBaseId + 420;
    public const uint NprobeIpv4Address = NtopBaseId + 471;

    /// <summary>Removed from ntopng on 2024-08-09; older builds (6.2 and before) still parse it.</summary>
    public const uint Ja3cHash = NtopBaseId + 489;

    /// <summary>Removed from ntopng on 2024-08-09; older builds (6.2 and before) still parse it.</summary>
    public const uint Ja3sHash = NtopBaseId + 490;

    public const uint TlsCipher = NtopBaseId + 493;
    public const uint SslUnsafeCipher = NtopBaseId + 494;
    public const uint L7ProtoRisk = NtopBaseId + 509;
    public const uint L7ProtoRiskName = NtopBaseId + 510;
    public const uint FlowVerdict = NtopBaseId + 522;

    /// <summary>nProbe's numbering; ntopng's header has a colliding internal id (58003).</summary>
    public const uint L7RiskScore = NtopBaseId + 527;

    public const uint L7Info = NtopBaseId + 539;
    public const uint L7ErrorCode = NtopBaseId + 554;
    public const uint L7RiskInfo = NtopBaseId + 555;
    public const uint L7Confidence = NtopBaseId + 560;
    public const uint Ja4cHash = NtopBaseId + 576;

    /// <summary>0 = packets, 1 = NetFlow/IPFIX, 2 = sFlow.</summary>
    public const uint FlowSource = NtopBaseId + 579;

    public const uint UniqueSourceId = NtopBaseId + 589;

    /// <summary>
    /// Whether a PEN-0 id keeps its standard meaning. ntopng tries <c>parsePENZeroField</c> first and, for ids
    /// it does not handle there, falls through to the ntop PEN, so a bare 118 means L7_PROTO. This is that
    /// handled set, plus the millisecond timestamps Flowhive gives their IPFIX meaning.
    /// </summary>
    public static bool IsPenZeroField(uint id) => id switch
    {
        InBytes or InPkts or Protocol or SrcTos or TcpFlags or L4SrcPort or Ipv4SrcAddr or Ipv4SrcMask or InputSnmp
            or L4DstPort or Ipv4DstAddr or Ipv4DstMask or OutputSnmp or Ipv4NextHop or SrcAs or DstAs
            or LastSwitched or FirstSwitched or OutBytes or OutPkts or Ipv6SrcAddr or Ipv6DstAddr
            or SamplingInterval or TotalFlowsExp or DstTos or InSrcMac or OutDstMac or SrcVlan or DstVlan
            or IpProtocolVersion or Direction or InDstMac or OutSrcMac or BgpNextAdjacentAsn or BgpPrevAdjacentAsn
            or ExporterIpv4Address or ExporterIpv6Address or FlowEndReason or WlanSsid
            or FlowStartMilliseconds or FlowEndMilliseconds
            or PostNatSrcIpv4Addr or PostNatDstIpv4Addr or PostNatSrcTransportPort or PostNatDstTransportPort
            or InitiatorOctets or ResponderOctets or IngressVrfId or Dot1qSrcVlan or Dot1qDstVlan
            or InitiatorPkts or ResponderPkts or ObservationPointId or WtpMacAddress => true,
        _ => false,
    };

    /// <summary>Maps a PEN-0 (or unqualified) id to the id it means, applying ntopng's fall-through to the ntop PEN.</summary>
    public static uint FromPenZero(uint id) => IsPenZeroField(id) || id >= NtopBaseId ? id : id + NtopBaseId;

    /// <summary>Maps a field number of the ntop PEN ("35632.n") to its NFv9 id; ids already offset are kept.</summary>
    public static uint FromNtopPen(uint field) => field < NtopBaseId ? field + NtopBaseId : field;
}
