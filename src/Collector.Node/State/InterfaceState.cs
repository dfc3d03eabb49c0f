using System.Runtime.InteropServices;
using Flowhive.Collector.Storage;
using Flowhive.Shared.Cluster;
using Flowhive.Shared.Cluster.Messages;
using Flowhive.Shared.Net;

namespace Flowhive.Collector.State;

/// <summary>
/// An interface's state: totals, live throughput, the host index and the active flow list. The host index
/// is how queries that span every host (top talkers, the host list sorted by any column) are answered
/// without asking each host entity: ingest sends every host's delta here too, in one message per window.
/// Pure: tested without an actor system.
/// </summary>
public sealed class InterfaceState(int ifId, TimeSpan activeFlowTimeout, int maxActiveFlows = 1_000_000)
{
    private readonly Dictionary<(ushort Vlan, IpAddr Ip), HostEntry> _hosts = [];
    private readonly Dictionary<ConversationKey, FlowEntry> _flows = [];
    private readonly long _activeFlowTimeoutUs = activeFlowTimeout.Ticks / 10;
    private long[] _receivedScratch = [];
    private long _pendingBytes;
    private long _pendingPackets;
    private long _pendingFlows;
    private long _lastSampleUs;
    private long _lastSampleBytes;
    private long _lastSamplePackets;

    public int IfId { get; } = ifId;

    public string IfName { get; private set; } = string.Empty;

    public long Bytes { get; private set; }

    public long Packets { get; private set; }

    public long FlowsSeen { get; private set; }

    public long FirstSeenUs { get; private set; }

    public long LastSeenUs { get; private set; }

    public double ThroughputBps { get; private set; }

    public double ThroughputPps { get; private set; }

    public int HostCount => _hosts.Count;

    /// <summary>The interface's traffic by application protocol and category since it was first seen.</summary>
    public L7Table L7 { get; } = new();

    /// <summary>The interface's bytes split local/remote (<c>-m</c>) since it was first seen.</summary>
    public LocalTraffic Local { get; private set; }

    public int ActiveFlowCount => _flows.Count;

    /// <summary>Flows dropped from the active list because it was full (the oldest go first); they are still counted in totals.</summary>
    public long ActiveFlowEvictions { get; private set; }

    /// <summary>The last delta applied from each ingest pipeline: a resent one is recognised and skipped.</summary>
    public AppliedStamps Stamps { get; private set; } = new();

    /// <summary>
    /// Adds the delta, unless it was applied before. A late one (resent after a node loss) adds its counters but
    /// not its flows to the active list, which newer deltas have refreshed since.
    /// </summary>
    public StampVerdict Apply(InterfaceTrafficDelta delta, long nowUs)
    {
        var verdict = Stamps.Accept(delta.Stamp);
        if (verdict == StampVerdict.Duplicate)
        {
            return verdict;
        }

        IfName = delta.IfName;
        Bytes += delta.Bytes;
        Packets += delta.Packets;
        FlowsSeen += delta.Flows;
        L7.Add(delta.L7);
        Local += delta.Local;
        _pendingBytes += delta.Bytes;
        _pendingPackets += delta.Packets;
        _pendingFlows += delta.Flows;

        foreach (var h in delta.Hosts)
        {
            if (!_hosts.TryGetValue((h.Vlan, h.Ip), out var entry))
            {
                _hosts[(h.Vlan, h.Ip)] = entry = new HostEntry { FirstSeenUs = h.FirstSeenUs };
            }

            entry.Totals += h.Delta;
            entry.Local = h.Local;
            entry.Pending += h.Delta;
            entry.Unsaved = true;
            if (h.Mac != 0)
            {
                entry.Mac = h.Mac;
            }

            if (h.FirstSeenUs != 0 && (entry.FirstSeenUs == 0 || h.FirstSeenUs < entry.FirstSeenUs))
            {
                entry.FirstSeenUs = h.FirstSeenUs;
            }

            entry.LastSeenUs = Math.Max(entry.LastSeenUs, h.LastSeenUs);
            if (FirstSeenUs == 0 || (h.FirstSeenUs != 0 && h.FirstSeenUs < FirstSeenUs))
            {
                FirstSeenUs = h.FirstSeenUs;
            }

            LastSeenUs = Math.Max(LastSeenUs, h.LastSeenUs);
        }

        foreach (var f in verdict == StampVerdict.Late ? [] : delta.FlowUpdates)
        {
            // Both directions of a connection are one entry (ntopng shows one flow for the two NetFlow records).
            var key = ConversationKey.Of(f);
            // Only a full table pays for the extra lookup.
            if (_flows.Count >= maxActiveFlows && !_flows.ContainsKey(key))
            {
                EvictOldestFlows();
            }

            // Entries are structs updated in place: a busy interface adds hundreds of thousands of flows a second.
            ref var entry = ref CollectionsMarshal.GetValueRefOrAddDefault(_flows, key, out var exists);
            entry.ReceivedUs = nowUs;
            entry.Flow = exists ? entry.Flow.Absorb(f) : f;
        }

        return verdict;
    }

    /// <summary>Once a second: throughput from the bytes received since the last sample, and the active-flow purge.</summary>
    public void Tick(long nowUs)
    {
        if (_lastSampleUs != 0 && nowUs > _lastSampleUs)
        {
            var seconds = (nowUs - _lastSampleUs) / 1e6;
            ThroughputBps = (Bytes - _lastSampleBytes) * 8 / seconds;
            ThroughputPps = (Packets - _lastSamplePackets) / seconds;
            foreach (var h in _hosts.Values)
            {
                var total = h.Totals.TotalBytes;
                h.ThroughputBps = (total - h.LastSampleBytes) * 8 / seconds;
                h.LastSampleBytes = total;
            }
        }
        else
        {
            foreach (var h in _hosts.Values)
            {
                h.LastSampleBytes = h.Totals.TotalBytes;
            }
        }

        _lastSampleUs = nowUs;
        _lastSampleBytes = Bytes;
        _lastSamplePackets = Packets;

        var cutoff = nowUs - _activeFlowTimeoutUs;
        List<ConversationKey>? expired = null;
        foreach (var (id, entry) in _flows)
        {
            if (entry.ReceivedUs < cutoff)
            {
                (expired ??= []).Add(id);
            }
        }

        if (expired is not null)
        {
            foreach (var id in expired)
            {
                _flows.Remove(id);
            }
        }
    }

    public InterfaceSummary Summary(long nowUs) =>
        new(IfId, IfName, Bytes, Packets, FlowsSeen, _flows.Count, _hosts.Count, ThroughputBps, ThroughputPps, FirstSeenUs, LastSeenUs, nowUs, L7.Snapshot(), Local);

    public HostPage Hosts(GetHosts query)
    {
        var all = new List<HostSummary>(_hosts.Count);
        foreach (var ((vlan, ip), e) in _hosts)
        {
            if ((query.Filter == HostFilter.Local && !e.Local) || (query.Filter == HostFilter.Remote && e.Local))
            {
                continue;
            }

            all.Add(new HostSummary(new HostKey(IfId, vlan, ip), e.Mac, e.Totals, e.FirstSeenUs, e.LastSeenUs, e.ThroughputBps));
        }

        Comparison<HostSummary> compare = query.SortBy switch
        {
            HostSortColumn.BytesSent => (a, b) => a.Totals.BytesSent.CompareTo(b.Totals.BytesSent),
            HostSortColumn.BytesRcvd => (a, b) => a.Totals.BytesRcvd.CompareTo(b.Totals.BytesRcvd),
            HostSortColumn.Packets => (a, b) => a.Totals.TotalPackets.CompareTo(b.Totals.TotalPackets),
            HostSortColumn.Flows => (a, b) => (a.Totals.FlowsAsClient + a.Totals.FlowsAsServer).CompareTo(b.Totals.FlowsAsClient + b.Totals.FlowsAsServer),
            HostSortColumn.LastSeen => (a, b) => a.LastSeenUs.CompareTo(b.LastSeenUs),
            HostSortColumn.FirstSeen => (a, b) => a.FirstSeenUs.CompareTo(b.FirstSeenUs),
            HostSortColumn.Ip => (a, b) => a.Host.Ip.CompareTo(b.Host.Ip) is var c && c != 0 ? c : a.Host.Vlan.CompareTo(b.Host.Vlan),
            HostSortColumn.Throughput => (a, b) => a.ThroughputBps.CompareTo(b.ThroughputBps),
            _ => (a, b) => a.Totals.TotalBytes.CompareTo(b.Totals.TotalBytes),
        };

        // Ties fall back to the address so pages are stable between calls.
        all.Sort((a, b) =>
        {
            var c = compare(a, b);
            if (c == 0)
            {
                c = a.Host.Ip.CompareTo(b.Host.Ip);
            }

            return query.Descending ? -c : c;
        });
        var page = all.Skip(Math.Max(0, query.Offset)).Take(Math.Max(0, query.Limit)).ToArray();
        return new HostPage(all.Count, page);
    }

    public FlowPage Flows(GetActiveFlows query)
    {
        IEnumerable<ActiveFlow> flows = _flows.Values.Select(e => e.Flow);
        if (query.Host is { } host)
        {
            flows = flows.Where(f => f.Vlan == host.Vlan && (f.Client == host.Ip || f.Server == host.Ip));
        }

        var sorted = flows.OrderByDescending(f => f.BytesCliToSrv + f.BytesSrvToCli).ThenBy(f => f.Client).ThenBy(f => f.ClientPort).ToList();
        return new FlowPage(sorted.Count, [.. sorted.Skip(Math.Max(0, query.Offset)).Take(Math.Max(0, query.Limit))]);
    }

    /// <summary>The rows to store for this flush: the interface's minute and every host that changed; resets the pending deltas.</summary>
    public (InterfaceMinuteRow Interface, List<HostMinuteRow> Hosts) TakeStatsRows(DateTimeOffset minute)
    {
        var hosts = new List<HostMinuteRow>();
        foreach (var ((vlan, ip), e) in _hosts)
        {
            var p = e.Pending;
            if (p.TotalPackets == 0 && p.FlowsAsClient == 0 && p.FlowsAsServer == 0)
            {
                continue;
            }

            hosts.Add(new HostMinuteRow(minute, IfId, vlan, ip, e.Mac, p.BytesSent, p.BytesRcvd, p.PacketsSent, p.PacketsRcvd, p.FlowsAsClient, p.FlowsAsServer));
            e.Pending = default;
        }

        var row = new InterfaceMinuteRow(minute, IfId, IfName, _pendingBytes, _pendingPackets, _pendingFlows, _hosts.Count, _flows.Count);
        _pendingBytes = _pendingPackets = _pendingFlows = 0;
        return (row, hosts);
    }

    /// <summary>The checkpoint rows: the totals, and every index host that changed since the last call (their flag is cleared).</summary>
    public List<Checkpoint> TakeCheckpoint()
    {
        var rows = new List<Checkpoint>
        {
            new(InterfaceCheckpoint.Scope, InterfaceCheckpoint.Key(IfId),
                InterfaceCheckpoint.WriteTotals(IfName, Bytes, Packets, FlowsSeen, FirstSeenUs, LastSeenUs, L7.Items.ToArray(), Local, ActiveFlowEvictions, Stamps)),
        };
        var scope = InterfaceCheckpoint.HostsScope(IfId);
        foreach (var ((vlan, ip), e) in _hosts)
        {
            if (e.Unsaved)
            {
                rows.Add(new Checkpoint(scope, InterfaceCheckpoint.HostKey(vlan, ip),
                    InterfaceCheckpoint.WriteHost(vlan, ip, e.Mac, e.Local, e.Totals, e.FirstSeenUs, e.LastSeenUs)));
                e.Unsaved = false;
            }
        }

        return rows;
    }

    /// <summary>
    /// Puts back a checkpoint (<see cref="TakeCheckpoint"/>'s rows as the store returns them) into a state nothing was
    /// applied to yet. A row that does not decode is skipped and counted in the result, never fatal.
    /// </summary>
    public int Restore(Checkpoint? totals, IReadOnlyList<Checkpoint> hosts)
    {
        if (Bytes != 0 || _hosts.Count != 0)
        {
            throw new InvalidOperationException("an interface state is restored before any delta");
        }

        var corrupt = 0;
        if (totals is not null)
        {
            try
            {
                var t = InterfaceCheckpoint.ReadTotals(totals.State);
                (IfName, Bytes, Packets, FlowsSeen, FirstSeenUs, LastSeenUs, Local, ActiveFlowEvictions) =
                    (t.IfName, t.Bytes, t.Packets, t.FlowsSeen, t.FirstSeenUs, t.LastSeenUs, t.Local, t.ActiveFlowEvictions);
                foreach (var item in t.L7)
                {
                    L7.Add(item);
                }

                Stamps = t.Stamps;
            }
            catch (InvalidDataException)
            {
                corrupt++;
            }
        }

        foreach (var row in hosts)
        {
            try
            {
                var h = InterfaceCheckpoint.ReadHost(row);
                _hosts[(h.Vlan, h.Ip)] = new HostEntry { Mac = h.Mac, Local = h.Local, Totals = h.Totals, FirstSeenUs = h.FirstSeenUs, LastSeenUs = h.LastSeenUs };
            }
            catch (InvalidDataException)
            {
                corrupt++;
            }
        }

        return corrupt;
    }

    private void EvictOldestFlows()
    {
        // Drop the least recently updated tenth in one O(n) pass rather than scanning for one victim per new flow.
        // No sort and no allocation: a full table on a busy interface evicts every few hundred thousand flows, and a
        // sort of a million entries stalled ingest long enough for the kernel to drop datagrams.
        var target = Math.Max(1, _flows.Count / 10);
        if (_receivedScratch.Length < _flows.Count)
        {
            _receivedScratch = new long[_flows.Count];
        }

        var received = _receivedScratch.AsSpan(0, _flows.Count);
        var i = 0;
        foreach (var entry in _flows.Values)
        {
            received[i++] = entry.ReceivedUs;
        }

        var cutoff = OrderStatistics.NthSmallest(received, target - 1);
        var evicted = 0;
        foreach (var (id, entry) in _flows)
        {
            // Older than the cutoff always goes; ties at the cutoff go until the tenth is reached.
            if (entry.ReceivedUs < cutoff || (entry.ReceivedUs == cutoff && evicted < target))
            {
                _flows.Remove(id); // allowed while enumerating since .NET Core 3.0
                evicted++;
            }
        }

        ActiveFlowEvictions += evicted;
    }

    private sealed class HostEntry
    {
        public ulong Mac;
        public bool Local;
        public HostCounters Totals;
        public HostCounters Pending;
        /// <summary>Changed since the last checkpoint.</summary>
        public bool Unsaved;
        public long FirstSeenUs;
        public long LastSeenUs;
        public long LastSampleBytes;
        public double ThroughputBps;
    }

    private struct FlowEntry
    {
        public ActiveFlow Flow;
        public long ReceivedUs;
    }
}
