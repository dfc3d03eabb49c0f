using System.Globalization;
using System.Text;
using Flowhive.Shared.Flows;
using Flowhive.Shared.Net;

namespace Flowhive.Shared.Wire;

/// <summary>
/// Flow records as nProbe sends them to ntopng over ZMQ: one TLV payload holding several records, each a
/// run of (NFv9 id, value) items closed by 0x01. Encoding writes the fields ntopng reads (plus millisecond
/// timestamps) and allocates nothing; decoding accepts numeric, label and "PEN.field" keys and never throws on
/// malformed input.
/// </summary>
public static class FlowRecordTlv
{
    /// <summary>
    /// Default payload budget: ntopng receives payloads into a 131072-byte buffer (CONST_ZMQ_PAYLOAD_LEN) and
    /// drops larger ones; 1 KiB of headroom keeps us clearly below it.
    /// </summary>
    public const int DefaultMaxPayloadBytes = ZmqHeaderCodec.MaxPayloadLength - 1024;

    /// <summary>Default cap on records decoded from one payload, so hostile input cannot grow a list without bound.</summary>
    public const int MaxRecordsPerPayload = 65_536;

    /// <summary>Longest string value the decoder turns into a .NET string; longer ones are ignored.</summary>
    public const int MaxStringBytes = 16 * 1024;

    /// <summary>
    /// Longest string value the encoder writes; longer text is cut at a character boundary. Keeps a record with
    /// every metadata string well inside one payload.
    /// </summary>
    public const int MaxEncodedStringBytes = 4 * 1024;

    /// <summary>
    /// Writes as many records as fit into one payload of at most <paramref name="maxPayloadBytes"/> bytes
    /// (bounded by <paramref name="destination"/>'s length too). Call again with the remaining records for the
    /// next message. Allocates nothing.
    /// </summary>
    public static FlowEncodeResult Encode(
        ReadOnlySpan<FlowRecord> records,
        Span<byte> destination,
        int maxPayloadBytes = DefaultMaxPayloadBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxPayloadBytes);
        if (records.IsEmpty)
        {
            return new FlowEncodeResult(FlowEncodeStatus.Ok, 0, 0);
        }

        var writer = new TlvWriter(destination[..Math.Min(destination.Length, maxPayloadBytes)]);
        if (!writer.TryWriteHeader())
        {
            return new FlowEncodeResult(FlowEncodeStatus.RecordTooLarge, 0, 0);
        }

        var written = 0;
        foreach (ref readonly var record in records)
        {
            var mark = writer.Position;
            WriteRecord(ref writer, in record);
            if (writer.HasOverflowed)
            {
                writer.Rewind(mark);
                break;
            }

            written++;
        }

        return written == 0
            ? new FlowEncodeResult(FlowEncodeStatus.RecordTooLarge, 0, 0)
            : new FlowEncodeResult(FlowEncodeStatus.Ok, written, writer.Position);
    }

    /// <summary>
    /// Decodes a whole TLV payload, appending complete records to <paramref name="destination"/> (which the caller
    /// owns and may reuse). Stops at the end of the buffer or at a type byte whose value type is 0, as ntopng does.
    /// A framing error ends decoding but keeps every record completed before it. Allocates only the metadata
    /// object and its strings for records that carry metadata.
    /// </summary>
    public static FlowDecodeResult Decode(
        ReadOnlySpan<byte> payload,
        List<FlowRecord> destination,
        int maxRecords = MaxRecordsPerPayload)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxRecords);

        var reader = new TlvReader(payload);
        var counters = default(DecodeCounters);
        var builder = default(RecordBuilder);
        while (true)
        {
            var status = reader.Read();
            if (status == TlvReadStatus.Item)
            {
                builder.HasItems = true;
                Apply(ref builder, ref reader, ref counters);
                continue;
            }

            if (status is TlvReadStatus.EndOfRecord or TlvReadStatus.End)
            {
                if (builder.HasItems && !Complete(ref builder, destination, ref counters, maxRecords))
                {
                    break;
                }

                builder = default;
                if (status == TlvReadStatus.End)
                {
                    break;
                }

                continue;
            }

            if (builder.HasItems)
            {
                counters.Dropped++;
            }

            counters.Note(ToDecodeStatus(status));
            break;
        }

        return new FlowDecodeResult(
            counters.Status, counters.Decoded, counters.Dropped, counters.Unknown, counters.Invalid, reader.Position);
    }

    private static void WriteRecord(ref TlvWriter writer, in FlowRecord record)
    {
        Span<byte> text = stackalloc byte[IpAddressText.MaxLength];

        if (record.SrcMac != 0)
        {
            writer.TryWriteString(NtopFieldId.InSrcMac, text[..MacAddressText.Format(record.SrcMac, text)]);
        }

        if (record.DstMac != 0)
        {
            writer.TryWriteString(NtopFieldId.OutDstMac, text[..MacAddressText.Format(record.DstMac, text)]);
        }

        if (record.Vlan != 0)
        {
            writer.TryWriteUInt(NtopFieldId.SrcVlan, record.Vlan);
        }

        // Addresses as text, which ntopng prefers; the family of each address picks the IPv4 or IPv6 field.
        writer.TryWriteString(
            record.SrcAddr.IsV4 ? NtopFieldId.Ipv4SrcAddr : NtopFieldId.Ipv6SrcAddr,
            text[..IpAddressText.Format(record.SrcAddr, text)]);
        writer.TryWriteString(
            record.DstAddr.IsV4 ? NtopFieldId.Ipv4DstAddr : NtopFieldId.Ipv6DstAddr,
            text[..IpAddressText.Format(record.DstAddr, text)]);

        // Ports as integers: ntopng's string path skips the byte swap its integer path does.
        writer.TryWriteUInt(NtopFieldId.L4SrcPort, record.SrcPort);
        writer.TryWriteUInt(NtopFieldId.L4DstPort, record.DstPort);
        var ipVersion = record.IpVersion != 0 ? record.IpVersion : (byte)(record.SrcAddr.IsV4 ? 4 : 6);
        writer.TryWriteUInt(NtopFieldId.IpProtocolVersion, ipVersion);
        writer.TryWriteUInt(NtopFieldId.Protocol, record.Protocol);

        if (record.L7Master != 0 || record.L7App != 0)
        {
            writer.TryWriteString(NtopFieldId.L7Proto, text[..FormatL7(record.L7Master, record.L7App, text)]);
        }

        // ntopng's template check expects the counters and both timestamps even when they are zero.
        writer.TryWriteUInt(NtopFieldId.InBytes, record.InBytes);
        writer.TryWriteUInt(NtopFieldId.InPkts, record.InPkts);
        writer.TryWriteUInt(NtopFieldId.OutBytes, record.OutBytes);
        writer.TryWriteUInt(NtopFieldId.OutPkts, record.OutPkts);

        var firstUs = (ulong)Math.Max(record.FirstSwitchedUs, 0);
        var lastUs = (ulong)Math.Max(record.LastSwitchedUs, 0);
        writer.TryWriteUInt(NtopFieldId.FirstSwitched, firstUs / 1_000_000);
        writer.TryWriteUInt(NtopFieldId.LastSwitched, lastUs / 1_000_000);
        writer.TryWriteUInt(NtopFieldId.FlowStartMilliseconds, firstUs / 1000);
        writer.TryWriteUInt(NtopFieldId.FlowEndMilliseconds, lastUs / 1000);

        WriteNonZero(ref writer, NtopFieldId.ClientTcpFlags, record.ClientTcpFlags);
        WriteNonZero(ref writer, NtopFieldId.ServerTcpFlags, record.ServerTcpFlags);
        WriteNonZero(ref writer, NtopFieldId.TcpFlags, (uint)(record.ClientTcpFlags | record.ServerTcpFlags));

        if (record.ClientNwLatencyMs != 0)
        {
            writer.TryWriteFloat(NtopFieldId.ClientNwLatencyMs, record.ClientNwLatencyMs);
        }

        if (record.ServerNwLatencyMs != 0)
        {
            writer.TryWriteFloat(NtopFieldId.ServerNwLatencyMs, record.ServerNwLatencyMs);
        }

        WriteNonZero(ref writer, NtopFieldId.RetransmittedInPkts, record.RetransmittedInPkts);
        WriteNonZero(ref writer, NtopFieldId.RetransmittedOutPkts, record.RetransmittedOutPkts);
        WriteNonZero(ref writer, NtopFieldId.OoorderInPkts, record.OutOfOrderInPkts);
        WriteNonZero(ref writer, NtopFieldId.OoorderOutPkts, record.OutOfOrderOutPkts);
        WriteNonZero(ref writer, NtopFieldId.FlowEndReason, (uint)record.EndReason);

        if (record.Metadata is { } metadata)
        {
            WriteText(ref writer, NtopFieldId.L7ProtoName, metadata.L7ProtoName);
            WriteText(ref writer, NtopFieldId.L7Info, metadata.L7Info);
            WriteText(ref writer, NtopFieldId.DnsQuery, metadata.DnsQuery);
            WriteText(ref writer, NtopFieldId.HttpSite, metadata.HttpSite);
            WriteText(ref writer, NtopFieldId.HttpUrl, metadata.HttpUrl);
            WriteText(ref writer, NtopFieldId.HttpMethod, metadata.HttpMethod);
            WriteNonZero(ref writer, NtopFieldId.HttpRetCode, metadata.HttpReturnCode);
            WriteText(ref writer, NtopFieldId.HttpUserAgent, metadata.HttpUserAgent);
            WriteText(ref writer, NtopFieldId.TlsServerName, metadata.TlsServerName);
            WriteText(ref writer, NtopFieldId.Ja4cHash, metadata.Ja4Client);
        }

        writer.TryWriteEndOfRecord();
    }

    private static void WriteNonZero(ref TlvWriter writer, uint key, uint value)
    {
        if (value != 0)
        {
            writer.TryWriteUInt(key, value);
        }
    }

    private static void WriteText(ref TlvWriter writer, uint key, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            writer.TryWriteString(key, value.AsSpan(), MaxEncodedStringBytes);
        }
    }

    /// <summary>"master.app", the form ntopng splits with strtoll; "0" stands for an unknown half.</summary>
    private static int FormatL7(ushort master, ushort app, Span<byte> destination)
    {
        master.TryFormat(destination, out var position, default, CultureInfo.InvariantCulture);
        destination[position++] = (byte)'.';
        app.TryFormat(destination[position..], out var appLength, default, CultureInfo.InvariantCulture);
        return position + appLength;
    }

    private static bool Complete(ref RecordBuilder builder, List<FlowRecord> destination, ref DecodeCounters counters, int maxRecords)
    {
        if (counters.Decoded >= maxRecords)
        {
            counters.Dropped++;
            counters.Note(FlowDecodeStatus.TooManyRecords);
            return false;
        }

        if (!builder.SrcSet || !builder.DstSet)
        {
            counters.Dropped++;
            counters.Note(FlowDecodeStatus.MissingAddresses);
            return true;
        }

        ref var record = ref builder.Record;
        if (record.IpVersion == 0)
        {
            record.IpVersion = (byte)(record.SrcAddr.IsV4 ? 4 : 6);
        }

        // Millisecond fields win: the second fields would lose the sub-second part.
        record.FirstSwitchedUs = builder.HasStartMs ? Scale(builder.StartMs, 1000)
            : builder.HasFirstSeconds ? Scale(builder.FirstSeconds, 1_000_000) : 0;
        record.LastSwitchedUs = builder.HasEndMs ? Scale(builder.EndMs, 1000)
            : builder.HasLastSeconds ? Scale(builder.LastSeconds, 1_000_000) : 0;

        // A plain TCP_FLAGS (NetFlow-style templates) has no direction; the client side is the best home for it.
        if (builder.HasTcpFlags && !builder.HasDirectionalTcpFlags)
        {
            record.ClientTcpFlags = builder.TcpFlags;
        }

        destination.Add(record);
        counters.Decoded++;
        return true;
    }

    private static long Scale(ulong value, long factor) =>
        value > (ulong)(long.MaxValue / factor) ? long.MaxValue : (long)value * factor;

    private static void Apply(ref RecordBuilder builder, ref TlvReader reader, ref DecodeCounters counters)
    {
        uint id;
        if (reader.HasStringKey)
        {
            if (!NtopFieldLabels.TryResolveKey(reader.KeyString, out id))
            {
                counters.Unknown++;
                return;
            }
        }
        else
        {
            id = NtopFieldId.FromPenZero(reader.Key);
        }

        ref var record = ref builder.Record;
        bool valid;
        ulong number = 0;
        IpAddr address;
        switch (id)
        {
            case NtopFieldId.Ipv4SrcAddr:
            case NtopFieldId.Ipv6SrcAddr:
                if (valid = TryGetAddress(ref reader, out address))
                {
                    SetAddress(ref record.SrcAddr, ref builder.SrcSet, address);
                }

                break;
            case NtopFieldId.Ipv4DstAddr:
            case NtopFieldId.Ipv6DstAddr:
                if (valid = TryGetAddress(ref reader, out address))
                {
                    SetAddress(ref record.DstAddr, ref builder.DstSet, address);
                }

                break;
            case NtopFieldId.L4SrcPort:
                // ntopng keeps the first non-zero port; ports wider than 16 bits are cut as its u16 store does.
                if ((valid = TryGetUInt(ref reader, out number)) && record.SrcPort == 0)
                {
                    record.SrcPort = (ushort)number;
                }

                break;
            case NtopFieldId.L4DstPort:
                if ((valid = TryGetUInt(ref reader, out number)) && record.DstPort == 0)
                {
                    record.DstPort = (ushort)number;
                }

                break;
            case NtopFieldId.Protocol:
                if (valid = TryGetUInt(ref reader, out number) && number <= byte.MaxValue)
                {
                    record.Protocol = (byte)number;
                }

                break;
            case NtopFieldId.IpProtocolVersion:
                if (valid = TryGetUInt(ref reader, out number) && number is 4 or 6)
                {
                    record.IpVersion = (byte)number;
                }

                break;
            case NtopFieldId.SrcVlan:
            case NtopFieldId.DstVlan:
                if (valid = TryGetUInt(ref reader, out number))
                {
                    record.Vlan = number > 4095 ? (ushort)0 : (ushort)number;
                }

                break;
            case NtopFieldId.Dot1qSrcVlan:
            case NtopFieldId.Dot1qDstVlan:
                // Outer Q-in-Q tags count only when there is no inner one.
                if ((valid = TryGetUInt(ref reader, out number)) && record.Vlan == 0 && number <= 4095)
                {
                    record.Vlan = (ushort)number;
                }

                break;
            case NtopFieldId.InSrcMac:
            case NtopFieldId.OutSrcMac:
                if (valid = reader.ValueType == TlvType.String && MacAddressText.TryParse(reader.StringValue, out number))
                {
                    record.SrcMac = number;
                }

                break;
            case NtopFieldId.InDstMac:
            case NtopFieldId.OutDstMac:
                if (valid = reader.ValueType == TlvType.String && MacAddressText.TryParse(reader.StringValue, out number))
                {
                    record.DstMac = number;
                }

                break;
            case NtopFieldId.InBytes:
            case NtopFieldId.InitiatorOctets:
                if (valid = TryGetUInt(ref reader, out number))
                {
                    record.InBytes = number;
                }

                break;
            case NtopFieldId.InPkts:
            case NtopFieldId.InitiatorPkts:
                if (valid = TryGetUInt(ref reader, out number))
                {
                    record.InPkts = number;
                }

                break;
            case NtopFieldId.OutBytes:
            case NtopFieldId.ResponderOctets:
                if (valid = TryGetUInt(ref reader, out number))
                {
                    record.OutBytes = number;
                }

                break;
            case NtopFieldId.OutPkts:
            case NtopFieldId.ResponderPkts:
                if (valid = TryGetUInt(ref reader, out number))
                {
                    record.OutPkts = number;
                }

                break;
            case NtopFieldId.FirstSwitched:
                valid = builder.HasFirstSeconds = TryGetUInt(ref reader, out builder.FirstSeconds);
                break;
            case NtopFieldId.LastSwitched:
                valid = builder.HasLastSeconds = TryGetUInt(ref reader, out builder.LastSeconds);
                break;
            case NtopFieldId.FlowStartMilliseconds:
                valid = builder.HasStartMs = TryGetUInt(ref reader, out builder.StartMs);
                break;
            case NtopFieldId.FlowEndMilliseconds:
                valid = builder.HasEndMs = TryGetUInt(ref reader, out builder.EndMs);
                break;
            case NtopFieldId.TcpFlags:
                if (valid = TryGetUInt(ref reader, out number) && number <= byte.MaxValue)
                {
                    builder.TcpFlags = (byte)number;
                    builder.HasTcpFlags = true;
                }

                break;
            case NtopFieldId.ClientTcpFlags:
                if (valid = TryGetUInt(ref reader, out number) && number <= byte.MaxValue)
                {
                    record.ClientTcpFlags = (byte)number;
                    builder.HasDirectionalTcpFlags = true;
                }

                break;
            case NtopFieldId.ServerTcpFlags:
                if (valid = TryGetUInt(ref reader, out number) && number <= byte.MaxValue)
                {
                    record.ServerTcpFlags = (byte)number;
                    builder.HasDirectionalTcpFlags = true;
                }

                break;
            case NtopFieldId.L7Proto:
                valid = TrySetL7(ref reader, ref record);
                break;
            case NtopFieldId.ClientNwLatencyMs:
                valid = TryGetLatency(ref reader, out record.ClientNwLatencyMs);
                break;
            case NtopFieldId.ServerNwLatencyMs:
                valid = TryGetLatency(ref reader, out record.ServerNwLatencyMs);
                break;
            case NtopFieldId.RetransmittedInPkts:
                valid = TryGetCounter(ref reader, out record.RetransmittedInPkts);
                break;
            case NtopFieldId.RetransmittedOutPkts:
                valid = TryGetCounter(ref reader, out record.RetransmittedOutPkts);
                break;
            case NtopFieldId.OoorderInPkts:
                valid = TryGetCounter(ref reader, out record.OutOfOrderInPkts);
                break;
            case NtopFieldId.OoorderOutPkts:
                valid = TryGetCounter(ref reader, out record.OutOfOrderOutPkts);
                break;
            case NtopFieldId.FlowEndReason:
                if (valid = TryGetUInt(ref reader, out number) && number <= (ulong)FlowEndReason.LackOfResources)
                {
                    record.EndReason = (FlowEndReason)number;
                }

                break;
            case NtopFieldId.HttpRetCode:
                if (valid = TryGetUInt(ref reader, out number) && number <= ushort.MaxValue)
                {
                    Metadata(ref record).HttpReturnCode = (ushort)number;
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
                valid = TrySetText(ref reader, ref record, id, ref counters);
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

    private static bool TrySetText(ref TlvReader reader, ref FlowRecord record, uint id, ref DecodeCounters counters)
    {
        if (reader.ValueType != TlvType.String)
        {
            return false;
        }

        var bytes = reader.StringValue;
        if (bytes.Length > MaxStringBytes)
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
            default:
                metadata.Ja4Client = text;
                break;
        }

        return true;
    }

    private static FlowMetadata Metadata(ref FlowRecord record) => record.Metadata ??= new FlowMetadata();

    /// <summary>"master.app" sets both halves; a bare number (text or integer) is the app id alone, as in ntopng.</summary>
    private static bool TrySetL7(ref TlvReader reader, ref FlowRecord record)
    {
        if (reader.ValueType != TlvType.String)
        {
            if (!TryGetUInt(ref reader, out var app) || app > ushort.MaxValue)
            {
                return false;
            }

            record.L7App = (ushort)app;
            return true;
        }

        var text = reader.StringValue;
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
    private static bool TryGetUInt(ref TlvReader reader, out ulong value)
    {
        if (reader.IsUnsigned)
        {
            value = reader.UInt64Value;
            return true;
        }

        if (reader.IsSigned)
        {
            value = (ulong)reader.Int64Value;
            return reader.Int64Value >= 0;
        }

        value = 0;
        return reader.ValueType == TlvType.String
            && ulong.TryParse(reader.StringValue, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    private static bool TryGetCounter(ref TlvReader reader, out uint value)
    {
        var valid = TryGetUInt(ref reader, out var wide);
        value = (uint)Math.Min(wide, uint.MaxValue);
        return valid;
    }

    private static bool TryGetLatency(ref TlvReader reader, out float value)
    {
        double milliseconds;
        if (reader.ValueType == TlvType.Float)
        {
            milliseconds = reader.FloatValue;
        }
        else if (reader.ValueType == TlvType.String)
        {
            if (!double.TryParse(reader.StringValue, NumberStyles.Float, CultureInfo.InvariantCulture, out milliseconds))
            {
                value = 0;
                return false;
            }
        }
        else if (TryGetUInt(ref reader, out var whole))
        {
            milliseconds = whole;
        }
        else
        {
            value = 0;
            return false;
        }

        value = (float)milliseconds;
        if (!float.IsFinite(value) || value < 0)
        {
            value = 0;
            return false;
        }

        return true;
    }

    /// <summary>Text is parsed as an address; an integer is a numeric IPv4 address (0xC0A80101 = 192.168.1.1).</summary>
    private static bool TryGetAddress(ref TlvReader reader, out IpAddr address)
    {
        if (reader.ValueType == TlvType.String)
        {
            return IpAddressText.TryParse(reader.StringValue, out address);
        }

        address = default;
        if (reader.ValueType == TlvType.Float || !TryGetUInt(ref reader, out var number) || number > uint.MaxValue)
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

    private static FlowDecodeStatus ToDecodeStatus(TlvReadStatus status) => status switch
    {
        TlvReadStatus.BadHeader => FlowDecodeStatus.BadHeader,
        TlvReadStatus.UnsupportedSerializerVersion => FlowDecodeStatus.UnsupportedSerializerVersion,
        TlvReadStatus.UnsupportedFormat => FlowDecodeStatus.UnsupportedFormat,
        TlvReadStatus.TruncatedItem => FlowDecodeStatus.TruncatedItem,
        TlvReadStatus.UnsupportedKeyType => FlowDecodeStatus.UnsupportedKeyType,
        _ => FlowDecodeStatus.UnsupportedValueType,
    };

    /// <summary>One record being assembled; fields whose meaning depends on others are resolved at its end.</summary>
    private struct RecordBuilder
    {
        public FlowRecord Record;
        public bool HasItems;
        public bool SrcSet;
        public bool DstSet;
        public bool HasFirstSeconds;
        public bool HasLastSeconds;
        public bool HasStartMs;
        public bool HasEndMs;
        public bool HasTcpFlags;
        public bool HasDirectionalTcpFlags;
        public byte TcpFlags;
        public ulong FirstSeconds;
        public ulong LastSeconds;
        public ulong StartMs;
        public ulong EndMs;
    }

    private struct DecodeCounters
    {
        public FlowDecodeStatus Status;
        public int Decoded;
        public int Dropped;
        public int Unknown;
        public int Invalid;

        public void Note(FlowDecodeStatus status)
        {
            if (Status == FlowDecodeStatus.Ok)
            {
                Status = status;
            }
        }
    }
}
