using Akka.Actor;
using Akka.Cluster.Sharding;
using Flowhive.Collector.Actors;
using Flowhive.Collector.Node.Tests.Support;
using Flowhive.Shared.Cluster;
using Flowhive.Shared.Cluster.Messages;
using Flowhive.Shared.Cluster.Sharding;
using Flowhive.Shared.Net;
using Xunit.Abstractions;

namespace Flowhive.Collector.Node.Tests.Cluster;

/// <summary>
/// One collector node in-process: the cluster provider on 127.0.0.1, port 0, joined to itself, with the host and
/// interface shard regions set up as <c>ClusterSetup</c> sets them up (DData coordinator state, remember-entities
/// off, no idle passivation by sharding). Deltas go in and queries come back through the regions.
/// </summary>
[Collection(OneNodeClusterCollection.Name)]
public sealed class OneNodeClusterTests(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(Config, output: output)
{
    private const string Config = FlowhiveSerialization.Binding + """

        akka {
          loglevel = INFO
          actor.provider = cluster
          remote.dot-netty.tcp {
            hostname = "127.0.0.1"
            port = 0
          }
          cluster.sharding {
            state-store-mode = ddata
            remember-entities = off
            passivate-idle-entity-after = off
          }
        }
        """;

    private const int IfId = 1;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private async Task<(IActorRef Hosts, IActorRef Interfaces)> StartNodeAsync(IActorRef writer)
    {
        var cluster = Akka.Cluster.Cluster.Get(Sys);
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        cluster.RegisterOnMemberUp(() => up.TrySetResult());
        cluster.Join(cluster.SelfAddress);
        await up.Task.WaitAsync(Deadline);

        var sharding = ClusterSharding.Get(Sys);
        var settings = ClusterShardingSettings.Create(Sys).WithStateStoreMode(StateStoreMode.DData).WithRememberEntities(false);
        var hosts = await sharding.StartAsync("host", entityId => HostEntityActor.Props(entityId, TimeSpan.FromHours(1), NoHostAlerts.Instance),
            settings, new FlowhiveMessageExtractor());
        var interfaces = await sharding.StartAsync("interface",
            entityId => InterfaceEntityActor.Props(entityId, writer, TimeSpan.FromMilliseconds(300), TimeSpan.FromMinutes(5), TimeProvider.System),
            settings, new FlowhiveMessageExtractor());
        return (hosts, interfaces);
    }

    [Fact]
    public async Task Deltas_and_queries_go_through_the_shard_regions()
    {
        var writer = CreateTestProbe();
        var (hosts, interfaces) = await StartNodeAsync(writer);
        var client = new HostKey(IfId, 0, IpAddr.Parse("192.168.1.1"));
        var server = new HostKey(IfId, 0, IpAddr.Parse("198.51.100.9"));
        var otherInterface = new HostKey(IfId + 1, 0, client.Ip);
        var toServer = new HostCounters(1_200, 8_000, 10, 12, 1, 0);
        var more = new HostCounters(300, 100, 2, 1, 0, 0);
        var t = Flows.T0;

        hosts.Tell(new HostTrafficDelta(client, 0xC, t, t + 1_000, toServer));
        hosts.Tell(new HostTrafficDelta(client, 0, t + 2_000, t + 3_000, more));
        hosts.Tell(new HostTrafficDelta(server, 0x5, t, t + 1_000, new HostCounters(8_000, 1_200, 12, 10, 0, 1)));
        hosts.Tell(new HostTrafficDelta(otherInterface, 0xC, t, t + 1_000, more));
        var flow = new ActiveFlow(client.Ip, 40000, server.Ip, 443, 6, 0, 1_500, 8_100, 12, 13, t, t + 3_000, 91, 0, "www.example.org");
        interfaces.Tell(new InterfaceTrafficDelta(IfId, "eth1", 9_600, 25, 1,
            [
                new HostIndexDelta(0, client.Ip, 0xC, t, t + 3_000, toServer + more),
                new HostIndexDelta(0, server.Ip, 0x5, t, t + 1_000, new HostCounters(8_100, 1_500, 13, 12, 0, 1)),
            ],
            [flow]));

        var clientDetails = await hosts.Ask<HostDetails>(new GetHostDetails(client), Deadline);
        Assert.Equal(new HostDetails(client, 0xC, toServer + more, t, t + 3_000, Known: true), clientDetails);
        var serverDetails = await hosts.Ask<HostDetails>(new GetHostDetails(server), Deadline);
        Assert.Equal(new HostCounters(8_000, 1_200, 12, 10, 0, 1), serverDetails.Totals);
        var elsewhere = await hosts.Ask<HostDetails>(new GetHostDetails(otherInterface), Deadline);
        Assert.Equal(more, elsewhere.Totals); // same address on another interface: another entity
        var unknown = await hosts.Ask<HostDetails>(new GetHostDetails(new HostKey(IfId, 7, client.Ip)), Deadline);
        Assert.False(unknown.Known);

        var summary = await interfaces.Ask<InterfaceSummary>(new GetInterfaceSummary(IfId), Deadline);
        Assert.Equal((IfId, "eth1", 9_600L, 25L, 1L, 2, 1), (summary.IfId, summary.IfName, summary.Bytes, summary.Packets, summary.FlowsSeen, summary.Hosts, summary.ActiveFlows));
        var page = await interfaces.Ask<HostPage>(new GetHosts(IfId, HostSortColumn.BytesSent, Descending: true, 0, 10), Deadline);
        Assert.Equal(new[] { server, client }, page.Hosts.Select(h => h.Host));
        var flows = await interfaces.Ask<FlowPage>(new GetActiveFlows(IfId, 0, 10, client), Deadline);
        Assert.Equal(flow, Assert.Single(flows.Flows));

        // The interface entity's flush reaches the node's writer with the host rows of this window.
        var rows = new List<HostMinuteRow>();
        writer.FishForMessage<StatsRows>(w =>
        {
            rows.AddRange(w.Hosts);
            return rows.Count >= 2;
        }, Deadline);
        Assert.Equal(toServer.BytesSent + more.BytesSent, rows.Single(r => r.Ip == client.Ip).BytesSent);
        Assert.Equal(8_100, rows.Single(r => r.Ip == server.Ip).BytesSent);
    }
}
