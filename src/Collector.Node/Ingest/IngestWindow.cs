using System.Runtime.InteropServices;
using Flowhive.Collector.State;
using Flowhive.Probe.Engine.Classification.Micro.Catalog;
using Flowhive.Shared.Cluster;
using Flowhive.Shared.Cluster.Messages;
using Flowhive.Shared.Flows;
using Flowhive.Shared.Net;

namespace Flowhive.Collector.Ingest;

/// <summary>
/// What one ingest window gathers from an interface's flow records: per-host deltas, interface totals and the
/// flows for the active list; <see cref="Drain"/> turns it into the window's cluster messages. Pure (no threads,
/// no actors), so its cost per record is benchmarked and tested on its own. Folding a record allocates nothing:
/// host accumulators and flows are structs in reused collections, and a host's traffic by application protocol is
/// a short chain of structs in one reused list (a host speaks a handful of protocols in a window); its profile
/// (names, DNS/HTTP/TLS counts, fingerprints, peers, ports, sites) is folded by <see cref="HostProfileWindow"/>.
/// </summary>
public sealed class IngestWindow(NetworkList? localNetworks = null)
{
    private static readonly long SliceMemoryUs = TimeSpan.FromMinutes(15).Ticks / 10;
    private readonly NetworkList _localNetworks = localNetworks ?? NetworkList.Empty;

    private readonly Dictionary<HostSlot, HostAccumulator> _hosts = [];
    private readonly List<ActiveFlow> _flows = [];
    private readonly Dictionary<SliceKey, long> _openSlices = [];
    private readonly List<L7Link> _hostL7 = [];
    private readonly Dictionary<uint, L7Counters> _interfaceL7 = [];
    private readonly HostProfileWindow _profiles = new();
    private long _bytes;
    private long _packets;
    private long _newFlows;
    private long _lastSlicePurgeUs;
    private LocalTraffic _local;

    public int HostCount => _hosts.Count;

    public int FlowCount => _flows.Count;

    public bool IsEmpty => _hosts.Count == 0 && _flows.Count == 0;

    /// <summary>DNS answers that named no host because too many addresses were waiting for theirs, since the last call.</summary>
    public long TakeDnsNamesDropped() => _profiles.TakePendingNamesDropped();

    public void Fold(in FlowRecord r)
    {
        // A record that continues a slice exported at the probe's lifetime timeout is the same flow: count it once.
        // Most windows have no open slice, and then no record pays for the lookup.
        var isContinuation = false;
        if (_openSlices.Count != 0 || r.EndReason == FlowEndReason.ActiveTimeout)
        {
            var slice = new SliceKey(r.SrcAddr, r.SrcPort, r.DstAddr, r.DstPort, r.Protocol, r.Vlan);
            isContinuation = _openSlices.Remove(slice);
            if (r.EndReason == FlowEndReason.ActiveTimeout)
            {
                _openSlices[slice] = r.LastSwitchedUs;
            }

            PurgeOldSlices(r.LastSwitchedUs);
        }

        var newFlow = isContinuation ? 0 : 1;
        var protocol = L7Counters.StatsProtocol(r.L7Master, r.L7App);
        var category = r.L7Category != 0 ? r.L7Category : CategoryOf(protocol);
        var clientLocal = _localNetworks.Contains(r.SrcAddr);
        var serverLocal = _localNetworks.Contains(r.DstAddr);
        ref var client = ref Accumulate(r.Vlan, r.SrcAddr, r.SrcMac, r.FirstSwitchedUs, r.LastSwitchedUs,
            new HostCounters((long)r.InBytes, (long)r.OutBytes, (long)r.InPkts, (long)r.OutPkts, newFlow, 0));
        client.Local = clientLocal;
        AddL7(ref client, new L7Counters(protocol, category, (long)r.InBytes, (long)r.OutBytes, newFlow));
        _profiles.FoldClient(r, newFlow == 1, clientLocal, ref client.Profile);
        ref var server = ref Accumulate(r.Vlan, r.DstAddr, r.DstMac, r.FirstSwitchedUs, r.LastSwitchedUs,
            new HostCounters((long)r.OutBytes, (long)r.InBytes, (long)r.OutPkts, (long)r.InPkts, 0, newFlow));
        server.Local = serverLocal;
        AddL7(ref server, new L7Counters(protocol, category, (long)r.OutBytes, (long)r.InBytes, newFlow));
        _profiles.FoldServer(r, newFlow == 1, ref server.Profile);
        _profiles.FoldAnswers(r);
        var interfaceKey = ((uint)protocol << 16) | category;
        ref var interfaceL7 = ref CollectionsMarshal.GetValueRefOrAddDefault(_interfaceL7, interfaceKey, out var seen);
        var added = new L7Counters(protocol, category, (long)r.InBytes, (long)r.OutBytes, newFlow);
        interfaceL7 = seen ? interfaceL7.Plus(added) : added;
        _local += LocalTraffic.Of(clientLocal, serverLocal, (long)r.InBytes) + LocalTraffic.Of(serverLocal, clientLocal, (long)r.OutBytes);
        _bytes += (long)r.TotalBytes;
        _packets += (long)r.TotalPackets;
        _newFlows += newFlow;
        var flow = new ActiveFlow(r.SrcAddr, r.SrcPort, r.DstAddr, r.DstPort, r.Protocol, r.Vlan, (long)r.InBytes, (long)r.OutBytes,
            (long)r.InPkts, (long)r.OutPkts, r.FirstSwitchedUs, r.LastSwitchedUs, r.L7Master, r.L7App,
            r.Metadata?.L7Info ?? r.Metadata?.TlsServerName ?? r.Metadata?.HttpSite ?? r.Metadata?.DnsQuery);

        // The two directions of a connection are separate NetFlow records, which exporters (nProbe, softflowd, most
        // routers) send one after the other: such a pair becomes one flow here, so the active list gets one update
        // instead of two. Only the previous flow is compared, which costs no lookup; pairs that arrive apart are
        // merged by the interface's active-flow table all the same.
        if (_flows.Count > 0)
        {
            ref var previous = ref CollectionsMarshal.AsSpan(_flows)[^1];
            if (ConversationKey.Of(previous) == ConversationKey.Of(flow))
            {
                previous = previous.Absorb(flow);
                return;
            }
        }

        _flows.Add(flow);
    }

    /// <summary>
    /// Sends the flows gathered so far to the interface's active list, in whole messages only, and keeps the rest
    /// for the next call or <see cref="Drain"/>. Called as soon as a message's worth is there, so each flow array
    /// is applied and collected while young: holding a window's flows (hundreds of thousands at NetFlow rates)
    /// until its end queued tens of megabytes at once, which the GC then had to copy between generations.
    /// </summary>
    public void SendFlows(int ifId, string ifName, Action<InterfaceTrafficDelta> toInterface)
    {
        const int PerMessage = InterfaceTrafficDelta.MaxFlowsPerMessage;
        var flows = CollectionsMarshal.AsSpan(_flows);
        var whole = flows.Length / PerMessage * PerMessage;
        for (var start = 0; start < whole; start += PerMessage)
        {
            toInterface(new InterfaceTrafficDelta(ifId, ifName, 0, 0, 0, [], flows.Slice(start, PerMessage).ToArray()));
        }

        _flows.RemoveRange(0, whole);
    }

    /// <summary>
    /// Sends the window: one delta per active host to its host entity, then the interface's totals, host index
    /// deltas and flows split into messages that stay far below Akka.Remote's frame limit (totals on the first).
    /// Starts the next window.
    /// </summary>
    public void Drain(int ifId, string ifName, Action<HostTrafficDelta> toHost, Action<InterfaceTrafficDelta> toInterface)
    {
        if (IsEmpty)
        {
            return;
        }

        var indexDeltas = new HostIndexDelta[_hosts.Count];
        var h = 0;
        foreach (var (slot, acc) in _hosts)
        {
            toHost(new HostTrafficDelta(new HostKey(ifId, slot.Vlan, slot.Ip), acc.Mac, acc.FirstSeenUs, acc.LastSeenUs, acc.Counters, HostL7(acc),
                _profiles.Drain(acc.Profile, slot.Vlan, slot.Ip)));
            indexDeltas[h++] = new HostIndexDelta(slot.Vlan, slot.Ip, acc.Mac, acc.FirstSeenUs, acc.LastSeenUs, acc.Counters, acc.Local);
        }

        var flows = CollectionsMarshal.AsSpan(_flows);
        var hostParts = Parts(indexDeltas.Length, InterfaceTrafficDelta.MaxHostsPerMessage);
        var flowParts = Parts(flows.Length, InterfaceTrafficDelta.MaxFlowsPerMessage);
        var parts = Math.Max(1, Math.Max(hostParts, flowParts));
        for (var i = 0; i < parts; i++)
        {
            toInterface(new InterfaceTrafficDelta(
                ifId,
                ifName,
                i == 0 ? _bytes : 0,
                i == 0 ? _packets : 0,
                i == 0 ? _newFlows : 0,
                Part(indexDeltas, i, InterfaceTrafficDelta.MaxHostsPerMessage),
                Part(flows, i, InterfaceTrafficDelta.MaxFlowsPerMessage),
                i == 0 ? InterfaceL7() : [],
                i == 0 ? _local : default));
        }

        _hosts.Clear();
        _flows.Clear();
        _hostL7.Clear();
        _interfaceL7.Clear();
        _profiles.Clear();
        _bytes = _packets = _newFlows = 0;
        _local = default;
    }

    private static int Parts(int count, int perPart) => (count + perPart - 1) / perPart;

    private static T[] Part<T>(ReadOnlySpan<T> items, int index, int perPart)
    {
        var start = index * perPart;
        return start >= items.Length ? [] : items.Slice(start, Math.Min(perPart, items.Length - start)).ToArray();
    }

    /// <summary>The protocol's default category in nDPI's table, for flows whose exporter sent none (nProbe sends only the protocol).</summary>
    private static ushort CategoryOf(ushort protocol) => ProtocolCatalog.Ndpi42.TryGet(protocol, out var info) ? info.CategoryId : (ushort)0;

    private void AddL7(ref HostAccumulator acc, L7Counters added)
    {
        for (var i = acc.L7Head - 1; i >= 0; i = _hostL7[i].Next - 1)
        {
            ref var link = ref CollectionsMarshal.AsSpan(_hostL7)[i];
            if (link.Counters.Protocol == added.Protocol && link.Counters.Category == added.Category)
            {
                link.Counters = link.Counters.Plus(added);
                return;
            }
        }

        _hostL7.Add(new L7Link { Counters = added, Next = acc.L7Head });
        acc.L7Head = _hostL7.Count;
    }

    private L7Counters[] HostL7(in HostAccumulator acc)
    {
        var count = 0;
        for (var i = acc.L7Head - 1; i >= 0; i = _hostL7[i].Next - 1)
        {
            count++;
        }

        var items = new L7Counters[Math.Min(count, L7Counters.MaxPerMessage)];
        var n = 0;
        for (var i = acc.L7Head - 1; i >= 0 && n < items.Length; i = _hostL7[i].Next - 1)
        {
            items[n++] = _hostL7[i].Counters;
        }

        return items;
    }

    private L7Counters[] InterfaceL7()
    {
        var items = new L7Counters[Math.Min(_interfaceL7.Count, L7Counters.MaxPerMessage)];
        var n = 0;
        foreach (var counters in _interfaceL7.Values)
        {
            if (n == items.Length)
            {
                break;
            }

            items[n++] = counters;
        }

        return items;
    }

    private ref HostAccumulator Accumulate(ushort vlan, IpAddr ip, ulong mac, long firstUs, long lastUs, HostCounters delta)
    {
        ref var acc = ref CollectionsMarshal.GetValueRefOrAddDefault(_hosts, new HostSlot(vlan, ip), out var exists);
        if (!exists)
        {
            acc.FirstSeenUs = firstUs;
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
        return ref acc;
    }

    private void PurgeOldSlices(long nowUs)
    {
        if (nowUs - _lastSlicePurgeUs <= SliceMemoryUs)
        {
            return;
        }

        _lastSlicePurgeUs = nowUs;
        foreach (var (key, lastUs) in _openSlices)
        {
            if (nowUs - lastUs > SliceMemoryUs)
            {
                _openSlices.Remove(key); // allowed while enumerating since .NET Core 3.0
            }
        }
    }

    private readonly record struct HostSlot(ushort Vlan, IpAddr Ip);

    private struct HostAccumulator
    {
        public ulong Mac;
        public long FirstSeenUs;
        public long LastSeenUs;
        public HostCounters Counters;

        /// <summary>Inside the local networks (-m), decided per flow for its local/remote split and kept for the host index.</summary>
        public bool Local;

        /// <summary>1 + the index in the window's protocol list of this host's newest protocol entry; 0 = none yet.</summary>
        public int L7Head;

        /// <summary>Names, application counters, peers, ports and sites of this window (<see cref="HostProfileWindow"/>).</summary>
        public HostProfileSlot Profile;
    }

    /// <summary>One host's traffic of one protocol and category in this window, linked to the host's previous entry.</summary>
    private struct L7Link
    {
        public L7Counters Counters;
        public int Next;
    }

    private readonly record struct SliceKey(IpAddr Client, ushort ClientPort, IpAddr Server, ushort ServerPort, byte Protocol, ushort Vlan);
}
