namespace Flowhive.Probe.Engine.Classification.Micro.Framework;

/// <summary>A dissector's answer to "is this flow yours?" on a packet of a flow nobody has claimed yet.</summary>
public enum Identification : byte
{
    /// <summary>Cannot tell from this packet: ask again on the next one.</summary>
    Unsure = 0,

    /// <summary>Not this protocol: the dispatcher stops asking for this flow.</summary>
    NotMine = 1,

    /// <summary>This protocol: the dissector owns the flow; <see cref="IDissector.Inspect"/> follows for this very packet.</summary>
    Mine = 2,
}
