using Flowhive.Collector.State;
using Flowhive.Collector.Storage;
using Flowhive.Shared.Cluster.Messages;
using Flowhive.Shared.Net;

namespace Flowhive.Collector.Node.Tests.State;

/// <summary>An interface restored from its checkpoint rows has its totals and host index back; the index is saved incrementally.</summary>
public sealed class InterfaceCheckpointTests
{
    private const int IfId = 4;

    private static InterfaceTrafficDelta Delta(int first, int count, long bytes) => new(IfId, "eth4", bytes * count, count, count,
        [.. Enumerable.Range(first, count).Select(i => new HostIndexDelta(0, IpAddr.Parse($"10.1.{i / 256}.{i % 256}"), 0x0A00_0000_0000UL + (ulong)i,
            1_000 + i, 2_000 + i, new HostCounters(bytes, 0, 1, 0, 1, 0), i % 2 == 0))], [],
        [new L7Counters(7, 5, bytes * count, count, count)], new LocalTraffic(bytes, 0, 0, 0));

    [Fact]
    public void A_restored_interface_has_its_totals_and_host_index_and_saves_only_changed_hosts_afterwards()
    {
        var live = new InterfaceState(IfId, TimeSpan.FromMinutes(1));
        live.Apply(Delta(0, 300, 10), 1);
        live.Apply(Delta(100, 50, 7), 2);
        var rows = live.TakeCheckpoint();
        Assert.Equal(1 + 300, rows.Count);

        var restored = new InterfaceState(IfId, TimeSpan.FromMinutes(1));
        var corrupt = restored.Restore(rows.Single(r => r.Scope == InterfaceCheckpoint.Scope), [.. rows.Where(r => r.Scope == InterfaceCheckpoint.HostsScope(IfId))]);

        Assert.Equal(0, corrupt);
        Assert.Equal(live.Summary(5) with { ActiveFlows = 0 }, restored.Summary(5) with { ActiveFlows = 0 }, new SummaryComparer());
        var query = new GetHosts(IfId, HostSortColumn.Bytes, Descending: true, Offset: 0, Limit: 1_000, HostFilter.Local);
        Assert.Equal(live.Hosts(query).Hosts, restored.Hosts(query).Hosts);

        // Nothing changed: the next checkpoint is the totals row alone; then only the host that changed.
        Assert.Single(live.TakeCheckpoint());
        live.Apply(Delta(5, 1, 3), 3);
        Assert.Equal(2, live.TakeCheckpoint().Count);
    }

    [Fact]
    public void Rows_that_do_not_decode_are_skipped_and_counted()
    {
        var live = new InterfaceState(IfId, TimeSpan.FromMinutes(1));
        live.Apply(Delta(0, 3, 10), 1);
        var rows = live.TakeCheckpoint();
        var hosts = rows.Where(r => r.Scope != InterfaceCheckpoint.Scope).ToList();
        hosts[0] = hosts[0] with { State = hosts[0].State[..5] };
        hosts[1] = hosts[1] with { Key = "0|10.9.9.9" };

        var restored = new InterfaceState(IfId, TimeSpan.FromMinutes(1));
        var corrupt = restored.Restore(new Checkpoint(InterfaceCheckpoint.Scope, "4", [9, 9]), hosts);

        Assert.Equal(3, corrupt);
        Assert.Equal(1, restored.HostCount);
        Assert.Equal(0, restored.Bytes);
    }

    /// <summary>Summaries hold an L7 array: compared by content.</summary>
    private sealed class SummaryComparer : IEqualityComparer<InterfaceSummary>
    {
        public bool Equals(InterfaceSummary? x, InterfaceSummary? y) =>
            x is not null && y is not null && x.L7.SequenceEqual(y.L7) && x with { L7 = [] } == y with { L7 = [] };

        public int GetHashCode(InterfaceSummary obj) => obj.IfId;
    }
}
