using Flowhive.Shared.Flows;

namespace Flowhive.Probe.Engine.Flows;

/// <summary>Receives finished flows (and slices of long flows) from a flow table, on the worker's thread.</summary>
public interface IFlowSink
{
    void Export(in FlowRecord record);

    /// <summary>Called when the worker has nothing to do for a moment: hand over any partly filled batch.</summary>
    void Flush();
}
