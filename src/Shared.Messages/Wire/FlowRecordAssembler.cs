using System.Globalization;
using System.Text;
using Flowhive.Shared.Flows;
using Flowhive.Shared.Net;

namespace Flowhive.Shared.Wire;

/// <summary>
/// Builds one <see cref="FlowRecord"/> from (field id, value) pairs with ntopng's interpretation of each field,
/// whichever encoding they arrived in. Fields whose meaning depends on others (timestamps, TCP flags, IP
/// version) are resolved when the record is completed.
/// </summary>
internal struct FlowRecordAssembler
{
    private FlowRecord _record;
    private bool _srcSet;
    private bool _dstSet;
    private bool _hasFirstSeconds;
    private bool _hasLastSeconds;
    private bool _hasStartMs;
    private bool _hasEndMs;
    private bool _hasTcpFlags;
    private bool _hasDirectionalTcpFlags;
    private byte _tcpFlags;
    private ulong _firstSeconds;
    private ulong _lastSeconds;
    private ulong _startMs;
    private ulong _endMs;
    private uint _probeIpv4;

    /// <summary>Whether any item of the current record has been seen.</summary>
    public bool HasItems { get; private set; }

    /// <summary>Counts an item whose key means nothing to this codec.</summary>
    public void SkipUnknown(ref FlowDecodeCounters counters)
    {
        HasItems = true;
        counters.Unknown++;
    }

    /// <summary>Throws the current record away after a framing error.</summary>
    public void Abandon(ref FlowDecodeCounters counters)
    {
        if (HasItems)
        {
            counters.Dropped++;
        }

        this = default;
    }

    /// <summary>
    /// Finishes the current record and starts a new one. Returns false when the record limit was reached and
    /// decoding must stop.
    /// </summary>
    public bool Complete(List<FlowRecord> destination, ref FlowDecodeCounters counters, int maxRecords)
    {
        if (!HasItems)
        {
            return true;
        }

        if (counters.Decoded >= maxRecords)
        {
            counters.Dropped++;
            counters.Note(FlowDecodeStatus.TooManyRecords);
            this = default;
            return false;
        }

        if (!_srcSet || !_dstSet)
        {
            counters.Dropped++;
            counters.Note(FlowDecodeStatus.MissingAddresses);
            this = default;
            return true;
        }

        if (_record.IpVersion == 0)
        {
            _record.IpVersion = (byte)(_record.SrcAddr.IsV4 ? 4 : 6);
        }

        // Millisecond fields win: the second fields would lose the sub-second part.
        _record.FirstSwitchedUs = _hasStartMs ? Scale(_startMs, 1000)
            : _hasFirstSeconds ? Scale(_firstSeconds, 1_000_000) : 0;
        _record.LastSwitchedUs = _hasEndMs ? Scale(_endMs, 1000)
            : _hasLastSeconds ? Scale(_lastSeconds, 1_000_000) : 0;

        // As in ntopng, the probe's own address names the exporter when EXPORTER_IPV4_ADDRESS is missing.
        if (_record.ExporterIpv4 == 0)
        {
            _record.ExporterIpv4 = _probeIpv4;
        }

        // A plain TCP_FLAGS (NetFlow-style templates) has no direction; the client side is the best home for it.
        if (_hasTcpFlags && !_hasDirectionalTcpFlags)
        {
            _record.ClientTcpFlags = _tcpFlags;
        }

        destination.Add(_record);
        counters.Decoded++;
        this = default;
        return true;
    }

    /// <summary>Applies one field, given as its NFv9 id (ntop PEN fields as 57472 + n).</summary>
    public void Apply(uint id, scoped in WireValue value, ref FlowDecodeCounters counters)
    {
        HasItems = true;
        ref var record = ref _record;
        bool valid;
        ulong number = 0;
        IpAddr address;
        switch (id)
        {
            case NtopFieldId.Ipv4SrcAddr:
            case NtopFieldId.Ipv6SrcAddr:
                if (valid = TryGetAddress(value, out address))
                {
                    SetAddress(ref record.SrcAddr, ref _srcSet, address);
                }

                break;
            case NtopFieldId.Ipv4DstAddr:
            case NtopFieldId.Ipv6DstAddr:
                if (valid = TryGetAddress(value, out address))
                {
                    SetAddress(ref record.DstAddr, ref _dstSet, address);
                }

                break;
            case NtopFieldId.L4SrcPort:
                // ntopng keeps the first non-zero port; ports wider than 16 bits are cut as its u16 store does.
                if ((valid = TryGetUInt(value, out number)) && record.SrcPort == 0)
                {
                    record.SrcPort = (ushort)number;
                }

                break;
            case NtopFieldId.L4DstPort:
                if ((valid = TryGetUInt(value, out number)) && record.DstPort == 0)
                {
                    record.DstPort = (ushort)number;
                }

                break;
            case NtopFieldId.Protocol:
                if (valid = TryGetUInt(value, out number) && number <= byte.MaxValue)
                {
                    record.Protocol = (byte)number;
                }

                break;
            case NtopFieldId.IpProtocolVersion:
                if (valid = TryGetUInt(value, out number) && number is 4 or 6)
                {
                    record.IpVersion = (byte)number;
                }

                break;
            case NtopFieldId.SrcVlan:
            case NtopFieldId.DstVlan:
                if (valid = TryGetUInt(value, out number))
                {
                    record.Vlan = number > 4095 ? (ushort)0 : (ushort)number;
                }

                break;
            case NtopFieldId.Dot1qSrcVlan:
            case NtopFieldId.Dot1qDstVlan:
                // Outer Q-in-Q tags count only when there is no inner one.
                if ((valid = TryGetUInt(value, out number)) && record.Vlan == 0 && number <= 4095)
                {
                    record.Vlan = (ushort)number;
                }

                break;
            case NtopFieldId.InSrcMac:
            case NtopFieldId.OutSrcMac:
                if (valid = value.Kind == WireValueKind.Text && MacAddressText.TryParse(value.Text, out number))
                {
                    record.SrcMac = number;
                }

                break;
            case NtopFieldId.InDstMac:
            case NtopFieldId.OutDstMac:
                if (valid = value.Kind == WireValueKind.Text && MacAddressText.TryParse(value.Text, out number))
                {
                    record.DstMac = number;
                }

                break;
            case NtopFieldId.InBytes:
            case NtopFieldId.InitiatorOctets:
                if (valid = TryGetUInt(value, out number))
                {
                    record.InBytes = number;
                }

                break;
            case NtopFieldId.InPkts:
            case NtopFieldId.InitiatorPkts:
                if (valid = TryGetUInt(value, out number))
                {
                    record.InPkts = number;
                }

                break;
            case NtopFieldId.OutBytes:
            case NtopFieldId.ResponderOctets:
                if (valid = TryGetUInt(value, out number))
                {
                    record.OutBytes = number;
                }

                break;
            case NtopFieldId.OutPkts:
            case NtopFieldId.ResponderPkts:
                if (valid = TryGetUInt(value, out number))
                {
                    record.OutPkts = number;
                }

                break;
            case NtopFieldId.FirstSwitched:
                valid = _hasFirstSeconds = TryGetUInt(value, out _firstSeconds);
                break;
            case NtopFieldId.LastSwitched:
                valid = _hasLastSeconds = TryGetUInt(value, out _lastSeconds);
                break;
            case NtopFieldId.FlowStartMilliseconds:
                valid = _hasStartMs = TryGetUInt(value, out _startMs);
                break;
            case NtopFieldId.FlowEndMilliseconds:
                valid = _hasEndMs = TryGetUInt(value, out _endMs);
                break;
            case NtopFieldId.TcpFlags:
                if (valid = TryGetUInt(value, out number) && number <= byte.MaxValue)
                {
                    _tcpFlags = (byte)number;
                    _hasTcpFlags = true;
                }

                break;
            case NtopFieldId.ClientTcpFlags:
                if (valid = TryGetUInt(value, out number) && number <= byte.MaxValue)
                {
                    record.ClientTcpFlags = (byte)number;
                    _hasDirectionalTcpFlags = true;
                }

                break;
            case NtopFieldId.ServerTcpFlags:
                if (valid = TryGetUInt(value, out number) && number <= byte.MaxValue)
                {
                    record.ServerTcpFlags = (byte)number;
                    _hasDirectionalTcpFlags = true;
                }

                break;
            case NtopFieldId.L7Proto:
                valid = TrySetL7(value, ref record);
                break;
            case NtopFieldId.ClientNwLatencyMs:
                valid = TryGetLatency(value, out record.ClientNwLatencyMs);
                break;
            case NtopFieldId.ServerNwLatencyMs:
                valid = TryGetLatency(value, out record.ServerNwLatencyMs);
                break;
            case NtopFieldId.RetransmittedInPkts:
                valid = TryGetCounter(value, out record.RetransmittedInPkts);
                break;
            case NtopFieldId.RetransmittedOutPkts:
                valid = TryGetCounter(value, out record.RetransmittedOutPkts);
                break;
            case NtopFieldId.OoorderInPkts:
                valid = TryGetCounter(value, out record.OutOfOrderInPkts);
                break;
            case NtopFieldId.OoorderOutPkts:
                valid = TryGetCounter(value, out record.OutOfOrderOutPkts);
                break;
            case NtopFieldId.Direction:
                if (valid = TryGetUInt(value, out number))
                {
                    record.Direction = FlowDirections.FromWire(number);
                }

                break;
            case NtopFieldId.ExporterIpv4Address:
            case NtopFieldId.NprobeIpv4Address:
                if (valid = TryGetAddress(value, out address) && address.IsV4)
                {
                    if (id == NtopFieldId.ExporterIpv4Address)
                    {
                        record.ExporterIpv4 = address.V4;
                    }
                    else
                    {
                        _probeIpv4 = address.V4;
                    }
                }

                break;
            case NtopFieldId.UniqueSourceId:
                valid = TryGetUInt(value, out _); // known, and kept per source by the ZeroMQ header's source id
                break;
            case FlowhiveFieldId.TunnelId:
                if (valid = TryGetUInt(value, out number) && number <= uint.MaxValue)
                {
                    record.TunnelId = (uint)number;
                }

                break;
            case FlowhiveFieldId.L7Category:
                if (valid = TryGetUInt(value, out number) && number <= ushort.MaxValue)
                {
                    record.L7Category = (ushort)number;
                }

                break;
            case NtopFieldId.FlowEndReason:
                if (valid = TryGetUInt(value, out number) && number <= (ulong)FlowEndReason.LackOfResources)
                {
                    record.EndReason = (FlowEndReason)number;
                }

                break;
            case NtopFieldId.HttpRetCode:
                if (valid = TryGetUInt(value, out number) && number <= ushort.MaxValue)
                {
                    Metadata(ref record).HttpReturnCode = (ushort)number;
                }

                break;
            case NtopFieldId.DnsQueryType:
                if (valid = TryGetUInt(value, out number) && number <= ushort.MaxValue)
                {
                    Metadata(ref record).DnsQueryType = (ushort)number;
                }

                break;
            case NtopFieldId.DnsRetCode:
                if (valid = TryGetUInt(value, out number) && number <= byte.MaxValue)
                {
                    Metadata(ref record).DnsReturnCode = (byte)number;
                }

                break;
            case NtopFieldId.L7ProtoName:
            case NtopFieldId.L7Info:
            case NtopFieldId.DnsQuery:
            case NtopFieldId.HttpSite:
            case NtopFieldId.HttpUrl:
            case NtopFieldId.HttpMethod:
            case NtopFieldId.HttpUserAgent:
            case NtopFieldId.TlsServerName:
            case NtopFieldId.Ja4cHash:
            case NtopFieldId.BittorrentHash:
            case FlowhiveFieldId.SshClientBanner:
            case FlowhiveFieldId.SshServerBanner:
            case FlowhiveFieldId.SshHasshClient:
            case FlowhiveFieldId.SshHasshServer:
            case FlowhiveFieldId.TlsAlpn:
            case FlowhiveFieldId.TlsCertificateSubject:
            case FlowhiveFieldId.TlsCertificateIssuer:
            case FlowhiveFieldId.HttpContentType:
            case FlowhiveFieldId.HostName:
            case FlowhiveFieldId.DhcpVendor:
            case FlowhiveFieldId.DnsAnswers:
                valid = TrySetText(value, ref record, id, ref counters);
                break;
            case FlowhiveFieldId.TlsVersion:
                if (valid = TryGetUInt(value, out number) && number <= ushort.MaxValue)
                {
                    Metadata(ref record).TlsVersion = (ushort)number;
                }

                break;
            default:
                counters.Unknown++;
                return;
        }

        if (!valid)
        {
            counters.Invalid++;
        }
    }

    private static long Scale(ulong value, long factor) =>
        value > (ulong)(long.MaxValue / factor) ? long.MaxValue : (long)value * factor;

    private static bool TrySetText(scoped in WireValue value, ref FlowRecord record, uint id, ref FlowDecodeCounters counters)
    {
        if (value.Kind != WireValueKind.Text)
        {
            return false;
        }

        var bytes = value.Text;
        if (bytes.Length > FlowRecordTlv.MaxStringBytes)
        {
            counters.Note(FlowDecodeStatus.StringTooLong);
            return false;
        }

        // Empty strings carry nothing; ntopng skips them too.
        if (bytes.IsEmpty)
        {
            return true;
        }

        var text = Encoding.UTF8.GetString(bytes);
        var metadata = Metadata(ref record);
        switch (id)
        {
            case NtopFieldId.L7ProtoName:
                metadata.L7ProtoName = text;
                break;
            case NtopFieldId.L7Info:
                metadata.L7Info = text;
                break;
            case NtopFieldId.DnsQuery:
                metadata.DnsQuery = text;
                break;
            case NtopFieldId.HttpSite:
                metadata.HttpSite = text;
                break;
            case NtopFieldId.HttpUrl:
                metadata.HttpUrl = text;
                break;
            case NtopFieldId.HttpMethod:
                metadata.HttpMethod = text;
                break;
            case NtopFieldId.HttpUserAgent:
                metadata.HttpUserAgent = text;
                break;
            case NtopFieldId.TlsServerName:
                metadata.TlsServerName = text;
                break;
            case NtopFieldId.BittorrentHash:
                metadata.BittorrentHash = text;
                break;
            case FlowhiveFieldId.SshClientBanner:
                metadata.SshClientBanner = text;
                break;
            case FlowhiveFieldId.SshServerBanner:
                metadata.SshServerBanner = text;
                break;
            case FlowhiveFieldId.SshHasshClient:
                metadata.HasshClient = text;
                break;
            case FlowhiveFieldId.SshHasshServer:
                metadata.HasshServer = text;
                break;
            case FlowhiveFieldId.TlsAlpn:
                metadata.TlsAlpn = text;
                break;
            case FlowhiveFieldId.TlsCertificateSubject:
                metadata.TlsCertificateSubject = text;
                break;
            case FlowhiveFieldId.TlsCertificateIssuer:
                metadata.TlsCertificateIssuer = text;
                break;
            case FlowhiveFieldId.HttpContentType:
                metadata.HttpContentType = text;
                break;
            case FlowhiveFieldId.HostName:
                metadata.HostName = text;
                break;
            case FlowhiveFieldId.DhcpVendor:
                metadata.DhcpVendor = text;
                break;
            case FlowhiveFieldId.DnsAnswers:
                metadata.DnsAnswers = text;
                break;
            default:
                metadata.Ja4Client = text;
                break;
        }

        return true;
    }

    private static FlowMetadata Metadata(ref FlowRecord record) => record.Metadata ??= new FlowMetadata();

    /// <summary>"master.app" sets both halves; a bare number (text or integer) is the app id alone, as in ntopng.</summary>
    private static bool TrySetL7(scoped in WireValue value, ref FlowRecord record)
    {
        if (value.Kind != WireValueKind.Text)
        {
            if (!TryGetUInt(value, out var app) || app > ushort.MaxValue)
            {
                return false;
            }

            record.L7App = (ushort)app;
            return true;
        }

        var text = value.Text;
        var dot = text.IndexOf((byte)'.');
        if (dot < 0)
        {
            if (!ushort.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var appOnly))
            {
                return false;
            }

            record.L7App = appOnly;
            return true;
        }

        if (!ushort.TryParse(text[..dot], NumberStyles.None, CultureInfo.InvariantCulture, out var master)
            || !ushort.TryParse(text[(dot + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var application))
        {
            return false;
        }

        record.L7Master = master;
        record.L7App = application;
        return true;
    }

    /// <summary>Integers of any width and sign (negative ones rejected), or decimal text as ntopng's atol accepts.</summary>
    private static bool TryGetUInt(scoped in WireValue value, out ulong result)
    {
        switch (value.Kind)
        {
            case WireValueKind.Unsigned:
                result = value.Unsigned;
                return true;
            case WireValueKind.Signed:
                result = (ulong)value.Signed;
                return value.Signed >= 0;
            case WireValueKind.Text:
                return ulong.TryParse(value.Text, NumberStyles.None, CultureInfo.InvariantCulture, out result);
            default:
                result = 0;
                return false;
        }
    }

    private static bool TryGetCounter(scoped in WireValue value, out uint result)
    {
        var valid = TryGetUInt(value, out var wide);
        result = (uint)Math.Min(wide, uint.MaxValue);
        return valid;
    }

    private static bool TryGetLatency(scoped in WireValue value, out float result)
    {
        double milliseconds;
        switch (value.Kind)
        {
            case WireValueKind.Float:
                milliseconds = value.Float;
                break;
            case WireValueKind.Text:
                if (!double.TryParse(value.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out milliseconds))
                {
                    result = 0;
                    return false;
                }

                break;
            default:
                if (!TryGetUInt(value, out var whole))
                {
                    result = 0;
                    return false;
                }

                milliseconds = whole;
                break;
        }

        result = (float)milliseconds;
        if (!float.IsFinite(result) || result < 0)
        {
            result = 0;
            return false;
        }

        return true;
    }

    /// <summary>Text is parsed as an address; an integer is a numeric IPv4 address (0xC0A80101 = 192.168.1.1).</summary>
    private static bool TryGetAddress(scoped in WireValue value, out IpAddr address)
    {
        if (value.Kind == WireValueKind.Text)
        {
            return IpAddressText.TryParse(value.Text, out address);
        }

        address = default;
        if (value.Kind is not (WireValueKind.Unsigned or WireValueKind.Signed)
            || !TryGetUInt(value, out var number)
            || number > uint.MaxValue)
        {
            return false;
        }

        address = IpAddr.FromV4((uint)number);
        return true;
    }

    /// <summary>
    /// As ntopng: an address already set is only replaced while it is empty (0.0.0.0 or ::), and never by
    /// another empty one, so exporting both the IPv4 and IPv6 fields works.
    /// </summary>
    private static void SetAddress(ref IpAddr slot, ref bool isSet, IpAddr value)
    {
        if (!isSet || (IsEmpty(slot) && !IsEmpty(value)))
        {
            slot = value;
            isSet = true;
        }
    }

    private static bool IsEmpty(IpAddr address) => address.IsNone || (address.IsV4 && address.V4 == 0);
}
