using Flowhive.Probe.Engine.Flows;
using Flowhive.Shared.Flows;

namespace Flowhive.Probe.Node.Tests.Support;

/// <summary>Passes every flow on to the real export queue sink and adds up what went through (written by one capture thread).</summary>
public sealed class CountingSink(IFlowSink inner) : IFlowSink
{
    private long _records;
    private long _packets;

    public long Records => Interlocked.Read(ref _records);

    public long Packets => Interlocked.Read(ref _packets);

    public void Export(in FlowRecord record)
    {
        Interlocked.Increment(ref _records);
        Interlocked.Add(ref _packets, (long)record.TotalPackets);
        inner.Export(record);
    }

    public void Flush() => inner.Flush();
}
