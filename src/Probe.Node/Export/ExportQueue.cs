using System.Collections.Concurrent;
using Flowhive.Probe.Engine.Flows;
using Flowhive.Shared.Flows;

namespace Flowhive.Probe.Export;

/// <summary>
/// The bounded hand-over from capture workers to the exporter thread. Workers block when it is full:
/// for a file that slows the replay down instead of losing flows; for a live interface the kernel ring
/// absorbs the burst and counts its drops, so nothing is lost silently.
/// </summary>
public sealed class ExportQueue : IDisposable
{
    private readonly BlockingCollection<FlowBatch> _queue;

    public ExportQueue(int capacityInBatches = 256)
    {
        _queue = new BlockingCollection<FlowBatch>(new ConcurrentQueue<FlowBatch>(), capacityInBatches);
    }

    public FlowBatchPool Pool { get; } = new();

    public int Count => _queue.Count;

    public bool IsCompleted => _queue.IsCompleted;

    /// <summary>A sink for one capture worker: it batches flows and puts whole batches on this queue.</summary>
    public IFlowSink CreateSink() => new BatchingFlowSink(Pool, Add);

    public void Add(FlowBatch batch)
    {
        try
        {
            _queue.Add(batch);
        }
        catch (InvalidOperationException)
        {
            // Adding completed: the probe is shutting down after the exporter drained; nothing can be sent anyway.
            Pool.Return(batch);
        }
    }

    public bool TryTake(out FlowBatch? batch, TimeSpan timeout) => _queue.TryTake(out batch, timeout);

    /// <summary>No more batches will come: the exporter sends what is queued and stops.</summary>
    public void CompleteAdding() => _queue.CompleteAdding();

    public void Dispose() => _queue.Dispose();
}
