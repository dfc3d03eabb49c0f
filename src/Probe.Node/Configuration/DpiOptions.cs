using Flowhive.Hosting;

namespace Flowhive.Probe.Configuration;

/// <summary>
/// <c>--dpi</c> and the rule files (<c>-p/--ndpi-protocols</c> in ntopng's format, <c>--ndpi-categories</c> in nDPI's),
/// for either engine. The files are only checked to exist here; the engine reads them when it
/// starts, and again on SIGHUP.
/// </summary>
public sealed record DpiOptions
{
    public DpiEngineKind Engine { get; init; }

    public string? ProtocolsFile { get; init; }

    public string? CategoriesFile { get; init; }

    public static DpiOptions From(ParsedOptions o)
    {
        // --list-protocols shows nDPI's table (with the protocols file's additions): it implies nDPI.
        var text = o.Get("dpi") ?? (o.GetFlag("list-protocols") ? "ndpi" : "micro");
        var engine = text.ToLowerInvariant() switch
        {
            "none" => DpiEngineKind.None,
            "micro" => DpiEngineKind.Micro,
            "ndpi" => DpiEngineKind.Ndpi,
            _ => throw new CommandLineException($"--dpi: '{text}' is not an engine (micro, ndpi or none)"),
        };

        var protocols = ExistingFile(o, "ndpi-protocols", "-p/--ndpi-protocols");
        var categories = ExistingFile(o, "ndpi-categories", "--ndpi-categories");
        if (engine == DpiEngineKind.None && protocols is not null)
        {
            throw new CommandLineException("-p/--ndpi-protocols: rules need an engine (--dpi micro or --dpi ndpi)");
        }

        if (engine == DpiEngineKind.None && categories is not null)
        {
            throw new CommandLineException("--ndpi-categories: category rules need an engine (--dpi micro or --dpi ndpi)");
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
