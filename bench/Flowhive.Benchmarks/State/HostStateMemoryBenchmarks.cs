using BenchmarkDotNet.Attributes;
using Flowhive.Collector.State;
using Flowhive.Shared.Cluster;
using Flowhive.Shared.Cluster.Messages;
using Flowhive.Shared.Net;

namespace Flowhive.Benchmarks.State;

/// <summary>
/// What one host's state costs in memory: a host entity's <see cref="HostState"/> built from a day's typical
/// deltas (the deltas are made in setup, so "Allocated" is what the state keeps: its object, its protocol table and
/// the table's array). <c>Protocols</c> is how many protocol/category pairs the host spoke. The actor, its mailbox
/// and Cluster.Sharding's bookkeeping per entity come on top and are not measured here.
/// </summary>
[MemoryDiagnoser]
public class HostStateMemoryBenchmarks
{
    private static readonly HostKey Key = new(0, 0, IpAddr.Parse("192.168.1.10"));
    private HostTrafficDelta[] _deltas = [];

    [Params(1, 6, 20)]
    public int Protocols { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        // 100 windows of traffic, each touching every protocol the host speaks.
        _deltas = [.. Enumerable.Range(0, 100).Select(i => new HostTrafficDelta(Key, 0x0200_0000_000A, i * 1_000_000L, (i * 1_000_000L) + 500_000,
            new HostCounters(1000, 5000, 10, 12, 1, 0),
            [.. Enumerable.Range(0, Protocols).Select(p => new L7Counters((ushort)(p + 1), (ushort)(p % 5), 1000 / Protocols, 5000 / Protocols, 1))]))];
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
