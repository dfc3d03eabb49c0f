using Flowhive.Shared.Flows;

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
    /// next message. Allocates nothing. <paramref name="identity"/> names the exporting probe in every record.
    /// </summary>
    public static FlowEncodeResult Encode(
        ReadOnlySpan<FlowRecord> records,
        Span<byte> destination,
        int maxPayloadBytes = DefaultMaxPayloadBytes,
        FlowExporterIdentity identity = default)
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
            FlowRecordFields.Write(ref writer, in record, in identity);
            writer.TryWriteEndOfRecord();
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
    /// object and its strings for records that carry metadata (and whatever growing the list takes).
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
