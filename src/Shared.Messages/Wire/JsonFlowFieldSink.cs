using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Unicode;

namespace Flowhive.Shared.Wire;

/// <summary>Writes flow fields as properties of the JSON object the writer is in.</summary>
internal readonly struct JsonFlowFieldSink(Utf8JsonWriter writer, FlowJsonKeys keys) : IFlowFieldSink
{
    public void WriteUInt(uint id, ulong value)
    {
        WriteName(id);
        writer.WriteNumberValue(value);
    }

    public void WriteFloat(uint id, float value)
    {
        WriteName(id);
        writer.WriteNumberValue(value);
    }

    public void WriteUtf8(uint id, scoped ReadOnlySpan<byte> utf8)
    {
        WriteName(id);
        writer.WriteStringValue(utf8);
    }

    public void WriteText(uint id, scoped ReadOnlySpan<char> text, int maxUtf8Bytes)
    {
        WriteName(id);
        if (text.Length * 3 <= maxUtf8Bytes)
        {
            writer.WriteStringValue(text);
            return;
        }

        // Possibly too long: transcode up to the limit, which stops at a character boundary like the TLV writer.
        var buffer = ArrayPool<byte>.Shared.Rent(maxUtf8Bytes);
        try
        {
            Utf8.FromUtf16(text, buffer.AsSpan(0, maxUtf8Bytes), out _, out var written);
            writer.WriteStringValue(buffer.AsSpan(0, written));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void WriteName(uint id)
    {
        if (keys == FlowJsonKeys.Labels && NtopFieldLabels.TryGetLabel(id, out var label))
        {
            writer.WritePropertyName(label);
            return;
        }

        if (FlowhiveFieldId.IsFlowhive(id))
        {
            writer.WritePropertyName(FlowhiveFieldId.Key(id));
            return;
        }

        Span<byte> digits = stackalloc byte[10];
        id.TryFormat(digits, out var length, default, CultureInfo.InvariantCulture);
        writer.WritePropertyName(digits[..length]);
    }
}
