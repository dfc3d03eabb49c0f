using System.Runtime.InteropServices;
using Flowhive.Probe.Configuration;
using Flowhive.Probe.Engine.Classification;
using Flowhive.Probe.Engine.Classification.Micro;
using Flowhive.Probe.Engine.Classification.Ndpi;
using Flowhive.Probe.Engine.Classification.Rules;
using Microsoft.Extensions.Logging;

namespace Flowhive.Probe.Classification;

/// <summary>
/// The probe's DPI engine as chosen by <c>--dpi</c>: a classifier per flow worker, rule reload on SIGHUP, and the
/// fallback when the chosen engine cannot run here. Started before the capture engines (they take the factory).
/// </summary>
public sealed class ProbeClassification : IDisposable
{
    private readonly NdpiEngine? _ndpi;
    private readonly MicroEngine? _micro;
    private readonly string? _microRulesFile;
    private readonly string? _microCategoriesFile;
    private PosixSignalRegistration? _hangup;
    private ILogger? _log;

    private ProbeClassification(NdpiEngine? ndpi, MicroEngine? micro, string? microRulesFile, string? microCategoriesFile, string description, string? fallback)
    {
        _ndpi = ndpi;
        _micro = micro;
        _microRulesFile = microRulesFile;
        _microCategoriesFile = microCategoriesFile;
        Description = description;
        Fallback = fallback;
    }

    /// <summary>What classifies flows, for the start-up line ("nDPI 4.2.0, 300 protocols" or "none").</summary>
    public string Description { get; }

    /// <summary>Why the chosen engine is not the one running, in one line; null when it is.</summary>
    public string? Fallback { get; }

    /// <summary>A classifier per flow worker (nDPI modules are used by one thread each); null when nothing classifies.</summary>
    public Func<int, IFlowClassifier?>? Factory => _ndpi is not null ? _ => _ndpi.CreateClassifier()
        : _micro is not null ? _ => _micro.CreateClassifier()
        : null;

    /// <summary>
    /// Starts the engine <paramref name="options"/> chooses. When nDPI cannot be loaded the probe runs the micro
    /// engine and <see cref="Fallback"/> says why; a bad rule file throws <see cref="NdpiException"/> (nDPI) or
    /// <see cref="FormatException"/> (micro), naming the file and line.
    /// </summary>
    public static ProbeClassification Start(DpiOptions options)
    {
        if (options.Engine == DpiEngineKind.None)
        {
            return new ProbeClassification(null, null, null, null, "none", null);
        }

        if (options.Engine == DpiEngineKind.Micro)
        {
            return StartMicro(options.ProtocolsFile, options.CategoriesFile, null);
        }

        var ndpiOptions = new NdpiOptions { ProtocolsFile = options.ProtocolsFile, CategoriesFile = options.CategoriesFile };
        if (!NdpiEngine.TryCreate(ndpiOptions, out var engine, out var reason))
        {
            return StartMicro(options.ProtocolsFile, options.CategoriesFile, $"nDPI is not available: {reason}; falling back to the micro engine");
        }

        var description = $"nDPI {engine.Version}, {engine.Protocols.Count} protocols" +
                          (options.ProtocolsFile is { } file ? $" ({engine.CustomProtocolCount} from {file})" : "") +
                          (options.CategoriesFile is { } categoryFile ? $", {engine.CategoryRules} category rules from {categoryFile}" : "");
        return new ProbeClassification(engine, null, null, null, description, null);
    }

    private static ProbeClassification StartMicro(string? rulesFile, string? categoriesFile, string? fallback)
    {
        var micro = new MicroEngine();
        var description = $"micro engine, {micro.SupportedProtocols.Count} protocols";
        if (rulesFile is not null)
        {
            // A bad file throws FormatException naming the file and line: the probe stops with exit code 2.
            var rules = ProtoRuleFile.Load(rulesFile);
            micro.ApplyRules(rules);
            description += $" ({rules.Rules.Count} rules for {rules.Protocols.Count} protocols from {rulesFile})";
        }

        if (categoriesFile is not null)
        {
            var categories = new CategoryRuleSet(CategoryRuleFile.Load(categoriesFile, micro.CategoryNames()));
            micro.ApplyCategoryRules(categories);
            description += $", {categories.Rules.Count} category rules from {categoriesFile}";
        }

        return new ProbeClassification(null, micro, rulesFile, categoriesFile, description, fallback);
    }

    /// <summary>Logs the engine's warnings and reloads its rules on SIGHUP from now on, as ntopng does with <c>-p</c>.</summary>
    public void Attach(ILogger log)
    {
        _log = log;
        if (_ndpi is null && _microRulesFile is null && _microCategoriesFile is null)
        {
            return;
        }

        foreach (var warning in _ndpi?.Warnings ?? [])
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
        string message;
        bool reloaded;
        if (_ndpi is not null)
        {
            reloaded = _ndpi.TryReload(out message);
        }
        else if (_micro is not null && (_microRulesFile is not null || _microCategoriesFile is not null))
        {
            (reloaded, message) = ReloadMicro(_micro, _microRulesFile, _microCategoriesFile);
        }
        else
        {
            return false;
        }

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

    private static (bool Reloaded, string Message) ReloadMicro(MicroEngine micro, string? rulesFile, string? categoriesFile)
    {
        try
        {
            // Both files are read before either is put in force: a bad one keeps all the running rules.
            var rules = rulesFile is null ? null : ProtoRuleFile.Load(rulesFile);
            var categories = categoriesFile is null ? null : new CategoryRuleSet(CategoryRuleFile.Load(categoriesFile, micro.CategoryNames()));
            var done = new List<string>();
            if (rules is not null)
            {
                micro.ApplyRules(rules);
                done.Add($"reloaded {rulesFile}: {rules.Rules.Count} rules for {rules.Protocols.Count} protocols in force");
            }

            if (categories is not null)
            {
                micro.ApplyCategoryRules(categories);
                done.Add($"reloaded {categoriesFile}: {categories.Rules.Count} category rules in force");
            }

            return (true, string.Join("; ", done));
        }
        catch (FormatException e)
        {
            return (false, $"reload failed, previous rules kept: {e.Message}");
        }
    }

    public void Dispose()
    {
        _hangup?.Dispose();
        _ndpi?.Dispose();
    }
}
