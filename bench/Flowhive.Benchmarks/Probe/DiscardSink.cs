using Flowhive.Probe.Engine.Flows;
using Flowhive.Shared.Flows;

namespace Flowhive.Benchmarks.Probe;

/// <summary>A flow sink that drops every record: the benchmarks measure what comes before the export.</summary>
internal sealed class DiscardSink : IFlowSink
{
    public void Export(in FlowRecord record)
    {
    }

    public void Flush()
    {
    }
}
