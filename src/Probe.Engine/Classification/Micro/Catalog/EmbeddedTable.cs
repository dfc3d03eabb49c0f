using System.Reflection;

namespace Flowhive.Probe.Engine.Classification.Micro.Catalog;

/// <summary>Reads the engine's tab-separated data files (embedded resources): '#' starts a comment line, blank lines are skipped.</summary>
internal static class EmbeddedTable
{
    public static IEnumerable<(int Line, string[] Fields)> Read(string fileName)
    {
        var assembly = typeof(EmbeddedTable).Assembly;
        var resource = assembly.GetManifestResourceNames().SingleOrDefault(n => n.EndsWith("." + fileName, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"embedded data file {fileName} is missing from {assembly.GetName().Name}");
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd());
    }

    public static IEnumerable<(int Line, string[] Fields)> Parse(string text)
    {
        var rows = new List<(int, string[])>();
        var lineNumber = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            var line = raw.TrimEnd('\r');
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            rows.Add((lineNumber, line.Split('\t')));
        }

        return rows;
    }

    public static Exception Error(string fileName, int line, string message) =>
        new InvalidDataException($"{fileName} line {line}: {message}");
}
