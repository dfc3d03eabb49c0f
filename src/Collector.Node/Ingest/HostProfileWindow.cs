using System.Runtime.InteropServices;
using Flowhive.Probe.Engine.Classification.Micro.Catalog;
using Flowhive.Shared.Cluster.Messages;
using Flowhive.Shared.Flows;
using Flowhive.Shared.Net;

namespace Flowhive.Collector.Ingest;

/// <summary>One host's part of an ingest window's profiles: kept in the host's window accumulator, the rest by index.</summary>
internal struct HostProfileSlot
{
    public int ActiveAsClient;
    public int ActiveAsServer;
    public CountChain ContactedPorts;
    public CountChain ServedPorts;

    /// <summary>1 + the host's block of two peer sketches (as client, as server) in the window's register buffer; 0 = none.</summary>
    public int PeerBlock;

    /// <summary>1 + the index of the host's application part (names, DNS, HTTP, TLS, fingerprints, sites); 0 = none.</summary>
    public int AppIndex;
}

/// <summary>
/// The <see cref="HostProfile"/> half of an ingest window: what each flow record tells about its two hosts beyond
/// bytes (names, DNS/HTTP/TLS counts, fingerprints, peers, server ports, visited sites), folded without allocating:
/// counters in structs, keys in <see cref="CountChains{TKey}"/>, peer sketches in one reused buffer, and the
/// strings the decoder made for the record's metadata kept by reference, never copied. Only new flows are counted
/// (a slice that continues a flow repeats its metadata).
/// </summary>
internal sealed class HostProfileWindow
{
    /// <summary>DNS answers waiting for their host to show up in a window; beyond this the oldest are forgotten.</summary>
    public const int MaxPendingNames = 65_536;

    private const int BlockBytes = 2 * PeerSketch.Registers;

    private readonly CountChains<uint> _ports = new();
    private readonly CountChains<string> _keys = new();
    private readonly List<AppAccumulator> _apps = [];
    private readonly Dictionary<(ushort Vlan, IpAddr Ip), string> _pendingNames = [];
    private byte[] _peerRegisters = new byte[64 * BlockBytes];
    private int _peerBlocks;

    /// <summary>DNS answers forgotten because <see cref="MaxPendingNames"/> addresses were waiting for their host.</summary>
    public long PendingNamesDropped { get; private set; }

    /// <summary>The answers forgotten since the last call, for the interface's counters.</summary>
    public long TakePendingNamesDropped()
    {
        var dropped = PendingNamesDropped;
        PendingNamesDropped = 0;
        return dropped;
    }

    public void FoldClient(in FlowRecord r, bool newFlow, bool local, ref HostProfileSlot slot)
    {
        var active = r.EndReason == FlowEndReason.ActiveTimeout ? 1 : 0;
        slot.ActiveAsClient += active;
        PeerSketch.Add(Registers(ref slot), r.DstAddr);
        if (newFlow && HasPorts(r.Protocol))
        {
            _ports.Add(ref slot.ContactedPorts, HostProfile.PortKey(r.Protocol, r.DstPort), 1);
        }

        if (r.Metadata is not { } m)
        {
            return;
        }

        ref var app = ref App(ref slot);
        // A DHCP client without an address yet asks from 0.0.0.0 (or ::): that is no host to name.
        if (HostNames.Fits(m.HostName) && !IsUnspecified(r.SrcAddr))
        {
            app.Names = NameOfClient(app.Names, StatsMaster(r), m.HostName!);
        }

        if (!newFlow)
        {
            return;
        }

        var sni = HostNames.Fits(m.TlsServerName) ? m.TlsServerName : null;
        app.Counts += ApplicationCounters.AsClient(Dns(r, m), Http(m), sni is null ? 0 : 1);
        AddKey(ref app.Ja4, m.Ja4Client);
        AddKey(ref app.Hassh, m.HasshClient);
        if (local && (sni ?? (HostNames.Fits(m.HttpSite) ? m.HttpSite : null)) is { } site)
        {
            _keys.Add(ref app.Sites, site, 1);
            app.SitesLastSeenUs = Math.Max(app.SitesLastSeenUs, r.LastSwitchedUs);
        }
    }

    public void FoldServer(in FlowRecord r, bool newFlow, ref HostProfileSlot slot)
    {
        slot.ActiveAsServer += r.EndReason == FlowEndReason.ActiveTimeout ? 1 : 0;
        PeerSketch.Add(Registers(ref slot)[PeerSketch.Registers..], r.SrcAddr);
        if (newFlow && HasPorts(r.Protocol))
        {
            _ports.Add(ref slot.ServedPorts, HostProfile.PortKey(r.Protocol, r.DstPort), 1);
        }

        if (r.Metadata is not { } m)
        {
            return;
        }

        ref var app = ref App(ref slot);
        var sni = HostNames.Fits(m.TlsServerName) ? m.TlsServerName : null;
        var site = HostNames.Fits(m.HttpSite) ? m.HttpSite : null;
        if (sni is not null || site is not null)
        {
            app.Names = app.Names.With(new HostNames(null, null, null, null, sni, site));
        }

        if (!newFlow)
        {
            return;
        }

        app.Counts += ApplicationCounters.AsServer(Dns(r, m), Http(m), sni is null ? 0 : 1);
        AddKey(ref app.Hassh, m.HasshServer);
    }

    /// <summary>
    /// A DNS response's A/AAAA answers name hosts other than the flow's two ends: each answered address waits here,
    /// with the query's name, until its host shows up in a window (usually the next connection, right after).
    /// </summary>
    public void FoldAnswers(in FlowRecord r)
    {
        if (r.Metadata is not { DnsAnswers: { } answers, DnsQuery: { } name } || !HostNames.Fits(name) || !IsDns(r))
        {
            return;
        }

        foreach (var range in answers.AsSpan().Split(','))
        {
            if (!IpAddrText.TryParse(answers.AsSpan()[range].Trim(), out var address))
            {
                continue;
            }

            if (_pendingNames.Count >= MaxPendingNames)
            {
                PendingNamesDropped += _pendingNames.Count;
                _pendingNames.Clear();
            }

            _pendingNames[(r.Vlan, address)] = name;
        }
    }

    /// <summary>The host's profile for this window, with a DNS name that was waiting for it; null when it has nothing.</summary>
    public HostProfile? Drain(in HostProfileSlot slot, ushort vlan, IpAddr ip)
    {
        _pendingNames.Remove((vlan, ip), out var resolved);
        if (slot.PeerBlock == 0 && slot.AppIndex == 0 && resolved is null && slot.ContactedPorts.IsEmpty && slot.ServedPorts.IsEmpty)
        {
            return null;
        }

        var app = slot.AppIndex == 0 ? default : _apps[slot.AppIndex - 1];
        var registers = slot.PeerBlock == 0 ? default : _peerRegisters.AsSpan((slot.PeerBlock - 1) * BlockBytes, BlockBytes);
        return new HostProfile(
            resolved is null ? app.Names : app.Names.With(new HostNames(resolved, null, null, null, null, null)),
            slot.ActiveAsClient,
            slot.ActiveAsServer,
            app.Counts,
            _keys.ToCounts(app.Ja4),
            _keys.ToCounts(app.Hassh),
            Sketch(registers, 0),
            Sketch(registers, PeerSketch.Registers),
            _ports.ToCounts(slot.ContactedPorts),
            _ports.ToCounts(slot.ServedPorts),
            _keys.ToCounts(app.Sites),
            TopCounts<string>.Empty,
            app.SitesLastSeenUs);
    }

    /// <summary>Starts the next window; answers still waiting for their host stay.</summary>
    public void Clear()
    {
        _ports.Clear();
        _keys.Clear();
        _apps.Clear();
        Array.Clear(_peerRegisters, 0, _peerBlocks * BlockBytes);
        _peerBlocks = 0;
    }

    private static PeerSketch Sketch(ReadOnlySpan<byte> registers, int offset)
    {
        if (registers.IsEmpty)
        {
            return PeerSketch.Empty;
        }

        var part = registers.Slice(offset, PeerSketch.Registers);
        return part.ContainsAnyExcept((byte)0) ? new PeerSketch(part) : PeerSketch.Empty;
    }

    private static bool IsUnspecified(IpAddr ip) => ip.IsNone || ip == IpAddr.FromV4(0);

    private static bool HasPorts(byte protocol) => protocol is 6 or 17 or 132;

    private static ushort StatsMaster(in FlowRecord r) => r.L7Master != 0 ? r.L7Master : r.L7App;

    private static bool IsDns(in FlowRecord r) => r.L7Master == NdpiIds.Dns || r.L7App == NdpiIds.Dns;

    /// <summary>The name a host gave for itself, filed under the protocol that carried it (DHCP unless it was mDNS, LLMNR or NetBIOS).</summary>
    private static HostNames NameOfClient(HostNames names, ushort protocol, string name) => protocol switch
    {
        NdpiIds.Mdns or NdpiIds.Llmnr => names with { Mdns = name },
        NdpiIds.NetBios => names with { Netbios = name },
        _ => names with { Dhcp = name },
    };

    /// <summary>A DNS flow's query (by type) and, when the server answered, its reply (by return code); the same for both sides.</summary>
    private static DnsCounters Dns(in FlowRecord r, FlowMetadata m)
    {
        if (!IsDns(r) || (m.DnsQuery is null && m.DnsQueryType == 0))
        {
            return default;
        }

        var query = DnsCounters.Query(m.DnsQueryType);
        return r.OutPkts > 0 ? query + DnsCounters.Reply(m.DnsReturnCode) : query;
    }

    private static HttpCounters Http(FlowMetadata m)
    {
        var counters = m.HttpMethod is { } method ? HttpCounters.Request(method) : default;
        return counters + HttpCounters.Response(m.HttpReturnCode);
    }

    private void AddKey(ref CountChain chain, string? key)
    {
        if (HostNames.Fits(key))
        {
            _keys.Add(ref chain, key!, 1);
        }
    }

    private Span<byte> Registers(ref HostProfileSlot slot)
    {
        if (slot.PeerBlock == 0)
        {
            if ((_peerBlocks + 1) * BlockBytes > _peerRegisters.Length)
            {
                Array.Resize(ref _peerRegisters, _peerRegisters.Length * 2);
            }

            slot.PeerBlock = ++_peerBlocks;
        }

        return _peerRegisters.AsSpan((slot.PeerBlock - 1) * BlockBytes, BlockBytes);
    }

    private ref AppAccumulator App(ref HostProfileSlot slot)
    {
        if (slot.AppIndex == 0)
        {
            _apps.Add(default);
            slot.AppIndex = _apps.Count;
        }

        return ref CollectionsMarshal.AsSpan(_apps)[slot.AppIndex - 1];
    }

    /// <summary>A host's application part of the window, for hosts whose flows carried metadata.</summary>
    private struct AppAccumulator
    {
        public HostNames Names;
        public ApplicationCounters Counts;
        public CountChain Ja4;
        public CountChain Hassh;
        public CountChain Sites;
        public long SitesLastSeenUs;
    }
}
