namespace Flowhive.Probe.Engine.Classification.Ndpi;

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
