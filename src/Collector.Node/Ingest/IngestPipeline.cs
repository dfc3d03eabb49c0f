using System.Collections.Concurrent;
using System.Diagnostics;
using Akka.Actor;
using Flowhive.Shared.Cluster.Messages;
using Flowhive.Shared.Flows;
using Flowhive.Shared.Net;

namespace Flowhive.Collector.Ingest;

/// <summary>
/// Turns one interface's stream of flow records (from ZeroMQ probes or from the in-process capture engine)
/// into cluster messages. Flows are folded per host over a short window and sent as one delta per active
/// host (to its host entity) plus one interface message (totals, the same host deltas for the host index,
/// and the flows for the active list): the cluster carries a handful of messages per window whatever the
/// packet rate. Runs on its own thread behind a bounded queue, so a slow cluster slows the producers
/// instead of losing flows.
/// </summary>
public sealed class IngestPipeline : IDisposable
{
    private static readonly TimeSpan Window = TimeSpan.FromMilliseconds(250);
    private const int MaxHostsPerWindow = 20_000;

    private readonly BlockingCollection<FlowBatch> _queue = new(new ConcurrentQueue<FlowBatch>(), 1024);
    private readonly IngestWindow _window;
    private readonly Action<HostTrafficDelta> _toHost;
    private readonly Action<InterfaceTrafficDelta> _toInterface;
    private readonly Action<HostTrafficDelta> _sendToHost;
    private readonly Action<InterfaceTrafficDelta> _sendToInterface;
    private readonly RecentDeltas? _recent;
    private int _resendRequested;
    private readonly FlowBatchPool _pool;
    private readonly Thread _thread;
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly bool _foldsOnCaller;
    private long _callerWindowStart = Stopwatch.GetTimestamp();

    /// <param name="foldsOnCaller">The interface has one producer that folds on its own thread (<see cref="FoldOnCaller"/>): no pipeline thread runs.</param>
    /// <param name="recent">Stamps and remembers what is sent, for a resend after a node loss (<see cref="RequestResend"/>); null: neither.</param>
    public IngestPipeline(int ifId, string ifName, IActorRef hostRegion, IActorRef interfaceRegion, IngestCounters counters, FlowBatchPool pool, bool foldsOnCaller = false,
        NetworkList? localNetworks = null, RecentDeltas? recent = null)
    {
        _window = new IngestWindow(localNetworks);
        _foldsOnCaller = foldsOnCaller;
        IfId = ifId;
        IfName = ifName;
        Counters = counters;
        _pool = pool;
        _thread = new Thread(Run) { IsBackground = true, Name = $"ingest:{ifId}" };
        _sendToHost = d => hostRegion.Tell(d);
        _sendToInterface = d => interfaceRegion.Tell(d);
        _recent = recent;
        _toHost = recent is null ? _sendToHost : d => _sendToHost(recent.Stamp(d));
        _toInterface = recent is null ? _sendToInterface : d => _sendToInterface(recent.Stamp(d));
    }

    public int IfId { get; }

    public string IfName { get; }

    public IngestCounters Counters { get; }

    public FlowBatchPool Pool => _pool;

    /// <summary>Completes when <see cref="Complete"/> was called and everything queued reached the cluster.</summary>
    public Task Completion => _completion.Task;

    public void Start()
    {
        if (_foldsOnCaller)
        {
            _callerWindowStart = Stopwatch.GetTimestamp();
            return;
        }

        _thread.Start();
    }

    /// <summary>Queues a batch (blocks while the queue is full). The pipeline returns the batch to the pool.</summary>
    public void Enqueue(FlowBatch batch)
    {
        try
        {
            _queue.Add(batch);
        }
        catch (InvalidOperationException)
        {
            _pool.Return(batch); // completed: shutting down
        }
    }

    /// <summary>Copies records into pooled batches and queues them (blocks while the queue is full): no allocation per record.</summary>
    public void Enqueue(ReadOnlySpan<FlowRecord> records)
    {
        FlowBatch? batch = null;
        foreach (ref readonly var record in records)
        {
            batch ??= _pool.Rent();
            batch.Add(record);
            if (batch.IsFull)
            {
                Enqueue(batch);
                batch = null;
            }
        }

        if (batch is not null)
        {
            Enqueue(batch);
        }
    }

    /// <summary>
    /// Folds records on the caller's thread instead of queueing them for the pipeline's: for an interface with a
    /// single producer (a NetFlow/IPFIX/sFlow listener), which then never hands records to another thread or copies
    /// them into batches. The caller must be the only producer and must call <see cref="DrainIfDue"/> regularly, also when no record comes.
    /// Measured at NetFlow rates on 2 cores, the hand-over and the second thread cost more than the folding.
    /// </summary>
    public void FoldOnCaller(ReadOnlySpan<FlowRecord> records)
    {
        foreach (ref readonly var record in records)
        {
            _window.Fold(record);
        }

        Interlocked.Add(ref Counters.Flows, records.Length);
        if (_window.FlowCount >= InterfaceTrafficDelta.MaxFlowsPerMessage)
        {
            _window.SendFlows(IfId, IfName, _toInterface);
        }

        DrainIfDue();
    }

    /// <summary>
    /// A state node was lost: before its next window the pipeline sends again everything it remembers (on its own
    /// thread, so each entity still receives its deltas in order). Safe from any thread.
    /// </summary>
    public void RequestResend() => Interlocked.Exchange(ref _resendRequested, 1);

    /// <summary>For <see cref="FoldOnCaller"/>: sends the window once it is old enough or holds enough hosts.</summary>
    public void DrainIfDue()
    {
        ResendIfRequested();
        if (Stopwatch.GetElapsedTime(_callerWindowStart) >= Window || _window.HostCount >= MaxHostsPerWindow)
        {
            SendWindow();
            _callerWindowStart = Stopwatch.GetTimestamp();
        }
    }

    /// <summary>No more input: drain, send the last window, finish. A caller-folded interface's producer must have stopped.</summary>
    public void Complete()
    {
        _queue.CompleteAdding();
        if (_foldsOnCaller && !_completion.Task.IsCompleted)
        {
            SendWindow();
            _completion.TrySetResult();
        }
    }

    private void Run()
    {
        try
        {
            var windowStart = Stopwatch.GetTimestamp();
            while (!_queue.IsCompleted)
            {
                ResendIfRequested();
                var remaining = Window - Stopwatch.GetElapsedTime(windowStart);
                if (remaining > TimeSpan.Zero && _queue.TryTake(out var batch, remaining))
                {
                    foreach (ref readonly var record in batch.AsSpan())
                    {
                        _window.Fold(record);
                    }

                    Interlocked.Add(ref Counters.Flows, batch.Count);
                    _pool.Return(batch);
                    if (_window.FlowCount >= InterfaceTrafficDelta.MaxFlowsPerMessage)
                    {
                        _window.SendFlows(IfId, IfName, _toInterface);
                    }

                    if (_window.HostCount < MaxHostsPerWindow)
                    {
                        continue;
                    }
                }

                if (Stopwatch.GetElapsedTime(windowStart) >= Window || _window.HostCount >= MaxHostsPerWindow)
                {
                    SendWindow();
                    windowStart = Stopwatch.GetTimestamp();
                }
            }

            SendWindow();
            _completion.TrySetResult();
        }
        catch (Exception e)
        {
            _completion.TrySetException(e);
            throw;
        }
    }

    private void ResendIfRequested()
    {
        if (_recent is null || Volatile.Read(ref _resendRequested) == 0 || Interlocked.Exchange(ref _resendRequested, 0) == 0)
        {
            return;
        }

        // What the window holds so far goes out first, stamped, so it is kept and ordered like the rest.
        SendWindow();
        Interlocked.Add(ref Counters.Resent, _recent.Resend(_sendToHost, _sendToInterface));
        Interlocked.Exchange(ref Counters.ResendOverflow, _recent.Overflowed);
    }

    private void SendWindow()
    {
        _window.Drain(IfId, IfName, _toHost, _toInterface);
        Interlocked.Add(ref Counters.DnsNamesDropped, _window.TakeDnsNamesDropped());
    }

    public void Dispose() => _queue.Dispose();
}
