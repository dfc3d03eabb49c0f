namespace Flowhive.Probe.Engine.Classification.Micro.Framework;

/// <summary>What the owning dissector wants after a packet.</summary>
public enum Inspection : byte
{
    /// <summary>More packets may add metadata (a server certificate, a DNS answer, an HTTP status).</summary>
    Continue = 0,

    /// <summary>Nothing more to learn: the classification is final.</summary>
    Done = 1,
}
