using BenchmarkDotNet.Attributes;
using Flowhive.Collector.State;
using Flowhive.Shared.Cluster;
using Flowhive.Shared.Cluster.Messages;
using Flowhive.Shared.Net;

namespace Flowhive.Benchmarks.State;

/// <summary>
/// What one host's state costs in memory: a host entity's <see cref="HostState"/> built from a day's typical
/// deltas (the deltas are made in setup, so "Allocated" is what the state keeps: its object, its protocol table and
/// the table's array, and with <see cref="Profile"/> its <see cref="HostProfileState"/>). <c>Protocols</c> is how many
/// protocol/category pairs the host spoke. The strings a profile keeps (one per distinct name, site or fingerprint)
/// were made with the deltas and are not in "Allocated": bench/README.md adds them. The actor, its mailbox and
/// Cluster.Sharding's bookkeeping per entity come on top and are not measured here.
/// </summary>
[MemoryDiagnoser]
public class HostStateMemoryBenchmarks
{
    private static readonly HostKey Key = new(0, 0, IpAddr.Parse("192.168.1.10"));
    private HostTrafficDelta[] _deltas = [];

    [Params(1, 6, 20)]
    public int Protocols { get; set; }

    /// <summary>
    /// False: no profile (flows without ports or metadata). True: a busy local client's window, every window: a
    /// name, DNS and HTTP counts, TLS flows with one JA4, three server ports, two sites, a few new peers each time.
    /// </summary>
    [Params(false, true)]
    public bool Profile { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        // 100 windows of traffic, each touching every protocol the host speaks.
        _deltas = [.. Enumerable.Range(0, 100).Select(i => new HostTrafficDelta(Key, 0x0200_0000_000A, i * 1_000_000L, (i * 1_000_000L) + 500_000,
            new HostCounters(1000, 5000, 10, 12, 1, 0),
            [.. Enumerable.Range(0, Protocols).Select(p => new L7Counters((ushort)(p + 1), (ushort)(p % 5), 1000 / Protocols, 5000 / Protocols, 1))],
            Profile ? WindowProfile(i) : null))];
    }

    private static HostProfile WindowProfile(int window)
    {
        var peers = new byte[PeerSketch.Registers];
        for (var p = 0; p < 5; p++)
        {
            PeerSketch.Add(peers, new IpAddr(0, 0x0A00_0000UL + (ulong)((window * 5) + p)));
        }

        return HostProfile.Empty with
        {
            Names = new HostNames(null, "laptop-of-someone", null, null, null, null),
            ActiveFlowsAsClient = 3,
            Apps = ApplicationCounters.AsClient(new DnsCounters(2, 1, 0, 3, 0), new HttpCounters(1, 0, 0, 0, 0, 0, 1, 0, 0, 0), 2),
            Ja4 = new TopCounts<string>([new("t13d1516h2_8daaf6152771_02713d6af862", 2)], 0),
            PeersAsClient = new PeerSketch(peers),
            ContactedPorts = new TopCounts<uint>(
                [new(HostProfile.PortKey(6, 443), 2), new(HostProfile.PortKey(17, 53), 3), new(HostProfile.PortKey(6, 80), 1)], 0),
            Sites = new TopCounts<string>([new($"site{window % 10}.example.com", 1), new("www.example.com", 1)], 0),
            SitesAtUs = (window * 1_000_000L) + 500_000,
        };
    }

    [Benchmark]
    public HostState OneHost()
    {
        var state = new HostState(Key);
        foreach (var delta in _deltas)
        {
            state.Apply(delta);
        }

        return state;
    }
}
