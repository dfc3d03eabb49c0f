using Flowhive.Collector.State;
using Flowhive.Shared.Cluster;
using Flowhive.Shared.Cluster.Messages;
using Flowhive.Shared.Net;

namespace Flowhive.Collector.Node.Tests.State;

public sealed class InterfaceStateTests
{
    private const long Second = 1_000_000;
    private static readonly IpAddr A = IpAddr.Parse("192.168.1.10");
    private static readonly IpAddr B = IpAddr.Parse("8.8.8.8");
    private static readonly IpAddr C = IpAddr.Parse("2001:db8::5");

    private static ActiveFlow Flow(IpAddr client, ushort port, IpAddr server, long bytesOut, long bytesBack, long lastUs) =>
        new(client, port, server, 443, 6, 0, bytesOut, bytesBack, 1, 1, lastUs - Second, lastUs, 0, 0, null);

    private static InterfaceTrafficDelta Delta(long bytes, long packets, long flows, HostIndexDelta[] hosts, ActiveFlow[] updates) =>
        new(0, "eth0", bytes, packets, flows, hosts, updates);

    [Fact]
    public void Totals_and_the_host_index_add_up_across_deltas()
    {
        var s = new InterfaceState(0, TimeSpan.FromSeconds(60));
        s.Apply(Delta(300, 3, 1,
            [new HostIndexDelta(0, A, 0xA, 10, 20, new HostCounters(100, 200, 1, 2, 1, 0)), new HostIndexDelta(0, B, 0xB, 10, 20, new HostCounters(200, 100, 2, 1, 0, 1))],
            []), 100 * Second);
        s.Apply(Delta(50, 1, 0, [new HostIndexDelta(0, A, 0, 5, 30, new HostCounters(50, 0, 1, 0, 0, 0))], []), 101 * Second);

        Assert.Equal(350, s.Bytes);
        Assert.Equal(4, s.Packets);
        Assert.Equal(1, s.FlowsSeen);
        var page = s.Hosts(new GetHosts(0, HostSortColumn.Bytes, Descending: true, 0, 10));
        Assert.Equal(2, page.Total);
        var a = page.Hosts.Single(h => h.Host.Ip == A);
        Assert.Equal(new HostCounters(150, 200, 2, 2, 1, 0), a.Totals);
        Assert.Equal(0xAUL, a.Mac); // a delta without a MAC does not erase the known one
        Assert.Equal(5, a.FirstSeenUs);
        Assert.Equal(30, a.LastSeenUs);
    }

    [Theory]
    [InlineData(HostSortColumn.Bytes, true, "192.168.1.10,8.8.8.8,2001:db8::5")]
    [InlineData(HostSortColumn.BytesSent, true, "8.8.8.8,2001:db8::5,192.168.1.10")]
    [InlineData(HostSortColumn.Ip, false, "8.8.8.8,192.168.1.10,2001:db8::5")]
    [InlineData(HostSortColumn.Packets, false, "2001:db8::5,8.8.8.8,192.168.1.10")]
    public void The_host_list_sorts_by_any_column_and_pages(HostSortColumn column, bool descending, string expected)
    {
        var s = new InterfaceState(0, TimeSpan.FromSeconds(60));
        s.Apply(Delta(0, 0, 0,
        [
            new HostIndexDelta(0, A, 0, 1, 1, new HostCounters(10, 1000, 1, 9, 0, 0)),
            new HostIndexDelta(0, B, 0, 1, 1, new HostCounters(500, 10, 3, 3, 0, 0)),
            new HostIndexDelta(0, C, 0, 1, 1, new HostCounters(300, 0, 1, 0, 0, 0)),
        ], []), Second);
        var all = s.Hosts(new GetHosts(0, column, descending, 0, 10));
        Assert.Equal(expected, string.Join(',', all.Hosts.Select(h => h.Host.Ip)));
        var second = s.Hosts(new GetHosts(0, column, descending, 1, 1));
        Assert.Equal(3, second.Total);
        Assert.Equal(all.Hosts[1].Host, Assert.Single(second.Hosts).Host);
    }

    [Theory]
    [InlineData(HostFilter.All, "192.168.1.10,8.8.8.8,2001:db8::5")]
    [InlineData(HostFilter.Local, "192.168.1.10,2001:db8::5")]
    [InlineData(HostFilter.Remote, "8.8.8.8")]
    public void The_host_list_shows_all_local_or_remote_hosts_and_counts_only_those(HostFilter filter, string expected)
    {
        var s = new InterfaceState(0, TimeSpan.FromSeconds(60));
        s.Apply(Delta(0, 0, 0,
        [
            new HostIndexDelta(0, A, 0, 1, 1, new HostCounters(10, 1000, 1, 9, 0, 0), Local: true),
            new HostIndexDelta(0, B, 0, 1, 1, new HostCounters(500, 10, 3, 3, 0, 0)),
            new HostIndexDelta(0, C, 0, 1, 1, new HostCounters(300, 0, 1, 0, 0, 0), Local: true),
        ], []), Second);

        var page = s.Hosts(new GetHosts(0, HostSortColumn.Bytes, true, 0, 10, filter));

        Assert.Equal(expected, string.Join(',', page.Hosts.Select(h => h.Host.Ip)));
        Assert.Equal(page.Hosts.Count, page.Total);
    }

    [Fact]
    public void Active_flows_merge_slices_of_the_same_flow_and_expire_after_the_timeout()
    {
        var s = new InterfaceState(0, TimeSpan.FromSeconds(60));
        s.Apply(Delta(0, 0, 0, [], [Flow(A, 5000, B, 100, 200, 10 * Second), Flow(A, 5001, B, 1, 1, 10 * Second)]), 100 * Second);
        s.Apply(Delta(0, 0, 0, [], [Flow(A, 5000, B, 50, 25, 20 * Second)]), 130 * Second);
        var flows = s.Flows(new GetActiveFlows(0, 0, 10, null));
        Assert.Equal(2, flows.Total);
        var merged = flows.Flows.Single(f => f.ClientPort == 5000);
        Assert.Equal(150, merged.BytesCliToSrv);
        Assert.Equal(225, merged.BytesSrvToCli);
        Assert.Equal(20 * Second, merged.LastSeenUs);

        s.Tick(161 * Second); // the 5001 flow was last received at 100 s: more than 60 s ago
        Assert.Equal(5000, Assert.Single(s.Flows(new GetActiveFlows(0, 0, 10, null)).Flows).ClientPort);
        Assert.Empty(s.Flows(new GetActiveFlows(0, 0, 10, new HostKey(0, 0, C))).Flows);
        Assert.Single(s.Flows(new GetActiveFlows(0, 0, 10, new HostKey(0, 0, B))).Flows);
    }

    [Fact]
    public void A_record_of_the_opposite_direction_is_added_to_the_same_active_flow()
    {
        var s = new InterfaceState(0, TimeSpan.FromSeconds(60));
        s.Apply(Delta(0, 0, 0, [], [Flow(A, 5000, B, 100, 0, 10 * Second)]), 100 * Second);
        // The server's record arrives in a later message: client and server swapped, its In counters are the reply.
        s.Apply(Delta(0, 0, 0, [], [new ActiveFlow(B, 443, A, 5000, 6, 0, 700, 0, 3, 0, 9 * Second, 11 * Second, 0, 0, "example.org")]), 101 * Second);

        var flow = Assert.Single(s.Flows(new GetActiveFlows(0, 0, 10, null)).Flows);
        Assert.Equal((A, (ushort)5000, B, (ushort)443), (flow.Client, flow.ClientPort, flow.Server, flow.ServerPort));
        Assert.Equal((100L, 700L, 1L, 4L), (flow.BytesCliToSrv, flow.BytesSrvToCli, flow.PacketsCliToSrv, flow.PacketsSrvToCli));
        Assert.Equal((9 * Second, 11 * Second, "example.org"), (flow.FirstSeenUs, flow.LastSeenUs, flow.Info));
    }

    [Fact]
    public void A_full_active_flow_table_evicts_the_least_recently_received_tenth_and_counts_it()
    {
        var s = new InterfaceState(0, TimeSpan.FromHours(1), maxActiveFlows: 100);
        // Received in an order unrelated to the ports: the eviction must follow reception time, not key or insertion order.
        var order = Enumerable.Range(0, 100).Select(i => (i * 37) % 100).ToArray();
        for (var i = 0; i < 100; i++)
        {
            s.Apply(Delta(0, 0, 0, [], [Flow(A, (ushort)(1000 + order[i]), B, 1, 1, Second)]), (i + 1) * Second);
        }

        s.Apply(Delta(0, 0, 0, [], [Flow(A, 1000, B, 1, 1, Second)]), 200 * Second); // an update, not a new flow: no eviction
        Assert.Equal(0, s.ActiveFlowEvictions);
        s.Apply(Delta(0, 0, 0, [], [Flow(C, 9, B, 1, 1, Second)]), 201 * Second);

        Assert.Equal(10, s.ActiveFlowEvictions);
        Assert.Equal(91, s.ActiveFlowCount);
        var left = s.Flows(new GetActiveFlows(0, 0, 1000, null)).Flows.Select(f => (int)f.ClientPort).ToHashSet();
        var oldestTen = order.Skip(1).Take(10).Select(p => 1000 + p); // order[0] (port 1000) was refreshed at 200 s
        Assert.All(oldestTen, p => Assert.DoesNotContain(p, left));
        Assert.Contains(1000, left);
        Assert.Contains(9, left);
    }

    [Fact]
    public void Eviction_among_equal_reception_times_removes_exactly_a_tenth()
    {
        var s = new InterfaceState(0, TimeSpan.FromHours(1), maxActiveFlows: 50);
        s.Apply(Delta(0, 0, 0, [], [.. Enumerable.Range(0, 50).Select(i => Flow(A, (ushort)(2000 + i), B, 1, 1, Second))]), Second);
        s.Apply(Delta(0, 0, 0, [], [Flow(C, 9, B, 1, 1, Second)]), 2 * Second);
        Assert.Equal(5, s.ActiveFlowEvictions);
        Assert.Equal(46, s.ActiveFlowCount);
    }

    [Fact]
    public void Throughput_comes_from_the_bytes_received_between_ticks()
    {
        var s = new InterfaceState(0, TimeSpan.FromSeconds(60));
        s.Tick(10 * Second);
        s.Apply(Delta(1000, 10, 0, [new HostIndexDelta(0, A, 0, 1, 1, new HostCounters(1000, 0, 10, 0, 0, 0))], []), 10 * Second);
        s.Tick(12 * Second);
        Assert.Equal(4000, s.ThroughputBps);
        Assert.Equal(5, s.ThroughputPps);
        Assert.Equal(4000, s.Hosts(new GetHosts(0, HostSortColumn.Throughput, true, 0, 1)).Hosts[0].ThroughputBps);
    }

    [Fact]
    public void Stats_rows_carry_only_what_changed_since_the_last_flush()
    {
        var s = new InterfaceState(0, TimeSpan.FromSeconds(60));
        var minute = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        s.Apply(Delta(300, 3, 2, [new HostIndexDelta(0, A, 1, 1, 1, new HostCounters(100, 200, 1, 2, 2, 0)), new HostIndexDelta(7, B, 1, 1, 1, new HostCounters(200, 100, 2, 1, 0, 2))], []), Second);
        var (first, hosts) = s.TakeStatsRows(minute);
        Assert.Equal(300, first.Bytes);
        Assert.Equal(2, first.ActiveHosts);
        Assert.Equal(2, hosts.Count);
        Assert.Contains(hosts, h => h.Vlan == 7 && h.Ip == B && h.BytesSent == 200 && h.FlowsAsServer == 2);

        s.Apply(Delta(10, 1, 0, [new HostIndexDelta(0, A, 1, 1, 1, new HostCounters(10, 0, 1, 0, 0, 0))], []), 2 * Second);
        var (second, changed) = s.TakeStatsRows(minute);
        Assert.Equal(10, second.Bytes);
        Assert.Equal(A, Assert.Single(changed).Ip);
        var (third, none) = s.TakeStatsRows(minute);
        Assert.Equal(0, third.Bytes);
        Assert.Empty(none);
    }
}
