using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;
using Flowhive.Shared.Flows;
using Flowhive.Shared.Net;

namespace Flowhive.Shared.Wire.NetFlow;

/// <summary>
/// Builds one <see cref="FlowRecord"/> from the fields of one NetFlow/IPFIX data record. A unidirectional record
/// becomes a record with In* counters only; OUT_BYTES/OUT_PKTS, when present, fill Out*. Times are resolved when
/// the record is complete: absolute seconds or milliseconds win, else sysUptime-relative values against the boot
/// time the header (v5/v9) or a systemInitTimeMilliseconds field (IPFIX) gives.
/// </summary>
internal struct NetFlowRecordBuilder
{
    private FlowRecord _record;
    private bool _srcSet;
    private bool _dstSet;
    private bool _hasTcpFlags;
    private bool _hasDirectionalTcpFlags;
    private byte _tcpFlags;
    private ulong? _firstUptime;
    private ulong? _lastUptime;
    private ulong? _startMs;
    private ulong? _endMs;
    private ulong? _systemInitMs;

    /// <summary>Applies one field's bytes; false when they cannot be a value of that field.</summary>
    public bool Apply(in DecodedField field, ReadOnlySpan<byte> value)
    {
        ref var r = ref _record;
        switch (field.Source)
        {
            case ElementSource.SrcAddr:
                return TryAddress(value, ref r.SrcAddr, ref _srcSet);
            case ElementSource.DstAddr:
                return TryAddress(value, ref r.DstAddr, ref _dstSet);
            case ElementSource.SrcMac:
            case ElementSource.DstMac:
                if (value.Length != 6)
                {
                    return false;
                }

                (field.Source == ElementSource.SrcMac ? ref r.SrcMac : ref r.DstMac) = ReadUnsigned(value);
                return true;
            case ElementSource.ClientNwLatency:
            case ElementSource.ServerNwLatency:
                if (!TryFloat(value, out var latency))
                {
                    return false;
                }

                (field.Source == ElementSource.ClientNwLatency ? ref r.ClientNwLatencyMs : ref r.ServerNwLatencyMs) = latency;
                return true;
            case ElementSource.L7ProtoName:
            case ElementSource.L7Info:
            case ElementSource.DnsQuery:
            case ElementSource.HttpSite:
            case ElementSource.HttpUrl:
            case ElementSource.HttpMethod:
            case ElementSource.HttpUserAgent:
            case ElementSource.TlsServerName:
            case ElementSource.Ja4Client:
                SetText(field.Source, value);
                return true;
            case ElementSource.None:
                return true;
        }

        if (field.Type != ElementType.Unsigned)
        {
            return true; // the exporter's own address or name: nothing for the flow
        }

        if (value.IsEmpty || value.Length > 8)
        {
            return false;
        }

        var number = ReadUnsigned(value);
        switch (field.Source)
        {
            case ElementSource.Bytes:
                r.InBytes = number;
                break;
            case ElementSource.Packets:
                r.InPkts = number;
                break;
            case ElementSource.ReverseBytes:
                r.OutBytes = number;
                break;
            case ElementSource.ReversePackets:
                r.OutPkts = number;
                break;
            case ElementSource.SrcPort:
                r.SrcPort = (ushort)number;
                break;
            case ElementSource.DstPort:
                r.DstPort = (ushort)number;
                break;
            case ElementSource.Protocol:
                r.Protocol = (byte)number;
                break;
            case ElementSource.IpVersion:
                if (number is not (4 or 6))
                {
                    return false;
                }

                r.IpVersion = (byte)number;
                break;
            case ElementSource.TcpFlags:
                _tcpFlags = (byte)number;
                _hasTcpFlags = true;
                break;
            case ElementSource.ClientTcpFlags:
                r.ClientTcpFlags = (byte)number;
                _hasDirectionalTcpFlags = true;
                break;
            case ElementSource.ServerTcpFlags:
                r.ServerTcpFlags = (byte)number;
                _hasDirectionalTcpFlags = true;
                break;
            case ElementSource.Vlan:
                r.Vlan = number > 4095 ? (ushort)0 : (ushort)number;
                break;
            case ElementSource.EndReason:
                r.EndReason = number <= (ulong)FlowEndReason.LackOfResources ? (FlowEndReason)number : FlowEndReason.Unknown;
                break;
            case ElementSource.FirstSwitchedUptime:
                _firstUptime = number;
                break;
            case ElementSource.LastSwitchedUptime:
                _lastUptime = number;
                break;
            case ElementSource.FlowStartSeconds:
                _startMs ??= Scale(number, 1000);
                break;
            case ElementSource.FlowEndSeconds:
                _endMs ??= Scale(number, 1000);
                break;
            case ElementSource.FlowStartMilliseconds:
                _startMs = number; // milliseconds win over seconds, whichever came first
                break;
            case ElementSource.FlowEndMilliseconds:
                _endMs = number;
                break;
            case ElementSource.SystemInitMilliseconds:
                _systemInitMs = number;
                break;
            case ElementSource.L7Proto:
                r.L7App = (ushort)number;
                break;
            case ElementSource.HttpReturnCode:
                // 0 is "none": it must not give a record without HTTP metadata an empty metadata object.
                if (number != 0)
                {
                    Metadata().HttpReturnCode = (ushort)number;
                }

                break;
            case ElementSource.RetransmittedPackets:
                r.RetransmittedInPkts = Saturate(number);
                break;
            case ElementSource.ReverseRetransmittedPackets:
                r.RetransmittedOutPkts = Saturate(number);
                break;
            case ElementSource.OutOfOrderPackets:
                r.OutOfOrderInPkts = Saturate(number);
                break;
            case ElementSource.ReverseOutOfOrderPackets:
                r.OutOfOrderOutPkts = Saturate(number);
                break;
            case ElementSource.TunnelId:
                r.TunnelId = Saturate(number);
                break;
        }

        return true;
    }

    /// <summary>Whether the record has both addresses: a record without them cannot be a flow.</summary>
    public readonly bool IsComplete => _srcSet && _dstSet;

    /// <summary>
    /// Writes the finished record (call only when <see cref="IsComplete"/>) straight into its slot in the caller's
    /// list: a flow record is a large struct, and copying it through return values cost more than decoding it.
    /// <paramref name="bootMs"/> is what sysUptime 0 means in unix milliseconds, when the header says (v5/v9).
    /// </summary>
    public readonly void CompleteInto(long? bootMs, ref FlowRecord record)
    {
        record = _record;
        if (record.IpVersion == 0)
        {
            record.IpVersion = (byte)(record.SrcAddr.IsV4 ? 4 : 6);
        }

        var boot = _systemInitMs is { } init ? (long)Math.Min(init, long.MaxValue / 2) : bootMs;
        record.FirstSwitchedUs = Microseconds(_startMs, _firstUptime, boot);
        record.LastSwitchedUs = Microseconds(_endMs, _lastUptime, boot);

        // A plain TCP_FLAGS has no direction; the record's own (client) side is its home.
        if (_hasTcpFlags && !_hasDirectionalTcpFlags)
        {
            record.ClientTcpFlags = _tcpFlags;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong ReadUnsigned(ReadOnlySpan<byte> value)
    {
        switch (value.Length)
        {
            case 1:
                return value[0];
            case 2:
                return BinaryPrimitives.ReadUInt16BigEndian(value);
            case 4:
                return BinaryPrimitives.ReadUInt32BigEndian(value);
            case 8:
                return BinaryPrimitives.ReadUInt64BigEndian(value);
        }

        ulong number = 0;
        foreach (var b in value)
        {
            number = (number << 8) | b;
        }

        return number;
    }

    private static long Microseconds(ulong? absoluteMs, ulong? uptimeMs, long? bootMs)
    {
        if (absoluteMs is { } ms)
        {
            return (long)Math.Min(ms, long.MaxValue / 1000) * 1000;
        }

        if (uptimeMs is { } uptime && bootMs is { } boot)
        {
            // Uptime fields are at most 8 bytes from a hostile exporter: keep the sum in range.
            var unixMs = boot + (long)Math.Min(uptime, uint.MaxValue * 1024UL);
            return Math.Max(unixMs, 0) * 1000;
        }

        return 0;
    }

    private static ulong Scale(ulong value, ulong factor) => value > ulong.MaxValue / factor ? ulong.MaxValue : value * factor;

    private static uint Saturate(ulong value) => (uint)Math.Min(value, uint.MaxValue);

    private static bool TryAddress(ReadOnlySpan<byte> value, ref IpAddr slot, ref bool isSet)
    {
        IpAddr address;
        switch (value.Length)
        {
            case 4:
                address = IpAddr.FromV4Bytes(value);
                break;
            case 16:
                address = IpAddr.FromV6Bytes(value);
                break;
            default:
                return false;
        }

        // A template may carry both IPv4 and IPv6 fields; an empty one must not hide the other.
        if (!isSet || IsEmpty(slot))
        {
            slot = address;
            isSet = true;
        }

        return true;
    }

    private static bool IsEmpty(IpAddr address) => address.IsNone || (address.IsV4 && address.V4 == 0);

    private static bool TryFloat(ReadOnlySpan<byte> value, out float result)
    {
        result = value.Length switch
        {
            4 => BinaryPrimitives.ReadSingleBigEndian(value),
            8 => (float)BinaryPrimitives.ReadDoubleBigEndian(value),
            _ => float.NaN,
        };
        if (!float.IsFinite(result) || result < 0)
        {
            result = 0;
            return false;
        }

        return true;
    }

    private void SetText(ElementSource source, ReadOnlySpan<byte> value)
    {
        // Fixed-length v9 strings are padded with zeros.
        var end = value.IndexOf((byte)0);
        if (end >= 0)
        {
            value = value[..end];
        }

        if (value.IsEmpty)
        {
            return;
        }

        var text = Encoding.UTF8.GetString(value);
        var metadata = Metadata();
        switch (source)
        {
            case ElementSource.L7ProtoName:
                metadata.L7ProtoName = text;
                break;
            case ElementSource.L7Info:
                metadata.L7Info = text;
                break;
            case ElementSource.DnsQuery:
                metadata.DnsQuery = text;
                break;
            case ElementSource.HttpSite:
                metadata.HttpSite = text;
                break;
            case ElementSource.HttpUrl:
                metadata.HttpUrl = text;
                break;
            case ElementSource.HttpMethod:
                metadata.HttpMethod = text;
                break;
            case ElementSource.HttpUserAgent:
                metadata.HttpUserAgent = text;
                break;
            case ElementSource.TlsServerName:
                metadata.TlsServerName = text;
                break;
            default:
                metadata.Ja4Client = text;
                break;
        }
    }

    private FlowMetadata Metadata() => _record.Metadata ??= new FlowMetadata();
}
