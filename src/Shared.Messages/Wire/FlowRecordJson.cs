using System.Buffers;
using System.Text.Json;
using System.Text.Unicode;
using Flowhive.Shared.Flows;

namespace Flowhive.Shared.Wire;

/// <summary>
/// Flow records as JSON, the other nProbe export format (<c>--zmq-format j</c>): an object per flow with
/// numeric or label keys, a batch being an array of such objects. Only ntopng Pro/Enterprise parse JSON flows
/// (community builds ignore them), so TLV (<see cref="FlowRecordTlv"/>) is the format to send to ntopng; this
/// codec exists to ingest from probes configured for JSON and to export to tools that want it.
/// </summary>
public static class FlowRecordJson
{
    /// <summary>Deep enough for an array of flat objects plus one level of nested values, which are skipped.</summary>
    private const int MaxDepth = 8;

    /// <summary>Longest property name worth resolving (numbers, "PEN.field" and labels are all short).</summary>
    private const int MaxKeyLength = 64;

    /// <summary>
    /// Writes <paramref name="records"/> as one JSON array, with the same fields the TLV encoder sends. The writer
    /// belongs to the caller (reuse it with <see cref="Utf8JsonWriter.Reset()"/>); bound the payload size by the
    /// number of records passed, roughly 0.5 KiB per record without metadata.
    /// </summary>
    public static void Encode(ReadOnlySpan<FlowRecord> records, Utf8JsonWriter writer, FlowJsonKeys keys = FlowJsonKeys.Numeric, FlowExporterIdentity identity = default)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var sink = new JsonFlowFieldSink(writer, keys);
        writer.WriteStartArray();
        foreach (ref readonly var record in records)
        {
            writer.WriteStartObject();
            FlowRecordFields.Write(ref sink, in record, in identity);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    /// <summary>
    /// Writes one record as a single JSON object, not wrapped in an array: the form of one line of a JSON-lines
    /// dump (nProbe <c>-P</c> with <c>-D j</c>) or of one syslog message. The fields are the ones <see cref="Encode"/>
    /// writes. To put several objects through one writer, call <see cref="Utf8JsonWriter.Reset()"/> between them.
    /// </summary>
    public static void EncodeObject(in FlowRecord record, Utf8JsonWriter writer, FlowJsonKeys keys = FlowJsonKeys.Numeric, FlowExporterIdentity identity = default)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var sink = new JsonFlowFieldSink(writer, keys);
        writer.WriteStartObject();
        FlowRecordFields.Write(ref sink, in record, in identity);
        writer.WriteEndObject();
    }

    /// <summary>
    /// Decodes one flow object or an array of them, appending complete records to <paramref name="destination"/>.
    /// Keys may be numeric ids, "PEN.field" or labels; nested values are skipped as unknown fields. Malformed JSON
    /// ends decoding with <see cref="FlowDecodeStatus.InvalidJson"/> and keeps the records completed before it.
    /// </summary>
    public static FlowDecodeResult Decode(
        ReadOnlySpan<byte> json,
        List<FlowRecord> destination,
        int maxRecords = FlowRecordTlv.MaxRecordsPerPayload)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxRecords);

        var counters = default(FlowDecodeCounters);
        var assembler = default(FlowRecordAssembler);
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = MaxDepth });
        byte[]? unescaped = null;
        try
        {
            if (!reader.Read())
            {
                counters.Note(FlowDecodeStatus.InvalidJson);
            }
            else if (reader.TokenType == JsonTokenType.StartObject)
            {
                ReadFlow(ref reader, ref assembler, ref counters, ref unescaped);
                assembler.Complete(destination, ref counters, maxRecords);
            }
            else if (reader.TokenType == JsonTokenType.StartArray)
            {
                ReadArray(ref reader, destination, ref assembler, ref counters, ref unescaped, maxRecords);
            }
            else
            {
                counters.Note(FlowDecodeStatus.InvalidJson);
            }
        }
        catch (JsonException)
        {
            // Utf8JsonReader reports malformed input only by throwing; it never escapes this method.
            assembler.Abandon(ref counters);
            counters.Note(FlowDecodeStatus.InvalidJson);
        }
        finally
        {
            if (unescaped is not null)
            {
                ArrayPool<byte>.Shared.Return(unescaped);
            }
        }

        return counters.ToResult((int)reader.BytesConsumed);
    }

    private static void ReadArray(
        ref Utf8JsonReader reader,
        List<FlowRecord> destination,
        ref FlowRecordAssembler assembler,
        ref FlowDecodeCounters counters,
        ref byte[]? unescaped,
        int maxRecords)
    {
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                // Not a flow: step over it and say so.
                reader.Skip();
                counters.Dropped++;
                counters.Note(FlowDecodeStatus.InvalidJson);
                continue;
            }

            ReadFlow(ref reader, ref assembler, ref counters, ref unescaped);
            if (!assembler.Complete(destination, ref counters, maxRecords))
            {
                return;
            }
        }
    }

    /// <summary>Reads the properties of one object; the reader is on its StartObject and ends on its EndObject.</summary>
    private static void ReadFlow(
        ref Utf8JsonReader reader,
        ref FlowRecordAssembler assembler,
        ref FlowDecodeCounters counters,
        ref byte[]? unescaped)
    {
        Span<byte> keyBuffer = stackalloc byte[MaxKeyLength];
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var known = TryResolveKey(ref reader, keyBuffer, out var id);
            reader.Read();
            var value = ReadValue(ref reader, ref unescaped);
            if (known)
            {
                assembler.Apply(id, value, ref counters);
            }
            else
            {
                assembler.SkipUnknown(ref counters);
            }
        }
    }

    private static bool TryResolveKey(ref Utf8JsonReader reader, scoped Span<byte> buffer, out uint id)
    {
        id = 0;
        if (!reader.ValueIsEscaped)
        {
            return NtopFieldLabels.TryResolveKey(reader.ValueSpan, out id);
        }

        // The escaped form is never shorter than the unescaped one, so this bound makes CopyString safe.
        if (reader.ValueSpan.Length > buffer.Length)
        {
            return false;
        }

        return TryUnescape(ref reader, buffer, out var length) && NtopFieldLabels.TryResolveKey(buffer[..length], out id);
    }

    /// <summary>
    /// <see cref="Utf8JsonReader.CopyString(Span{byte})"/> throws on invalid UTF-8 or a lone surrogate escape,
    /// which Read() lets through; hostile input must not make that escape, so it becomes a failed copy.
    /// </summary>
    private static bool TryUnescape(ref Utf8JsonReader reader, scoped Span<byte> destination, out int length)
    {
        length = 0;
        if (!Utf8.IsValid(reader.ValueSpan))
        {
            return false;
        }

        try
        {
            length = reader.CopyString(destination);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static WireValue ReadValue(ref Utf8JsonReader reader, ref byte[]? unescaped)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                if (!reader.ValueIsEscaped)
                {
                    return WireValue.FromText(reader.ValueSpan);
                }

                // Escaped text longer than the string limit is passed on raw: it is rejected as too long either way.
                if (reader.ValueSpan.Length > FlowRecordTlv.MaxStringBytes)
                {
                    return WireValue.FromText(reader.ValueSpan);
                }

                unescaped ??= ArrayPool<byte>.Shared.Rent(FlowRecordTlv.MaxStringBytes);
                return TryUnescape(ref reader, unescaped, out var length)
                    ? WireValue.FromText(unescaped.AsSpan(0, length))
                    : WireValue.Other;
            case JsonTokenType.Number:
                if (reader.TryGetUInt64(out var unsigned))
                {
                    return WireValue.FromUnsigned(unsigned);
                }

                if (reader.TryGetInt64(out var signed))
                {
                    return WireValue.FromSigned(signed);
                }

                return reader.TryGetDouble(out var number) ? WireValue.FromFloat(number) : WireValue.Other;
            case JsonTokenType.StartObject:
            case JsonTokenType.StartArray:
                reader.Skip();
                return WireValue.Other;
            default:
                return WireValue.Other;
        }
    }
}
