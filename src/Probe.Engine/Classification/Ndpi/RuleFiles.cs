using System.Globalization;

namespace Flowhive.Probe.Engine.Classification.Ndpi;

/// <summary>One line of a categories file: a host name (matched as nDPI matches host rules) or IP/CIDR, and a category id.</summary>
internal sealed record CategoryRule(string HostOrIp, int Category, string File, int Line);

/// <summary>
/// The categories file, nDPI's format (<c>example/categories.txt</c>: <c>name&lt;TAB&gt;category_id</c>, <c>#</c> comments),
/// also accepting a category name instead of the id. Read here rather than by ndpi_load_categories_file because
/// nDPI 4.2's loader takes ids only (atoi: a name silently becomes category 0) and reports no line; each entry
/// still goes through nDPI's own ndpi_load_category.
/// </summary>
internal static class CategoryRuleFile
{
    public static IReadOnlyList<CategoryRule> Load(string? path, IReadOnlyList<string> categoryNames)
    {
        if (path is null)
        {
            return [];
        }

        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new NdpiException($"{path}: {e.Message}");
        }

        var rules = new List<CategoryRule>();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (line.Length == 0 || line.TrimStart().StartsWith('#') || string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            if (tab <= 0)
            {
                throw new NdpiException($"{path}:{i + 1}: expected 'host<TAB>category', got '{line}'");
            }

            var host = line[..tab].Trim();
            var categoryText = line[(tab + 1)..].Trim();
            rules.Add(new CategoryRule(host, ParseCategory(categoryText, categoryNames, path, i + 1), path, i + 1));
        }

        return rules;
    }

    private static int ParseCategory(string text, IReadOnlyList<string> names, string path, int line)
    {
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            if (id >= names.Count)
            {
                throw new NdpiException($"{path}:{line}: category {id} does not exist (nDPI has 0-{names.Count - 1})");
            }

            return id;
        }

        for (var i = 0; i < names.Count; i++)
        {
            if (string.Equals(names[i], text, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        throw new NdpiException($"{path}:{line}: unknown category '{text}' (an id, or one of nDPI's names such as '{names[Math.Min(5, names.Count - 1)]}')");
    }
}

/// <summary>
/// The protocols file, read once per (re)load and checked lightly before nDPI's loader (ndpi_load_protocols_file)
/// reads it: that loader only says whether the file could be opened, skips lines it cannot parse without a word,
/// and drops a last line that has no newline.
/// </summary>
internal static class ProtocolRuleFile
{
    /// <summary>The file's text, ending with a newline, once every rule line names its protocol.</summary>
    public static string Read(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new NdpiException($"{path}: {e.Message}");
        }

        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var at = line.LastIndexOf('@');
            if (at <= 0 || at == line.Length - 1)
            {
                throw new NdpiException($"{path}:{i + 1}: expected rules then '@Protocol' (e.g. host:\"example.com\"@MyApp or tcp:8080@MyApp), got '{line}'");
            }
        }

        return text.EndsWith('\n') ? text : text + "\n";
    }

    /// <summary>
    /// Hands <paramref name="text"/> to nDPI's loader through a private temporary file: every module built for one
    /// (re)load gets the same rules even if the user's file changes meanwhile, and a bad edit cannot reach a module.
    /// </summary>
    public static int LoadInto(nint module, string text)
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, text);
            return NdpiNative.ModuleLoadProtocols(module, path);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
