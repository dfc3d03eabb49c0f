using Flowhive.Shared.Net;

namespace Flowhive.Shared.Wire.NetFlow;

/// <summary>
/// The binary file a collector keeps its received templates and sampling intervals in (in its data directory),
/// so that data arriving after a restart decodes before the exporter's next template refresh. Fields are stored
/// as received (id, enterprise, length) and resolved again on load, so a newer Flowhive that knows more elements
/// reads an older file. Every count and length is checked: a damaged file is an <see cref="InvalidDataException"/>.
/// </summary>
internal static class NetFlowStateFile
{
    private const uint Magic = 0x464E_4846; // "FHNF"
    private const int FormatVersion = 1;

    public static void Write(Stream destination, NetFlowTemplateCache templates, NetFlowSamplingRates sampling)
    {
        using var writer = new BinaryWriter(destination, System.Text.Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(FormatVersion);
        writer.Write(templates.Count);
        foreach (var (key, template) in templates.All)
        {
            WriteKey(writer, key);
            writer.Write(template.IsOptions);
            writer.Write((ushort)template.Fields.Length);
            foreach (var field in template.Fields)
            {
                writer.Write(field.Id);
                writer.Write(field.Enterprise);
                writer.Write(field.Length);
                writer.Write(field.Variable);
            }
        }

        writer.Write(sampling.Count);
        foreach (var (key, rate) in sampling.All)
        {
            WriteKey(writer, key);
            writer.Write(rate);
        }
    }

    public static int Read(
        Stream source,
        NetFlowTemplateCache templates,
        NetFlowSamplingRates sampling,
        Func<ushort, uint, ushort, bool, bool, bool, DecodedField> resolve)
    {
        try
        {
            using var reader = new BinaryReader(source, System.Text.Encoding.UTF8, leaveOpen: true);
            if (reader.ReadUInt32() != Magic || reader.ReadInt32() != FormatVersion)
            {
                throw new InvalidDataException("not a Flowhive NetFlow template file (or a newer format)");
            }

            var count = Count(reader.ReadInt32(), "template");
            var fields = new DecodedField[NetFlowDecoder.MaxTemplateFields];
            var ignored = new NetFlowDecodeCounters();
            for (var t = 0; t < count; t++)
            {
                var key = ReadKey(reader);
                var isOptions = reader.ReadBoolean();
                int fieldCount = reader.ReadUInt16();
                if (fieldCount is 0 or > NetFlowDecoder.MaxTemplateFields || key.TemplateId < 256 || key.Version is not (9 or 10))
                {
                    throw new InvalidDataException($"template {key.TemplateId}: {fieldCount} fields, version {key.Version}");
                }

                for (var i = 0; i < fieldCount; i++)
                {
                    var id = reader.ReadUInt16();
                    var enterprise = reader.ReadUInt32();
                    var length = reader.ReadUInt16();
                    var variable = reader.ReadBoolean();
                    if (length == 0)
                    {
                        throw new InvalidDataException($"template {key.TemplateId}: a field of length 0");
                    }

                    fields[i] = resolve(id, enterprise, length, variable, key.Version == 10, isOptions);
                }

                templates.Learn(key, fields.AsSpan(0, fieldCount), isOptions, ignored);
            }

            var rates = Count(reader.ReadInt32(), "sampling rate");
            for (var i = 0; i < rates; i++)
            {
                var key = ReadKey(reader);
                sampling.Set(key, reader.ReadUInt64());
            }

            return count;
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("the template file is cut short", e);
        }
    }

    private static int Count(int count, string what) =>
        count is >= 0 and <= 1_000_000 ? count : throw new InvalidDataException($"{count} {what}s");

    private static void WriteKey(BinaryWriter writer, in TemplateKey key)
    {
        writer.Write(key.Exporter.Address.High);
        writer.Write(key.Exporter.Address.Low);
        writer.Write(key.Exporter.Port);
        writer.Write(key.Version);
        writer.Write(key.Domain);
        writer.Write(key.TemplateId);
    }

    private static TemplateKey ReadKey(BinaryReader reader)
    {
        var address = new IpAddr(reader.ReadUInt64(), reader.ReadUInt64());
        return new TemplateKey(new NetFlowExporterId(address, reader.ReadUInt16()), reader.ReadUInt16(), reader.ReadUInt32(), reader.ReadUInt16());
    }
}
