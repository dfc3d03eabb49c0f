using Akka.Actor;
using Flowhive.Collector.Actors;
using Flowhive.Collector.Node.Tests.Support;
using Flowhive.Collector.Storage;
using Flowhive.Shared.Cluster.Messages;
using Flowhive.Shared.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace Flowhive.Collector.Node.Tests.Actors;

/// <summary>The node's stats writer over a real SQLite file in a temporary directory.</summary>
public sealed class StatsWriterActorTests : Akka.TestKit.Xunit2.TestKit, IAsyncLifetime
{
    private const int IfId = 7;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private static readonly DateTimeOffset Minute0 = new(2026, 1, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Minute1 = Minute0.AddMinutes(1);
    private static readonly IpAddr A = IpAddr.Parse("192.168.1.10");
    private static readonly IpAddr B = IpAddr.Parse("10.0.0.2");
    private static readonly IpAddr C = IpAddr.Parse("2001:db8::1");

    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"flowhive-writer-{Guid.NewGuid():N}");
    private readonly SqliteStatsStore _store;

    public StatsWriterActorTests(ITestOutputHelper output)
        : base(output: output)
    {
        _store = new SqliteStatsStore(Path.Combine(_directory, "stats.db"), NullLogger.Instance);
    }

    public Task InitializeAsync() => _store.InitializeAsync(CancellationToken.None);

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private static HostMinuteRow Host(DateTimeOffset minute, IpAddr ip, long sent, long rcvd, ushort vlan = 0) =>
        new(minute, IfId, vlan, ip, 0x0200_0000_0000UL | (ip.Low & 0xFFFF), sent, rcvd, sent / 100, rcvd / 100, 1, 0);

    private static StatsRows Write(DateTimeOffset minute, params HostMinuteRow[] hosts) =>
        new(new InterfaceMinuteRow(minute, IfId, "eth7", hosts.Sum(h => h.BytesSent + h.BytesRcvd), hosts.Sum(h => h.PacketsSent + h.PacketsRcvd), hosts.Length,
            hosts.Length, hosts.Length), hosts);

    private static readonly StatsRows[] Writes =
    [
        Write(Minute0, Host(Minute0, A, 1_000, 2_000), Host(Minute0, B, 2_000, 1_000)),
        Write(Minute0, Host(Minute0, A, 500, 0)),
        Write(Minute1, Host(Minute1, B, 300, 700), Host(Minute1, C, 700, 300, vlan: 5)),
    ];

    /// <summary>What the store must hold after <see cref="Writes"/>: per-host sums and per-minute interface sums.</summary>
    private async Task AssertStoreHoldsAllWritesAsync()
    {
        var expectedHosts = Writes.SelectMany(w => w.Hosts)
            .GroupBy(h => (h.Vlan, h.Ip))
            .OrderBy(g => g.Key.Vlan).ThenBy(g => g.Key.Ip)
            .Select(g => new HostTotals(g.Key.Vlan, g.Key.Ip, g.Sum(h => h.BytesSent), g.Sum(h => h.BytesRcvd), g.Sum(h => h.PacketsSent),
                g.Sum(h => h.PacketsRcvd), g.Sum(h => h.FlowsAsClient), g.Sum(h => h.FlowsAsServer)));
        Assert.Equal(expectedHosts, await _store.GetHostTotalsAsync(IfId, CancellationToken.None));

        var expectedSeries = Writes.Select(w => w.Interface)
            .GroupBy(r => r.Minute)
            .OrderBy(g => g.Key)
            .Select(g => new InterfacePoint(g.Key, g.Sum(r => r.Bytes), g.Sum(r => r.Packets), g.Sum(r => r.Flows), g.Max(r => r.ActiveHosts), g.Max(r => r.ActiveFlows)));
        Assert.Equal(expectedSeries, await _store.GetInterfaceSeriesAsync(IfId, Minute0, Minute1.AddMinutes(1), CancellationToken.None));
    }

    [Fact]
    public async Task Writes_reach_the_store_and_drain_answers_once_they_are_in()
    {
        var writer = Sys.ActorOf(StatsWriterActor.Props(_store));

        foreach (var write in Writes)
        {
            writer.Tell(write);
        }

        writer.Tell(StatsWriterActor.Drain.Instance);
        ExpectMsg<StatsWriterActor.Drained>(Deadline);
        await AssertStoreHoldsAllWritesAsync();
    }

    [Fact]
    public void Drain_with_nothing_pending_answers_at_once()
    {
        var writer = Sys.ActorOf(StatsWriterActor.Props(_store));

        writer.Tell(StatsWriterActor.Drain.Instance);

        ExpectMsg<StatsWriterActor.Drained>(Deadline);
    }

    [Fact]
    public async Task A_failing_store_is_retried_with_backoff_and_nothing_is_lost()
    {
        const int failures = 2;
        var flaky = new FlakyStatsStore(_store, failures);
        var writer = Sys.ActorOf(StatsWriterActor.Props(flaky));

        // The first write fails; the others arrive while the writer waits to retry, and so does the drain request.
        writer.Tell(Writes[0]);
        AwaitCondition(() => flaky.Attempts.Count >= 1, Deadline);
        foreach (var write in Writes.Skip(1))
        {
            writer.Tell(write);
        }

        writer.Tell(StatsWriterActor.Drain.Instance);
        ExpectMsg<StatsWriterActor.Drained>(Deadline);

        // Drained came only after the one successful write, which carried everything.
        var attempts = flaky.Attempts;
        Assert.Equal(failures + 1, attempts.Count);
        Assert.Equal(Enumerable.Repeat(true, failures).Append(false), attempts.Select(a => a.Failed));
        Assert.Equal((Writes.Length, Writes.Sum(w => w.Hosts.Count)), (attempts[^1].InterfaceRows, attempts[^1].HostRows));
        await AssertStoreHoldsAllWritesAsync();

        // Backoff: 1 s after the first failure, doubling after each further one (a little slack for timer resolution).
        for (var i = 1; i < attempts.Count; i++)
        {
            var backoff = TimeSpan.FromSeconds(Math.Pow(2, i - 1));
            Assert.True(attempts[i].At - attempts[i - 1].At >= backoff * 0.9,
                $"retry {i} came {(attempts[i].At - attempts[i - 1].At).TotalMilliseconds} ms after the failure; backoff is {backoff.TotalMilliseconds} ms");
        }
    }
}
