using System.Globalization;
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
        var counters = default(FlowDecodeCounters);
        var assembler = default(FlowRecordAssembler);
        while (true)
        {
            var status = reader.Read();
            if (status == TlvReadStatus.Item)
            {
                if (TryGetFieldId(ref reader, out var id))
                {
                    assembler.Apply(id, ValueOf(ref reader), ref counters);
                }
                else
                {
                    assembler.SkipUnknown(ref counters);
                }

                continue;
            }

            if (status is TlvReadStatus.EndOfRecord or TlvReadStatus.End)
            {
                if (!assembler.Complete(destination, ref counters, maxRecords) || status == TlvReadStatus.End)
                {
                    break;
                }

                continue;
            }

            assembler.Abandon(ref counters);
            counters.Note(ToDecodeStatus(status));
            break;
        }

        return counters.ToResult(reader.Position);
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

    /// <summary>Numeric keys get ntopng's PEN-0 fall-through; string keys may be numbers, "PEN.field" or labels.</summary>
    private static bool TryGetFieldId(ref TlvReader reader, out uint id)
    {
        if (reader.HasStringKey)
        {
            return NtopFieldLabels.TryResolveKey(reader.KeyString, out id);
        }

        id = NtopFieldId.FromPenZero(reader.Key);
        return true;
    }

    private static WireValue ValueOf(ref TlvReader reader) => reader.ValueType switch
    {
        TlvType.UInt8 or TlvType.UInt16 or TlvType.UInt32 or TlvType.UInt64 => WireValue.FromUnsigned(reader.UInt64Value),
        TlvType.Int8 or TlvType.Int16 or TlvType.Int32 or TlvType.Int64 => WireValue.FromSigned(reader.Int64Value),
        TlvType.Float => WireValue.FromFloat(reader.FloatValue),
        _ => WireValue.FromText(reader.StringValue),
    };

    private static FlowDecodeStatus ToDecodeStatus(TlvReadStatus status) => status switch
    {
        TlvReadStatus.BadHeader => FlowDecodeStatus.BadHeader,
        TlvReadStatus.UnsupportedSerializerVersion => FlowDecodeStatus.UnsupportedSerializerVersion,
        TlvReadStatus.UnsupportedFormat => FlowDecodeStatus.UnsupportedFormat,
        TlvReadStatus.TruncatedItem => FlowDecodeStatus.TruncatedItem,
        TlvReadStatus.UnsupportedKeyType => FlowDecodeStatus.UnsupportedKeyType,
        _ => FlowDecodeStatus.UnsupportedValueType,
    };
}
