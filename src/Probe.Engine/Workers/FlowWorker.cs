using System.Collections.Concurrent;
using Flowhive.Probe.Engine.Classification;
using Flowhive.Probe.Engine.Decode;
using Flowhive.Probe.Engine.Flows;

namespace Flowhive.Probe.Engine.Workers;

/// <summary>
/// One slice of a capture's flows: its own flow table, sink and classifier, fed either inline by the capture
/// thread (the first worker) or from a queue on its own thread (the others, RSS-style by a symmetric hash).
/// </summary>
internal sealed class FlowWorker
{
    private const int SinkFlushIntervalMs = 100;
    private const int QueueCapacity = 64;

    private readonly IFlowSink _sink;
    private readonly BlockingCollection<WorkBatch>? _queue;
    private readonly ConcurrentQueue<WorkBatch>? _free;
    private readonly bool _copyFrames;
    private Thread? _thread;
    private WorkBatch? _filling;
    private long _lastFlushMs;
    private long _faults;

    public FlowWorker(int index, FlowTableOptions options, IFlowSink sink, IFlowClassifier? classifier, bool threaded)
    {
        Index = index;
        _sink = sink;
        Table = new FlowTable(options, sink, classifier);
        _copyFrames = classifier is not null;
        if (threaded)
        {
            _queue = new BlockingCollection<WorkBatch>(new ConcurrentQueue<WorkBatch>(), QueueCapacity);
            _free = new ConcurrentQueue<WorkBatch>();
        }
    }

    public int Index { get; }

    /// <summary>True when the worker has its own thread and queue; false when the capture thread feeds it inline.</summary>
    public bool Threaded => _queue is not null;

    public FlowTable Table { get; }

    /// <summary>Packets whose processing threw (the worker skipped them and went on).</summary>
    public long Faults => Volatile.Read(ref _faults);

    /// <summary>Inline path (single worker): the capture thread itself updates the table.</summary>
    public void Process(ref DecodedPacket packet, long timestampUs, ReadOnlySpan<byte> frame) => Table.Process(ref packet, timestampUs, frame);

    public void Tick(long nowUs)
    {
        Table.Tick(nowUs);
        FlushSink(force: true);
    }

    public void FlushSinkIfDue() => FlushSink(force: false);

    public void ExportAll() => Table.ExportAll();

    // ---- threaded path: called by the capture thread ----

    public void Start()
    {
        if (_thread is null && _queue is not null)
        {
            _thread = new Thread(RunQueue) { IsBackground = true, Name = $"flow-worker-{Index}" };
            _thread.Start();
        }
    }

    public void Enqueue(in DecodedPacket packet, long timestampUs, ReadOnlySpan<byte> frame)
    {
        _filling ??= Rent();
        _filling.Add(packet, timestampUs, frame);
        if (_filling.IsFull)
        {
            Hand();
        }
    }

    /// <summary>Hands over the partly filled batch (end of a read, so packets do not wait for more traffic).</summary>
    public void Hand()
    {
        if (_filling is { Count: > 0 } batch)
        {
            _filling = null;
            _queue!.Add(batch);
        }
    }

    public void EnqueueTick(long nowUs)
    {
        Hand();
        var tick = Rent();
        tick.TickUs = nowUs;
        _queue!.Add(tick);
    }

    /// <summary>No more packets: the worker drains its queue, exports every flow and stops.</summary>
    public void Complete()
    {
        Hand();
        _queue!.CompleteAdding();
    }

    public bool Join(TimeSpan timeout) => _thread?.Join(timeout) ?? true;

    private WorkBatch Rent() => _free!.TryDequeue(out var batch) ? batch : new WorkBatch(_copyFrames);

    private void RunQueue()
    {
        foreach (var batch in _queue!.GetConsumingEnumerable())
        {
            if (batch.TickUs != 0)
            {
                Tick(batch.TickUs);
            }

            ProcessBatch(batch);
            batch.Reset();
            _free!.Enqueue(batch);
            if (_queue.Count == 0)
            {
                FlushSinkIfDue();
            }
        }

        Table.ExportAll();
    }

    /// <summary>One queued batch: a method called per batch, so the runtime recompiles it as it gets hot.</summary>
    private void ProcessBatch(WorkBatch batch)
    {
        for (var i = 0; i < batch.Count; i++)
        {
            try
            {
                Table.Process(ref batch.Packets[i], batch.TimestampsUs[i], batch.Frame(i));
            }
            catch (Exception)
            {
                // A bug must cost one packet, not the slice of flows this worker owns: count it and go on.
                Interlocked.Increment(ref _faults);
            }
        }
    }

    private void FlushSink(bool force)
    {
        var now = Environment.TickCount64;
        if (force || now - _lastFlushMs >= SinkFlushIntervalMs)
        {
            _lastFlushMs = now;
            _sink.Flush();
        }
    }
}
