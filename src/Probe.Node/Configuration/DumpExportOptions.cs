using Flowhive.Hosting;

namespace Flowhive.Probe.Configuration;

/// <summary>
/// Settings of the JSON-lines flow dump (nProbe <c>-P</c>/<c>--dump-path</c>, <c>-F</c>/<c>--dump-frequency</c>,
/// <c>-D</c>/<c>--dump-format</c>, <c>--dont-nest-dump-dirs</c>). Flags: <see cref="ProbeCommandLine"/>.
/// </summary>
public sealed record DumpExportOptions
{
    /// <summary>The <c>--dump-path</c> value that means standard output instead of files.</summary>
    public const string Stdout = "-";

    public const int DefaultFrequencySeconds = 60;

    /// <summary>The directory files go under (absolute), or <see cref="Stdout"/>.</summary>
    public required string Path { get; init; }

    public bool ToStdout => Path == Stdout;

    /// <summary>How long each file collects flows before it is completed; periods are aligned to multiples of it since the epoch, as in nProbe.</summary>
    public TimeSpan Frequency { get; init; } = TimeSpan.FromSeconds(DefaultFrequencySeconds);

    /// <summary>Files under YYYY/MM/DD/HH/ sub-directories (nProbe's default) rather than all in <see cref="Path"/>.</summary>
    public bool NestDirectories { get; init; } = true;

    /// <summary>Null when <c>--dump-path</c> is not given. Creates the directory, as nProbe does, and checks that it is writable.</summary>
    public static DumpExportOptions? From(ParsedOptions o)
    {
        var frequency = o.GetInt("dump-frequency", DefaultFrequencySeconds, 1, 86_400);
        var format = o.Get("dump-format") ?? "j";
        if (format != "j")
        {
            throw new CommandLineException($"--dump-format {format}: only j (JSON lines) is available in this version");
        }

        var path = o.Get("dump-path");
        if (path is null)
        {
            return null;
        }

        if (path.Length == 0)
        {
            throw new CommandLineException("--dump-path: give a directory, or - for standard output");
        }

        if (path != Stdout)
        {
            path = PrepareDirectory(path);
        }

        return new DumpExportOptions
        {
            Path = path,
            Frequency = TimeSpan.FromSeconds(frequency),
            NestDirectories = !o.GetFlag("dont-nest-dump-dirs"),
        };
    }

    private static string PrepareDirectory(string path)
    {
        string full;
        try
        {
            full = System.IO.Path.GetFullPath(path);
            Directory.CreateDirectory(full);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new CommandLineException($"--dump-path {path}: cannot create the directory: {e.Message}");
        }

        // Permissions alone do not say whether a file can be created (read-only mounts, ACLs, root): try one.
        var probe = System.IO.Path.Combine(full, $".flowhive-probe-{Environment.ProcessId}.temp");
        try
        {
            using var stream = new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CommandLineException($"--dump-path {path}: cannot write there: {e.Message}");
        }

        return full;
    }
}
