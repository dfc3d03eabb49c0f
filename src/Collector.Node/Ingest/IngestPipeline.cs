using System.Collections.Concurrent;
using System.Diagnostics;
using Akka.Actor;
using Flowhive.Shared.Cluster;
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
    private static readonly long SliceMemoryUs = TimeSpan.FromMinutes(15).Ticks / 10;
    private const int MaxHostsPerWindow = 20_000;

    private readonly BlockingCollection<FlowBatch> _queue = new(new ConcurrentQueue<FlowBatch>(), 1024);
    private readonly Dictionary<(ushort Vlan, IpAddr Ip), HostAccumulator> _hosts = [];
    private readonly List<ActiveFlow> _flows = [];
    private readonly Dictionary<SliceKey, long> _openSlices = [];
    private readonly IActorRef _hostRegion;
    private readonly IActorRef _interfaceRegion;
    private readonly FlowBatchPool _pool;
    private readonly Thread _thread;
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _bytes;
    private long _packets;
    private long _newFlows;
    private long _lastSlicePurgeUs;

    public IngestPipeline(int ifId, string ifName, IActorRef hostRegion, IActorRef interfaceRegion, IngestCounters counters, FlowBatchPool pool)
    {
        IfId = ifId;
        IfName = ifName;
        Counters = counters;
        _hostRegion = hostRegion;
        _interfaceRegion = interfaceRegion;
        _pool = pool;
        _thread = new Thread(Run) { IsBackground = true, Name = $"ingest:{ifId}" };
    }

    public int IfId { get; }

    public string IfName { get; }

    public IngestCounters Counters { get; }

    public FlowBatchPool Pool => _pool;

    /// <summary>Completes when <see cref="Complete"/> was called and everything queued reached the cluster.</summary>
    public Task Completion => _completion.Task;

    public void Start() => _thread.Start();

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

    /// <summary>No more input: drain, send the last window, finish.</summary>
    public void Complete() => _queue.CompleteAdding();

    private void Run()
    {
        try
        {
            var windowStart = Stopwatch.GetTimestamp();
            while (!_queue.IsCompleted)
            {
                var remaining = Window - Stopwatch.GetElapsedTime(windowStart);
                if (remaining > TimeSpan.Zero && _queue.TryTake(out var batch, remaining))
                {
                    foreach (ref readonly var record in batch.AsSpan())
                    {
                        Fold(record);
                    }

                    Interlocked.Add(ref Counters.Flows, batch.Count);
                    _pool.Return(batch);
                    if (_hosts.Count < MaxHostsPerWindow)
                    {
                        continue;
                    }
                }

                if (Stopwatch.GetElapsedTime(windowStart) >= Window || _hosts.Count >= MaxHostsPerWindow)
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

    private void Fold(in FlowRecord r)
    {
        // A record that continues a slice exported at the probe's lifetime timeout is the same flow: count it once.
        var slice = new SliceKey(r.SrcAddr, r.SrcPort, r.DstAddr, r.DstPort, r.Protocol, r.Vlan);
        var isContinuation = _openSlices.Remove(slice);
        if (r.EndReason == FlowEndReason.ActiveTimeout)
        {
            _openSlices[slice] = r.LastSwitchedUs;
        }

        var newFlow = isContinuation ? 0 : 1;
        Accumulate(r.Vlan, r.SrcAddr, r.SrcMac, r.FirstSwitchedUs, r.LastSwitchedUs,
            new HostCounters((long)r.InBytes, (long)r.OutBytes, (long)r.InPkts, (long)r.OutPkts, newFlow, 0));
        Accumulate(r.Vlan, r.DstAddr, r.DstMac, r.FirstSwitchedUs, r.LastSwitchedUs,
            new HostCounters((long)r.OutBytes, (long)r.InBytes, (long)r.OutPkts, (long)r.InPkts, 0, newFlow));
        _bytes += (long)r.TotalBytes;
        _packets += (long)r.TotalPackets;
        _newFlows += newFlow;
        _flows.Add(new ActiveFlow(r.SrcAddr, r.SrcPort, r.DstAddr, r.DstPort, r.Protocol, r.Vlan, (long)r.InBytes, (long)r.OutBytes,
            (long)r.InPkts, (long)r.OutPkts, r.FirstSwitchedUs, r.LastSwitchedUs, r.L7Master, r.L7App,
            r.Metadata?.L7Info ?? r.Metadata?.TlsServerName ?? r.Metadata?.HttpSite ?? r.Metadata?.DnsQuery));

        if (r.LastSwitchedUs - _lastSlicePurgeUs > SliceMemoryUs)
        {
            _lastSlicePurgeUs = r.LastSwitchedUs;
            foreach (var (key, lastUs) in _openSlices.ToList())
            {
                if (r.LastSwitchedUs - lastUs > SliceMemoryUs)
                {
                    _openSlices.Remove(key);
                }
            }
        }
    }

    private void Accumulate(ushort vlan, IpAddr ip, ulong mac, long firstUs, long lastUs, HostCounters delta)
    {
        if (!_hosts.TryGetValue((vlan, ip), out var acc))
        {
            _hosts[(vlan, ip)] = acc = new HostAccumulator { FirstSeenUs = firstUs };
        }

        acc.Counters += delta;
        if (mac != 0)
        {
            acc.Mac = mac;
        }

        if (firstUs != 0 && (acc.FirstSeenUs == 0 || firstUs < acc.FirstSeenUs))
        {
            acc.FirstSeenUs = firstUs;
        }

        acc.LastSeenUs = Math.Max(acc.LastSeenUs, lastUs);
    }

    private void SendWindow()
    {
        if (_hosts.Count == 0 && _flows.Count == 0)
        {
            return;
        }

        var indexDeltas = new List<HostIndexDelta>(_hosts.Count);
        foreach (var ((vlan, ip), acc) in _hosts)
        {
            _hostRegion.Tell(new HostTrafficDelta(new HostKey(IfId, vlan, ip), acc.Mac, acc.FirstSeenUs, acc.LastSeenUs, acc.Counters));
            indexDeltas.Add(new HostIndexDelta(vlan, ip, acc.Mac, acc.FirstSeenUs, acc.LastSeenUs, acc.Counters));
        }

        // Split so each message stays far below Akka.Remote's frame limit; totals ride on the first part only.
        var hostChunks = indexDeltas.Chunk(InterfaceTrafficDelta.MaxHostsPerMessage).ToList();
        var flowChunks = _flows.Chunk(InterfaceTrafficDelta.MaxFlowsPerMessage).ToList();
        var parts = Math.Max(1, Math.Max(hostChunks.Count, flowChunks.Count));
        for (var i = 0; i < parts; i++)
        {
            _interfaceRegion.Tell(new InterfaceTrafficDelta(
                IfId,
                IfName,
                i == 0 ? _bytes : 0,
                i == 0 ? _packets : 0,
                i == 0 ? _newFlows : 0,
                i < hostChunks.Count ? hostChunks[i] : [],
                i < flowChunks.Count ? flowChunks[i] : []));
        }

        _hosts.Clear();
        _flows.Clear();
        _bytes = _packets = _newFlows = 0;
    }

    public void Dispose() => _queue.Dispose();

    private sealed class HostAccumulator
    {
        public ulong Mac;
        public long FirstSeenUs;
        public long LastSeenUs;
        public HostCounters Counters;
    }

    private readonly record struct SliceKey(IpAddr Client, ushort ClientPort, IpAddr Server, ushort ServerPort, byte Protocol, ushort Vlan);
}
