using Flowhive.Hosting.FlowCollection;
using Flowhive.Shared.Flows;

namespace Flowhive.Collector.Ingest;

/// <summary>
/// An <c>-i udp://</c> interface's listener feeds its ingest pipeline, counted like a ZeroMQ probe's messages.
/// The listener is the interface's only producer, so records are folded on its thread as they are decoded
/// (<see cref="IngestPipeline.FoldOnCaller"/>), and the window goes out when due even while no datagram arrives.
/// </summary>
internal sealed class PipelineDatagramSink(IngestPipeline pipeline) : IFlowDatagramSink
{
    public void CountDatagram() => Interlocked.Increment(ref pipeline.Counters.MessagesReceived);

    public void Deliver(ReadOnlySpan<FlowRecord> records) => pipeline.FoldOnCaller(records);

    public void Tick() => pipeline.DrainIfDue();

    public void Reject(string reason) => pipeline.Counters.Reject(reason);
}
