using System.Diagnostics;
using Flowhive.Collector.Storage;
using Flowhive.Shared.Cluster.Messages;
using Flowhive.Shared.Net;
using Xunit.Abstractions;

namespace Flowhive.Collector.Node.Tests.Storage;

/// <summary>
/// What every <see cref="IStatsStore"/> must do, run against each store by a subclass. Tests in one class may
/// share a database, so each test writes under interface ids of its own.
/// </summary>
public abstract class StatsStoreTests
{
    private static int s_lastIfId = 100;

    private static readonly DateTimeOffset T0 = new(2025, 3, 14, 9, 26, 0, TimeSpan.Zero);

    protected StatsStoreTests(ITestOutputHelper output)
    {
        Output = output;
    }

    protected ITestOutputHelper Output { get; }

    /// <summary>The database every test of the class may use (a file path or a connection string).</summary>
    protected abstract string SharedTarget { get; }

    /// <summary>The short store name used in timing output.</summary>
    protected abstract string StoreName { get; }

    /// <summary>A database nobody has used yet.</summary>
    protected abstract Task<string> CreateFreshTargetAsync();

    /// <summary>A store on <paramref name="target"/>, not yet initialised.</summary>
    protected abstract IStatsStore CreateStore(string target);

    /// <summary>The rows of <c>flowhive_schema_version</c>, read without the store.</summary>
    protected abstract Task<IReadOnlyList<int>> ReadSchemaVersionsAsync(string target);

    protected static int NewIfId() => Interlocked.Increment(ref s_lastIfId);

    protected async Task<IStatsStore> OpenAsync(string? target = null)
    {
        var store = CreateStore(target ?? SharedTarget);
        await store.InitializeAsync(CancellationToken.None);
        return store;
    }

    [Fact]
    public async Task Initialize_twice_and_from_a_second_store_is_idempotent()
    {
        var target = await CreateFreshTargetAsync();
        var ifId = NewIfId();
        await using (var first = CreateStore(target))
        {
            await first.InitializeAsync(CancellationToken.None);
            await first.InitializeAsync(CancellationToken.None);
            await first.WriteAsync(Batch(Interface(T0, ifId, bytes: 10)), CancellationToken.None);
        }

        await using var second = CreateStore(target);
        await second.InitializeAsync(CancellationToken.None);
        Assert.Equal([1, 2], await ReadSchemaVersionsAsync(target));
        var series = await second.GetInterfaceSeriesAsync(ifId, T0, T0.AddMinutes(1), CancellationToken.None);
        Assert.Equal(10, Assert.Single(series).Bytes);
    }

    [Fact]
    public async Task Stores_initialising_concurrently_on_a_fresh_database_all_succeed()
    {
        var target = await CreateFreshTargetAsync();
        var stores = Enumerable.Range(0, 4).Select(_ => CreateStore(target)).ToArray();
        try
        {
            await Task.WhenAll(stores.Select(s => Task.Run(() => s.InitializeAsync(CancellationToken.None))));
            Assert.Equal([1, 2], await ReadSchemaVersionsAsync(target));
            var ifId = NewIfId();
            await Task.WhenAll(stores.Select(s => s.WriteAsync(Batch(Interface(T0, ifId, bytes: 1, activeHosts: 1)), CancellationToken.None)));
            var point = Assert.Single(await stores[0].GetInterfaceSeriesAsync(ifId, T0, T0.AddMinutes(1), CancellationToken.None));
            Assert.Equal(stores.Length, point.Bytes);
        }
        finally
        {
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Writing_a_key_again_adds_counters_and_keeps_the_larger_gauges()
    {
        await using var store = await OpenAsync();
        var ifId = NewIfId();
        var ip = IpAddr.Parse("192.0.2.7");

        await store.WriteAsync(new StatsBatch(
            [new InterfaceMinuteRow(T0, ifId, "eth0", Bytes: 1000, Packets: 10, Flows: 2, ActiveHosts: 5, ActiveFlows: 40)],
            [new HostMinuteRow(T0, ifId, 10, ip, 0x0000_0011_2233_4455, 100, 200, 1, 2, 3, 4)]), CancellationToken.None);
        // Same minute (seconds are truncated away), smaller gauges, other counters.
        await store.WriteAsync(new StatsBatch(
            [new InterfaceMinuteRow(T0.AddSeconds(42), ifId, "eth0", Bytes: 500, Packets: 5, Flows: 1, ActiveHosts: 3, ActiveFlows: 70)],
            [new HostMinuteRow(T0.AddSeconds(59), ifId, 10, ip, 0, 1, 2, 3, 4, 5, 6)]), CancellationToken.None);

        var point = Assert.Single(await store.GetInterfaceSeriesAsync(ifId, T0, T0.AddMinutes(1), CancellationToken.None));
        Assert.Equal(new InterfacePoint(T0, 1500, 15, 3, ActiveHosts: 5, ActiveFlows: 70), point);
        var totals = Assert.Single(await store.GetHostTotalsAsync(ifId, CancellationToken.None));
        Assert.Equal(new HostTotals(10, ip, 101, 202, 4, 6, 8, 10), totals);
    }

    [Fact]
    public async Task A_key_repeated_inside_one_batch_is_added_too()
    {
        await using var store = await OpenAsync();
        var ifId = NewIfId();
        var ip = IpAddr.Parse("2001:db8::42");
        await store.WriteAsync(new StatsBatch(
            [Interface(T0, ifId, bytes: 7, activeHosts: 9), Interface(T0.AddSeconds(1), ifId, bytes: 8, activeHosts: 2)],
            [Host(T0, ifId, 0, ip, bytesSent: 1), Host(T0.AddSeconds(30), ifId, 0, ip, bytesSent: 2), Host(T0, ifId, 0, ip, bytesSent: 4)]),
            CancellationToken.None);

        var point = Assert.Single(await store.GetInterfaceSeriesAsync(ifId, T0, T0.AddMinutes(1), CancellationToken.None));
        Assert.Equal(15, point.Bytes);
        Assert.Equal(9, point.ActiveHosts);
        Assert.Equal(7, Assert.Single(await store.GetHostTotalsAsync(ifId, CancellationToken.None)).BytesSent);
    }

    [Fact]
    public async Task Host_totals_sum_every_minute_per_vlan_and_address_of_one_interface_only()
    {
        await using var store = await OpenAsync();
        var ifId = NewIfId();
        var otherIfId = NewIfId();
        var a = IpAddr.Parse("10.0.0.1");
        var b = IpAddr.Parse("10.0.0.2");
        for (var minute = 0; minute < 5; minute++)
        {
            var t = T0.AddMinutes(minute);
            await store.WriteAsync(Batch(
                Host(t, ifId, 0, a, bytesSent: 100, bytesRcvd: 1, packetsSent: 10, packetsRcvd: 2, flowsAsClient: 1, flowsAsServer: 3),
                Host(t, ifId, 0, b, bytesSent: minute),
                Host(t, ifId, 7, a, bytesSent: 1000),
                Host(t, otherIfId, 0, a, bytesSent: 99_999)), CancellationToken.None);
        }

        var totals = await store.GetHostTotalsAsync(ifId, CancellationToken.None);
        Assert.Equal(
            [
                new HostTotals(0, a, 500, 5, 50, 10, 5, 15),
                new HostTotals(0, b, 0 + 1 + 2 + 3 + 4, 0, 0, 0, 0, 0),
                new HostTotals(7, a, 5000, 0, 0, 0, 0, 0),
            ],
            totals);
        Assert.Empty(await store.GetHostTotalsAsync(NewIfId(), CancellationToken.None));
    }

    [Fact]
    public async Task Interface_series_is_ordered_by_minute_and_half_open()
    {
        await using var store = await OpenAsync();
        var ifId = NewIfId();
        // Written out of order, in several batches, with another interface interleaved.
        foreach (var minute in new[] { 3, 0, 4, 1, 2 })
        {
            await store.WriteAsync(Batch(Interface(T0.AddMinutes(minute), ifId, bytes: minute * 10), Interface(T0.AddMinutes(minute), NewIfId(), bytes: 1)), CancellationToken.None);
        }

        var series = await store.GetInterfaceSeriesAsync(ifId, T0.AddMinutes(1), T0.AddMinutes(4), CancellationToken.None);
        Assert.Equal([T0.AddMinutes(1), T0.AddMinutes(2), T0.AddMinutes(3)], series.Select(p => p.Minute));
        Assert.Equal([10L, 20, 30], series.Select(p => p.Bytes));
        Assert.All(series, p => Assert.Equal(TimeSpan.Zero, p.Minute.Offset));

        var all = await store.GetInterfaceSeriesAsync(ifId, DateTimeOffset.UnixEpoch, T0.AddDays(1), CancellationToken.None);
        Assert.Equal(5, all.Count);
        // A start inside a minute excludes that minute (the range compares the stored minute itself).
        var fromMid = await store.GetInterfaceSeriesAsync(ifId, T0.AddSeconds(30), T0.AddMinutes(2), CancellationToken.None);
        Assert.Equal([T0.AddMinutes(1)], fromMid.Select(p => p.Minute));
    }

    [Fact]
    public async Task Minutes_are_truncated_in_utc_whatever_the_offset()
    {
        await using var store = await OpenAsync();
        var ifId = NewIfId();
        var local = new DateTimeOffset(2025, 3, 14, 11, 26, 59, 999, TimeSpan.FromHours(2));
        await store.WriteAsync(Batch(Interface(local, ifId, bytes: 1)), CancellationToken.None);
        var point = Assert.Single(await store.GetInterfaceSeriesAsync(ifId, T0, T0.AddMinutes(1), CancellationToken.None));
        Assert.Equal(T0, point.Minute);
        Assert.Equal(TimeSpan.Zero, point.Minute.Offset);
    }

    [Fact]
    public async Task IPv4_IPv6_and_vlans_round_trip()
    {
        await using var store = await OpenAsync();
        var ifId = NewIfId();
        (ushort Vlan, string Ip)[] keys =
        [
            (0, "0.0.0.1"), (0, "10.1.2.3"), (0, "255.255.255.255"), (0, "::1"), (0, "2001:db8::1"),
            (0, "fe80::1ff:fe23:4567:890a"), (0, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"),
            (1, "10.1.2.3"), (4095, "2001:db8::1"), (ushort.MaxValue, "192.168.0.1"),
        ];
        await store.WriteAsync(new StatsBatch([], [.. keys.Select((k, i) => Host(T0, ifId, k.Vlan, IpAddr.Parse(k.Ip), bytesSent: i + 1))]), CancellationToken.None);

        var totals = await store.GetHostTotalsAsync(ifId, CancellationToken.None);
        var expected = keys.Select((k, i) => (k.Vlan, Ip: IpAddr.Parse(k.Ip), Bytes: (long)(i + 1)))
            .OrderBy(k => k.Vlan).ThenBy(k => k.Ip).ToArray();
        Assert.Equal(expected, totals.Select(t => (t.Vlan, t.Ip, Bytes: t.BytesSent)));
        Assert.True(totals.Single(t => t.Ip == IpAddr.Parse("10.1.2.3") && t.Vlan == 0).Ip.IsV4);
        Assert.Equal("fe80::1ff:fe23:4567:890a", totals.Single(t => !t.Ip.IsV4 && t.Ip.High == 0xfe80_0000_0000_0000).Ip.ToString());
    }

    [Fact]
    public async Task An_empty_batch_is_a_no_op()
    {
        await using var store = await OpenAsync();
        await store.WriteAsync(new StatsBatch([], []), CancellationToken.None);
    }

    [Fact]
    public async Task A_batch_of_50000_host_rows_is_written_exactly_and_quickly()
    {
        const int Rows = 50_000;
        await using var store = await OpenAsync();
        var ifId = NewIfId();
        var hosts = new HostMinuteRow[Rows];
        for (var i = 0; i < Rows; i++)
        {
            // Two thirds IPv4 on a few VLANs, one third IPv6: every row a distinct (vlan, ip).
            var ip = i % 3 == 2
                ? new IpAddr(0x2001_0db8_0000_0000, (ulong)i)
                : IpAddr.FromV4(0x0A00_0000u + (uint)i);
            hosts[i] = new HostMinuteRow(T0, ifId, (ushort)(i % 4), ip, (ulong)i, i, 2L * i, 3, 4, i % 7, 1);
        }

        // Warm up on another interface so the timings below are steady state, not first-call JIT and connect.
        await store.WriteAsync(new StatsBatch([Interface(T0, NewIfId(), bytes: 1)], hosts[..1000].Select(h => h with { IfId = -ifId }).ToArray()), CancellationToken.None);

        var batch = new StatsBatch([Interface(T0, ifId, bytes: 1, activeHosts: Rows)], hosts);
        var first = Stopwatch.StartNew();
        await store.WriteAsync(batch, CancellationToken.None);
        first.Stop();
        // The same rows again: now every row is an update of an existing key.
        var second = Stopwatch.StartNew();
        await store.WriteAsync(batch, CancellationToken.None);
        second.Stop();
        Output.WriteLine($"{StoreName}: {Rows} host rows: insert {first.ElapsedMilliseconds} ms, additive update {second.ElapsedMilliseconds} ms");

        var totals = await store.GetHostTotalsAsync(ifId, CancellationToken.None);
        Assert.Equal(Rows, totals.Count);
        Assert.Equal(2 * hosts.Sum(h => h.BytesSent), totals.Sum(t => t.BytesSent));
        Assert.Equal(2 * hosts.Sum(h => h.BytesRcvd), totals.Sum(t => t.BytesRcvd));
        Assert.Equal(2L * 3 * Rows, totals.Sum(t => t.PacketsSent));
        Assert.Equal(2L * 4 * Rows, totals.Sum(t => t.PacketsRcvd));
        Assert.Equal(2 * hosts.Sum(h => h.FlowsAsClient), totals.Sum(t => t.FlowsAsClient));
        Assert.Equal(2L * Rows, totals.Sum(t => t.FlowsAsServer));
        var byKey = totals.ToDictionary(t => (t.Vlan, t.Ip));
        foreach (var i in new[] { 0, 1, 2, 12_345, Rows - 1 })
        {
            var row = hosts[i];
            Assert.Equal(new HostTotals(row.Vlan, row.Ip, 2 * row.BytesSent, 2 * row.BytesRcvd, 6, 8, 2 * row.FlowsAsClient, 2), byKey[(row.Vlan, row.Ip)]);
        }
    }

    protected static StatsBatch Batch(params InterfaceMinuteRow[] interfaces) => new(interfaces, []);

    protected static StatsBatch Batch(params HostMinuteRow[] hosts) => new([], hosts);

    protected static InterfaceMinuteRow Interface(DateTimeOffset minute, int ifId, long bytes, int activeHosts = 0) =>
        new(minute, ifId, $"if{ifId}", bytes, Packets: bytes / 10, Flows: 1, activeHosts, ActiveFlows: 0);

    protected static HostMinuteRow Host(
        DateTimeOffset minute, int ifId, ushort vlan, IpAddr ip,
        long bytesSent = 0, long bytesRcvd = 0, long packetsSent = 0, long packetsRcvd = 0, long flowsAsClient = 0, long flowsAsServer = 0) =>
        new(minute, ifId, vlan, ip, Mac: 0, bytesSent, bytesRcvd, packetsSent, packetsRcvd, flowsAsClient, flowsAsServer);

    [Fact]
    public async Task Checkpoints_are_replaced_per_key_and_load_by_key_and_by_scope()
    {
        await using var store = await OpenAsync();
        var checkpoints = Assert.IsAssignableFrom<ICheckpointStore>(store);
        var scope = $"host-{NewIfId()}";
        await checkpoints.SaveCheckpointsAsync([new(scope, "a", [1, 2, 3]), new(scope, "b", []), new(scope + "-other", "a", [9])], CancellationToken.None);
        await checkpoints.SaveCheckpointsAsync([new(scope, "a", [7])], CancellationToken.None);

        var byKey = await checkpoints.LoadCheckpointsAsync(scope, ["a", "missing"], CancellationToken.None);
        Assert.Equal([7], Assert.Single(byKey).State);
        var all = (await checkpoints.LoadCheckpointScopeAsync(scope, CancellationToken.None)).OrderBy(c => c.Key, StringComparer.Ordinal).ToList();
        Assert.Equal(["a", "b"], all.Select(c => c.Key));
        Assert.Empty(all[1].State);
        Assert.Empty(await checkpoints.LoadCheckpointScopeAsync(scope + "-none", CancellationToken.None));

        // A batch as big as a busy node's checkpoint interval, and a lookup of many keys at once.
        var many = Enumerable.Range(0, 5_000).Select(i => new Checkpoint(scope + "-many", $"k{i}", BitConverter.GetBytes(i))).ToList();
        await checkpoints.SaveCheckpointsAsync(many, CancellationToken.None);
        Assert.Equal(5_000, (await checkpoints.LoadCheckpointScopeAsync(scope + "-many", CancellationToken.None)).Count);
        var some = await checkpoints.LoadCheckpointsAsync(scope + "-many", [.. Enumerable.Range(0, 2_000).Select(i => $"k{i * 3}")], CancellationToken.None);
        Assert.Equal(1_667, some.Count);
        Assert.All(some, c => Assert.Equal($"k{BitConverter.ToInt32(c.State)}", c.Key));
    }
}
