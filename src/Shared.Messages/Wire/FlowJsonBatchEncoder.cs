using System.Buffers;
using System.Text.Json;
using Flowhive.Shared.Flows;

namespace Flowhive.Shared.Wire;

/// <summary>
/// Packs flow records into size-bounded JSON array payloads, the JSON counterpart of <see cref="FlowRecordTlv.Encode"/>
/// for nProbe's <c>--zmq-format j</c>. Each record is written once into a reused scratch buffer and copied in only if
/// it still fits, so a payload never exceeds its limit and no record is cut. One instance per sending thread.
/// </summary>
public sealed class FlowJsonBatchEncoder : IDisposable
{
    private readonly ArrayBufferWriter<byte> _scratch = new(4096);
    private readonly Utf8JsonWriter _writer;
    private readonly FlowJsonKeys _keys;
    private readonly FlowExporterIdentity _identity;

    public FlowJsonBatchEncoder(FlowJsonKeys keys, FlowExporterIdentity identity = default)
    {
        _keys = keys;
        _identity = identity;
        _writer = new Utf8JsonWriter(_scratch);
    }

    /// <summary>
    /// Writes as many records as fit into one JSON array of at most <paramref name="maxPayloadBytes"/> bytes (bounded by
    /// <paramref name="destination"/>'s length too). Call again with the remaining records for the next message.
    /// </summary>
    public FlowEncodeResult Encode(ReadOnlySpan<FlowRecord> records, Span<byte> destination, int maxPayloadBytes = FlowRecordTlv.DefaultMaxPayloadBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxPayloadBytes);
        if (records.IsEmpty)
        {
            return new FlowEncodeResult(FlowEncodeStatus.Ok, 0, 0);
        }

        var limit = Math.Min(destination.Length, maxPayloadBytes);
        var position = 1; // '['
        var written = 0;
        foreach (ref readonly var record in records)
        {
            _scratch.ResetWrittenCount();
            _writer.Reset(_scratch);
            FlowRecordJson.EncodeObject(in record, _writer, _keys, _identity);
            _writer.Flush();
            var json = _scratch.WrittenSpan;

            // A separating comma before every record but the first, and room for the closing bracket.
            var separator = written > 0 ? 1 : 0;
            if (position + separator + json.Length + 1 > limit)
            {
                break;
            }

            if (separator == 1)
            {
                destination[position++] = (byte)',';
            }

            json.CopyTo(destination[position..]);
            position += json.Length;
            written++;
        }

        if (written == 0)
        {
            return new FlowEncodeResult(FlowEncodeStatus.RecordTooLarge, 0, 0);
        }

        destination[0] = (byte)'[';
        destination[position++] = (byte)']';
        return new FlowEncodeResult(FlowEncodeStatus.Ok, written, position);
    }

    public void Dispose() => _writer.Dispose();
}
