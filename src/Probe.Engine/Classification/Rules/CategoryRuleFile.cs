using System.Globalization;

namespace Flowhive.Probe.Engine.Classification.Rules;

/// <summary>
/// The categories file, nDPI's format (<c>example/categories.txt</c>: <c>name&lt;TAB&gt;category_id</c>, <c>#</c> comments),
/// also accepting a category name instead of the id, for either engine. The nDPI engine hands each entry to nDPI's
/// own ndpi_load_category rather than using ndpi_load_categories_file, because nDPI 4.2's loader takes ids only
/// (atoi: a name silently becomes category 0) and reports no line. A bad line throws <see cref="FormatException"/>
/// naming the file and line.
/// </summary>
public static class CategoryRuleFile
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
            throw new FormatException($"{path}: {e.Message}");
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
                throw new FormatException($"{path}:{i + 1}: expected 'host<TAB>category', got '{line}'");
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
                throw new FormatException($"{path}:{line}: category {id} does not exist (there are 0-{names.Count - 1})");
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

        throw new FormatException($"{path}:{line}: unknown category '{text}' (an id, or a name such as '{names[Math.Min(5, names.Count - 1)]}')");
    }
}
