using Akka.Actor;
using Flowhive.Collector.Actors;
using Flowhive.Collector.Node.Tests.Support;
using Flowhive.Collector.Storage;
using Flowhive.Shared.Cluster;
using Flowhive.Shared.Cluster.Messages;
using Flowhive.Shared.Net;
using Xunit.Abstractions;

namespace Flowhive.Collector.Node.Tests.Actors;

/// <summary>The interface entity in an actor system that serializes every message (as if each crossed a node).</summary>
public sealed class InterfaceEntityActorTests(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(FlowhiveSerialization.Verified, output: output)
{
    private const int IfId = 0;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private static readonly IpAddr A = IpAddr.Parse("192.168.1.10");
    private static readonly IpAddr B = IpAddr.Parse("203.0.113.80");
    private static readonly IpAddr C = IpAddr.Parse("2001:db8::c");
    private const long T = Flows.T0;

    private static ActiveFlow Flow(IpAddr client, ushort port, IpAddr server, long toServer, long toClient, long lastUs, string? info = null) =>
        new(client, port, server, 443, 6, 0, toServer, toClient, 2, 3, lastUs - 1_000_000, lastUs, 91, 0, info);

    // Two windows of ingest: A talks to B over one flow exported in two slices; C starts a flow to B in the second.
    private static readonly InterfaceTrafficDelta First = new(IfId, "eth0", 1_500, 10, 1,
        [
            new HostIndexDelta(0, A, 0xA, T, T + 1_000_000, new HostCounters(500, 1_000, 4, 6, 1, 0)),
            new HostIndexDelta(0, B, 0xB, T, T + 1_000_000, new HostCounters(1_000, 500, 6, 4, 0, 1)),
        ],
        [Flow(A, 40000, B, 500, 1_000, T + 1_000_000, "www.example.org")]);

    private static readonly InterfaceTrafficDelta Second = new(IfId, "eth0", 4_300, 20, 1,
        [
            new HostIndexDelta(0, A, 0, T + 1_000_000, T + 2_000_000, new HostCounters(100, 200, 1, 1, 0, 0)),
            new HostIndexDelta(0, B, 0xB, T - 5_000_000, T + 3_000_000, new HostCounters(3_200, 1_100, 10, 9, 0, 1)),
            new HostIndexDelta(0, C, 0xC, T + 2_000_000, T + 3_000_000, new HostCounters(1_000, 3_000, 9, 10, 1, 0)),
        ],
        [Flow(A, 40000, B, 100, 200, T + 2_000_000), Flow(C, 50000, B, 1_000, 3_000, T + 3_000_000, "api.example.org")]);

    private static HostCounters Sum(IpAddr ip) =>
        First.Hosts.Concat(Second.Hosts).Where(h => h.Ip == ip).Aggregate(default(HostCounters), (sum, h) => sum + h.Delta);

    [Fact]
    public void Deltas_answer_the_summary_host_and_flow_queries()
    {
        var writer = CreateTestProbe();
        var entity = Sys.ActorOf(InterfaceEntityActor.Props("if-0", writer, TimeSpan.FromHours(1), TimeSpan.FromMinutes(5), TimeProvider.System));

        entity.Tell(First);
        entity.Tell(Second);

        entity.Tell(new GetInterfaceSummary(IfId));
        var summary = ExpectMsg<InterfaceSummary>(Deadline);
        Assert.Equal((IfId, "eth0"), (summary.IfId, summary.IfName));
        Assert.Equal(First.Bytes + Second.Bytes, summary.Bytes);
        Assert.Equal(First.Packets + Second.Packets, summary.Packets);
        Assert.Equal(First.Flows + Second.Flows, summary.FlowsSeen);
        Assert.Equal(3, summary.Hosts);
        Assert.Equal(2, summary.ActiveFlows);
        Assert.Equal(First.Hosts.Concat(Second.Hosts).Min(h => h.FirstSeenUs), summary.FirstSeenUs);
        Assert.Equal(First.Hosts.Concat(Second.Hosts).Max(h => h.LastSeenUs), summary.LastSeenUs);

        entity.Tell(new GetHosts(IfId, HostSortColumn.Bytes, Descending: true, Offset: 0, Limit: 10));
        var hosts = ExpectMsg<HostPage>(Deadline);
        Assert.Equal(3, hosts.Total);
        Assert.Equal(new[] { B, C, A }, hosts.Hosts.Select(h => h.Host.Ip));
        foreach (var host in hosts.Hosts)
        {
            Assert.Equal(new HostKey(IfId, 0, host.Host.Ip), host.Host);
            Assert.Equal(Sum(host.Host.Ip), host.Totals);
        }

        Assert.Equal(0xAUL, hosts.Hosts.Single(h => h.Host.Ip == A).Mac);

        entity.Tell(new GetHosts(IfId, HostSortColumn.Bytes, Descending: true, Offset: 1, Limit: 1));
        Assert.Equal(C, Assert.Single(ExpectMsg<HostPage>(Deadline).Hosts).Host.Ip);

        entity.Tell(new GetActiveFlows(IfId, 0, 10, null));
        var flows = ExpectMsg<FlowPage>(Deadline);
        Assert.Equal(2, flows.Total);
        var ab = flows.Flows.Single(f => f.Client == A);
        Assert.Equal((500L + 100, 1_000L + 200), (ab.BytesCliToSrv, ab.BytesSrvToCli));
        Assert.Equal("www.example.org", ab.Info);

        entity.Tell(new GetActiveFlows(IfId, 0, 10, new HostKey(IfId, 0, C)));
        var ofC = ExpectMsg<FlowPage>(Deadline);
        Assert.Equal((C, B, "api.example.org"), (Assert.Single(ofC.Flows).Client, ofC.Flows[0].Server, ofC.Flows[0].Info));
    }

    [Fact]
    public void The_flush_timer_hands_the_rows_to_the_writer()
    {
        var writer = CreateTestProbe();
        var entity = Sys.ActorOf(InterfaceEntityActor.Props("if-0", writer, TimeSpan.FromMilliseconds(200), TimeSpan.FromMinutes(5), TimeProvider.System));

        entity.Tell(First);
        entity.Tell(Second);

        // A flush may fall between the two deltas: add up the writes until the interface's bytes are all there.
        var interfaceRows = new List<InterfaceMinuteRow>();
        var hostRows = new List<HostMinuteRow>();
        writer.FishForMessage<StatsRows>(w =>
        {
            interfaceRows.Add(w.Interface);
            hostRows.AddRange(w.Hosts);
            return interfaceRows.Sum(r => r.Bytes) >= First.Bytes + Second.Bytes;
        }, Deadline);

        Assert.Equal(First.Bytes + Second.Bytes, interfaceRows.Sum(r => r.Bytes));
        Assert.Equal(First.Packets + Second.Packets, interfaceRows.Sum(r => r.Packets));
        Assert.Equal(First.Flows + Second.Flows, interfaceRows.Sum(r => r.Flows));
        Assert.All(interfaceRows, r =>
        {
            Assert.Equal((IfId, "eth0"), (r.IfId, r.IfName));
            Assert.Equal(0, r.Minute.Second);
            Assert.Equal(TimeSpan.Zero, r.Minute.Offset);
        });
        Assert.Equal(3, interfaceRows.Max(r => r.ActiveHosts));
        Assert.Equal(2, interfaceRows.Max(r => r.ActiveFlows));

        foreach (var ip in new[] { A, B, C })
        {
            var rows = hostRows.Where(r => r.Ip == ip).ToList();
            var sum = rows.Aggregate(default(HostCounters), (s, r) => s + new HostCounters(r.BytesSent, r.BytesRcvd, r.PacketsSent, r.PacketsRcvd, r.FlowsAsClient, r.FlowsAsServer));
            Assert.Equal(Sum(ip), sum);
            Assert.All(rows, r => Assert.Equal((IfId, (ushort)0), (r.IfId, r.Vlan)));
        }

        Assert.Equal(0xAUL, hostRows.Last(r => r.Ip == A).Mac);

        // Nothing new: the next flushes carry no host rows and no traffic.
        var idle = writer.ExpectMsg<StatsRows>(Deadline);
        Assert.Empty(idle.Hosts);
        Assert.Equal((0L, 0L, 0L), (idle.Interface.Bytes, idle.Interface.Packets, idle.Interface.Flows));
    }
}
