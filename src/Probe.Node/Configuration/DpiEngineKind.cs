namespace Flowhive.Probe.Configuration;

/// <summary>Which deep packet inspection engine names the flows' application protocols (<c>--dpi</c>).</summary>
public enum DpiEngineKind
{
    /// <summary>No inspection: flows are exported without L7 fields.</summary>
    None,

    /// <summary>Flowhive's managed engine (no native code).</summary>
    Micro,

    /// <summary>ntop's nDPI through its native library.</summary>
    Ndpi,
}
