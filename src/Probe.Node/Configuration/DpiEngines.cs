using Flowhive.Probe.Engine.Classification;
using Flowhive.Probe.Engine.Classification.Micro;

namespace Flowhive.Probe.Configuration;

/// <summary>Turns <c>--dpi</c> into the per-worker classifier factory the capture engines take.</summary>
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
    /// The classifier factory for <paramref name="kind"/>, shared by every capture source (one engine, so that DNS
    /// answers seen on one source name flows on another), or null for none. nDPI is not part of this build: asking
    /// for it falls back to the micro engine, and <paramref name="warning"/> says so.
    /// </summary>
    public static Func<int, IFlowClassifier?>? Create(DpiEngineKind kind, out string? warning)
    {
        warning = null;
        switch (kind)
        {
            case DpiEngineKind.None:
                return null;
            case DpiEngineKind.Ndpi:
                warning = "--dpi ndpi: the nDPI engine is not available in this build; using the managed micro engine instead";
                break;
        }

        var engine = new MicroEngine();
        return _ => engine.CreateClassifier();
    }
}
