using Flowhive.Hosting.FlowCollection;
using Flowhive.Shared.Flows;

namespace Flowhive.Collector.Ingest;

/// <summary>An <c>-i udp://</c> interface's listener feeds its ingest pipeline, counted like a ZeroMQ probe's messages.</summary>
internal sealed class PipelineDatagramSink(IngestPipeline pipeline) : IFlowDatagramSink
{
    public void CountDatagram() => Interlocked.Increment(ref pipeline.Counters.MessagesReceived);

    public void Deliver(ReadOnlySpan<FlowRecord> records) => pipeline.Enqueue(records);

    public void Reject(string reason) => pipeline.Counters.Reject(reason);
}
