using System.Runtime.InteropServices;
using Flowhive.Probe.Configuration;
using Flowhive.Probe.Engine.Classification;
using Flowhive.Probe.Engine.Classification.Ndpi;
using Microsoft.Extensions.Logging;

namespace Flowhive.Probe.Classification;

/// <summary>
/// The probe's DPI engine as chosen by <c>--dpi</c>: a classifier per flow worker, rule reload on SIGHUP, and the
/// fallback when the chosen engine cannot run here. Started before the capture engines (they take the factory).
/// </summary>
public sealed class ProbeClassification : IDisposable
{
    private readonly NdpiEngine? _ndpi;
    private PosixSignalRegistration? _hangup;
    private ILogger? _log;

    private ProbeClassification(NdpiEngine? ndpi, string description, string? fallback)
    {
        _ndpi = ndpi;
        Description = description;
        Fallback = fallback;
    }

    /// <summary>What classifies flows, for the start-up line ("nDPI 4.2.0, 300 protocols" or "none").</summary>
    public string Description { get; }

    /// <summary>Why the chosen engine is not the one running, in one line; null when it is.</summary>
    public string? Fallback { get; }

    /// <summary>A classifier per flow worker (nDPI modules are used by one thread each); null when nothing classifies.</summary>
    public Func<int, IFlowClassifier?>? Factory => _ndpi is null ? null : _ => _ndpi.CreateClassifier();

    /// <summary>
    /// Starts the engine <paramref name="options"/> chooses. When nDPI cannot be loaded the probe runs without
    /// classification and <see cref="Fallback"/> says why; a bad rule file throws <see cref="NdpiException"/>.
    /// </summary>
    public static ProbeClassification Start(DpiOptions options)
    {
        if (options.Engine == DpiEngineKind.None)
        {
            return new ProbeClassification(null, "none", null);
        }

        var ndpiOptions = new NdpiOptions { ProtocolsFile = options.ProtocolsFile, CategoriesFile = options.CategoriesFile };
        if (!NdpiEngine.TryCreate(ndpiOptions, out var engine, out var reason))
        {
            return new ProbeClassification(null, "none", $"nDPI is not available: {reason}; flows are exported without application protocols");
        }

        var description = $"nDPI {engine.Version}, {engine.Protocols.Count} protocols" +
                          (options.ProtocolsFile is { } file ? $" ({engine.CustomProtocolCount} from {file})" : "") +
                          (options.CategoriesFile is { } categories ? $", {engine.CategoryRules} category rules from {categories}" : "");
        return new ProbeClassification(engine, description, null);
    }

    /// <summary>Logs the engine's warnings and reloads its rules on SIGHUP from now on, as ntopng does with <c>-p</c>.</summary>
    public void Attach(ILogger log)
    {
        _log = log;
        if (_ndpi is null)
        {
            return;
        }

        foreach (var warning in _ndpi.Warnings)
        {
            log.LogWarning("{Warning}", warning);
        }

        _hangup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
        {
            // SIGHUP's default is to end the process: here it means "re-read the rule files".
            context.Cancel = true;
            Reload();
        });
    }

    /// <summary>Re-reads the rule files into new nDPI modules; a bad file leaves the running rules in place.</summary>
    public bool Reload()
    {
        if (_ndpi is null)
        {
            return false;
        }

        var reloaded = _ndpi.TryReload(out var message);
        if (reloaded)
        {
            _log?.LogInformation("{Message}", message);
        }
        else
        {
            _log?.LogError("{Message}", message);
        }

        return reloaded;
    }

    public void Dispose()
    {
        _hangup?.Dispose();
        _ndpi?.Dispose();
    }
}
