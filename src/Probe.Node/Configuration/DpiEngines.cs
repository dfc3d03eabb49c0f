using Flowhive.Probe.Engine.Classification;
using Flowhive.Probe.Engine.Classification.Micro;
using Flowhive.Probe.Engine.Classification.Rules;

namespace Flowhive.Probe.Configuration;

/// <summary>Turns <c>--dpi</c> and <c>-p</c> into the per-worker classifier factory the capture engines take.</summary>
public static class DpiEngines
{
    public static bool TryParse(string text, out DpiEngineKind kind)
    {
        kind = text switch
        {
            "micro" => DpiEngineKind.Micro,
            "ndpi" => DpiEngineKind.Ndpi,
            "none" => DpiEngineKind.None,
            _ => (DpiEngineKind)(-1),
        };
        return Enum.IsDefined(kind);
    }

    /// <summary>
    /// The engine for <paramref name="kind"/>, shared by every capture source (one engine, so that DNS answers seen
    /// on one source name flows on another), with the user's protos file applied. nDPI is not part of this build:
    /// asking for it falls back to the micro engine, and the result's warning says so.
    /// </summary>
    /// <exception cref="FormatException">The protos file cannot be read or has a bad line (the message names it).</exception>
    public static DpiSetup Create(DpiEngineKind kind, string? protosPath)
    {
        if (kind == DpiEngineKind.None)
        {
            return new DpiSetup(null, null, protosPath is null ? null : "-p: ignored with --dpi none");
        }

        var warning = kind == DpiEngineKind.Ndpi
            ? "--dpi ndpi: the nDPI engine is not available in this build; using the managed micro engine instead"
            : null;
        var engine = new MicroEngine();
        Func<string>? reload = null;
        if (protosPath is not null)
        {
            engine.ApplyRules(ProtoRuleFile.Load(protosPath));
            reload = () =>
            {
                var rules = ProtoRuleFile.Load(protosPath);
                engine.ApplyRules(rules);
                return $"{protosPath}: {rules.Rules.Count} rules for {rules.Protocols.Count} protocols in force";
            };
        }

        return new DpiSetup(_ => engine.CreateClassifier(), reload, warning);
    }
}

/// <summary>
/// What <see cref="DpiEngines.Create"/> built: the classifier factory (null: no DPI), a reload of the protos file
/// for SIGHUP (null without one; it returns a line for the log and throws <see cref="FormatException"/> on a bad
/// file, leaving the old rules in force) and a warning for the operator.
/// </summary>
public sealed record DpiSetup(Func<int, IFlowClassifier?>? Classifiers, Func<string>? ReloadRules, string? Warning);
