namespace Flowhive.Probe.Engine.Classification.Micro.Framework;

/// <summary>How a micro-engine result was reached, in nDPI's words (<c>ndpi_confidence_t</c>).</summary>
public enum MicroConfidence : byte
{
    Unknown = 0,

    /// <summary>"DPI": the packets prove it.</summary>
    Dpi = 1,

    /// <summary>"DPI (cache)": an earlier flow's DNS answer tied the server address to the service.</summary>
    DpiCache = 2,
}
