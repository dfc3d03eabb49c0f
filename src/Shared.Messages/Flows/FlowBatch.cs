using System.Collections.Concurrent;

namespace Flowhive.Shared.Flows;

/// <summary>
/// A reusable array of flow records handed from a flow worker to an exporter or ingest pipeline, so that
/// flows move in groups (one queue operation and one ZMQ message per batch, never per flow).
/// </summary>
public sealed class FlowBatch
{
    public const int DefaultCapacity = 256;

    public FlowBatch(int capacity = DefaultCapacity)
    {
        Items = new FlowRecord[capacity];
    }

    public FlowRecord[] Items { get; }

    public int Count { get; private set; }

    public bool IsFull => Count == Items.Length;

    public Span<FlowRecord> AsSpan() => Items.AsSpan(0, Count);

    public void Add(in FlowRecord record) => Items[Count++] = record;

    public void Clear()
    {
        // Clear references (metadata) so pooled batches do not keep strings alive. Only the reference: the rest of
        // each slot is overwritten by the next Add, and zeroing whole records cost as much as filling them.
        foreach (ref var record in Items.AsSpan(0, Count))
        {
            record.Metadata = null;
        }

        Count = 0;
    }
}

/// <summary>A bounded pool of <see cref="FlowBatch"/> objects; allocation only happens when the pool is empty.</summary>
public sealed class FlowBatchPool(int capacity = FlowBatch.DefaultCapacity, int maxPooled = 1024)
{
    private readonly ConcurrentQueue<FlowBatch> _free = new();
    private int _pooled;

    public FlowBatch Rent()
    {
        if (_free.TryDequeue(out var batch))
        {
            Interlocked.Decrement(ref _pooled);
            return batch;
        }

        return new FlowBatch(capacity);
    }

    public void Return(FlowBatch batch)
    {
        batch.Clear();
        if (Interlocked.Increment(ref _pooled) <= maxPooled)
        {
            _free.Enqueue(batch);
        }
        else
        {
            Interlocked.Decrement(ref _pooled);
        }
    }
}
