using Flowhive.Hosting;

namespace Flowhive.Probe.Configuration;

/// <summary>Which deep packet inspection engine classifies flows.</summary>
public enum DpiEngineKind : byte
{
    /// <summary>No classification: flows carry no application protocol.</summary>
    None,

    /// <summary>The system's libndpi, through the shim compiled at build time.</summary>
    Ndpi,
}

/// <summary>
/// <c>--dpi</c> and the nDPI rule files (<c>-p/--ndpi-protocols</c> in ntopng's format, <c>--ndpi-categories</c>).
/// The files are only checked to exist here; nDPI reads them when the engine starts, and again on SIGHUP.
/// </summary>
public sealed record DpiOptions
{
    public DpiEngineKind Engine { get; init; }

    public string? ProtocolsFile { get; init; }

    public string? CategoriesFile { get; init; }

    public static DpiOptions From(ParsedOptions o)
    {
        // --list-protocols shows nDPI's table (with the protocols file's additions): it implies nDPI.
        var text = o.Get("dpi") ?? (o.GetFlag("list-protocols") ? "ndpi" : "none");
        var engine = text.ToLowerInvariant() switch
        {
            "none" => DpiEngineKind.None,
            "ndpi" => DpiEngineKind.Ndpi,
            _ => throw new CommandLineException($"--dpi: '{text}' is not an engine (ndpi or none)"),
        };

        var protocols = ExistingFile(o, "ndpi-protocols", "-p/--ndpi-protocols");
        var categories = ExistingFile(o, "ndpi-categories", "--ndpi-categories");
        if (engine != DpiEngineKind.Ndpi && (protocols ?? categories) is not null)
        {
            throw new CommandLineException("-p/--ndpi-protocols and --ndpi-categories are nDPI rules: give --dpi ndpi as well");
        }

        return new DpiOptions { Engine = engine, ProtocolsFile = protocols, CategoriesFile = categories };
    }

    private static string? ExistingFile(ParsedOptions o, string name, string flag)
    {
        var path = o.Get(name);
        if (path is not null && !File.Exists(path))
        {
            throw new CommandLineException($"{flag}: no such file '{path}'");
        }

        return path is null ? null : Path.GetFullPath(path);
    }
}
