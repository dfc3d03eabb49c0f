using System.Buffers;
using System.Text.Json;
using Flowhive.Shared.Wire;

namespace Flowhive.Probe.Export;

/// <summary>
/// The "template" message: a JSON array of <c>{PEN, field, name, descr}</c> for every field this probe may send, from
/// which ntopng (<c>ZMQParserInterface::parseTemplate</c>) learns the labels that <c>--json-labels</c> flows use.
/// ntop's own fields (NFv9 ids from 57472) are given as IPFIX enterprise 35632 and their element number, Flowhive's
/// as <see cref="FlowhiveFieldId.Pen"/> and theirs.
/// </summary>
public static class ProbeTemplatePayload
{
    private const uint NtopPen = 35632;
    private const uint NtopBaseId = 57472;

    public static void Write(IBufferWriter<byte> output)
    {
        using var json = new Utf8JsonWriter(output);
        json.WriteStartArray();
        foreach (var (label, id) in NtopFieldLabels.All)
        {
            var (pen, field) = FlowhiveFieldId.IsFlowhive(id) ? (FlowhiveFieldId.Pen, id - FlowhiveFieldId.Base)
                : id >= NtopBaseId ? (NtopPen, id - NtopBaseId)
                : (0u, id);
            json.WriteStartObject();
            json.WriteNumber("PEN", pen);
            json.WriteNumber("field", field);
            json.WriteString("name", label);
            json.WriteString("descr", label);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }
}
