using Flowhive.Probe.Engine.Flows;
using Flowhive.Shared.Flows;

namespace Flowhive.Probe.Engine.Tests.Support;

/// <summary>A real <see cref="IFlowSink"/> that keeps every exported record, in export order.</summary>
public sealed class RecordingSink : IFlowSink
{
    public List<FlowRecord> Records { get; } = [];

    public int Flushes { get; private set; }

    public void Export(in FlowRecord record) => Records.Add(record);

    public void Flush() => Flushes++;
}
