using Flowhive.Probe.Engine.Decode;
using Flowhive.Shared.Flows;

namespace Flowhive.Probe.Engine.Classification;

/// <summary>
/// The seam for deep packet inspection engines (nDPI, the managed micro engine). The flow table calls
/// <see cref="Inspect"/> on the worker thread for a flow's first packets until the engine says it is done
/// or <see cref="MaxPacketsPerFlow"/> is reached.
/// </summary>
public interface IFlowClassifier
{
    string Name { get; }

    /// <summary>Packets after which a flow that is still undecided stays unknown.</summary>
    int MaxPacketsPerFlow { get; }

    /// <summary>Inspects one packet of a flow; returns true when the classification is final.</summary>
    bool Inspect(ref FlowClassification state, in DecodedPacket packet, ReadOnlySpan<byte> payload, bool fromClient, long timestampUs);

    /// <summary>The flow is leaving the table: release engine state held in <see cref="FlowClassification.EngineState"/>.</summary>
    void Release(ref FlowClassification state);
}

/// <summary>Per-flow classification result and engine scratch state, stored in the flow table entry.</summary>
public struct FlowClassification
{
    public ushort Master;
    public ushort App;

    /// <summary>nDPI category id of the result.</summary>
    public ushort Category;

    public ushort PacketsInspected;
    public bool Done;

    /// <summary>Whatever the engine needs between packets (an nDPI flow handle, parser state...).</summary>
    public object? EngineState;

    public FlowMetadata? Metadata;
}
