using System.Globalization;
using System.Text;

namespace Flowhive.Probe.Engine.Tests.Classification.Corpus;

/// <summary>Reads a corpus label file: RFC 4180 CSV (quoted fields may hold commas) with a header row.</summary>
public static class LabelCsv
{
    public static IReadOnlyList<LabelRow> Read(string path)
    {
        var lines = File.ReadAllLines(path);
        var header = Split(lines[0]);
        int Column(string name) => header.IndexOf(name) is var i and >= 0 ? i : throw new InvalidDataException($"{path}: no column {name}");
        var (l4, srcIp, srcPort, dstIp, dstPort, vlan) = (Column("l4"), Column("src_ip"), Column("src_port"), Column("dst_ip"), Column("dst_port"), Column("vlan"));
        var (proto, app, master, category, host, confidence, ja3) =
            (Column("ndpi_proto"), Column("app_protocol"), Column("master_protocol"), Column("category"), Column("host_or_sni"), Column("confidence"), Column("ja3c"));
        var pcap = Path.GetFileName(path)[..^".csv".Length];
        var rows = new List<LabelRow>();
        foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
        {
            var f = Split(line);
            rows.Add(new LabelRow(pcap, f[l4], f[srcIp], Int(f[srcPort]), f[dstIp], Int(f[dstPort]), Int(f[vlan]),
                f[proto], f[app], f[master], f[category], f[host], f[confidence], f[ja3]));
        }

        return rows;
    }

    private static int Int(string text) => text.Length == 0 ? 0 : int.Parse(text, CultureInfo.InvariantCulture);

    /// <summary>RFC 4180 fields: the risk column holds commas inside quotes.</summary>
    public static List<string> Split(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        fields.Add(field.ToString());
        return fields;
    }
}
