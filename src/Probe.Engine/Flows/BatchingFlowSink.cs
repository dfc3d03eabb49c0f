using Flowhive.Shared.Flows;

namespace Flowhive.Probe.Engine.Flows;

/// <summary>
/// Collects exported flows into pooled <see cref="FlowBatch"/>es and hands each full batch (or a partial
/// one on <see cref="Flush"/>) to a consumer: the ZMQ exporter in a probe, the ingest pipeline in a
/// collector. One hand-over per batch, never per flow.
/// </summary>
public sealed class BatchingFlowSink(FlowBatchPool pool, Action<FlowBatch> deliver) : IFlowSink
{
    private FlowBatch? _current;

    public void Export(in FlowRecord record)
    {
        _current ??= pool.Rent();
        _current.Add(record);
        if (_current.IsFull)
        {
            Flush();
        }
    }

    public void Flush()
    {
        if (_current is { Count: > 0 } batch)
        {
            _current = null;
            deliver(batch);
        }
    }
}
