using Akka.Actor;
using Akka.Cluster.Sharding;
using Flowhive.Collector.Actors;
using Flowhive.Collector.Node.Tests.Support;
using Flowhive.Collector.State;
using Flowhive.Shared.Cluster;
using Flowhive.Shared.Cluster.Messages;
using Flowhive.Shared.Cluster.Serialization;
using Flowhive.Shared.Net;
using Xunit.Abstractions;

namespace Flowhive.Collector.Node.Tests.Actors;

/// <summary>The host entity in an actor system that serializes every message (as if each crossed a node).</summary>
public sealed class HostEntityActorTests(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(FlowhiveSerialization.Verified, output: output)
{
    private const string EntityId = "0|0|192.168.1.1";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private static readonly HostKey Key = new(0, 0, IpAddr.Parse("192.168.1.1"));

    /// <summary>A real hook that keeps what it was shown: the host's totals after each update.</summary>
    private sealed class RecordingAlertHook : IHostAlertHook
    {
        private readonly List<HostCounters> _seen = [];

        public IReadOnlyList<HostCounters> Seen
        {
            get
            {
                lock (_seen)
                {
                    return [.. _seen];
                }
            }
        }

        public void OnHostUpdated(HostState host)
        {
            lock (_seen)
            {
                _seen.Add(host.Totals);
            }
        }
    }

    [Fact]
    public void This_suite_sends_every_message_through_the_cluster_serializer()
    {
        Assert.True(Sys.Settings.SerializeAllMessages);
        Assert.IsType<FlowhiveSerializer>(Sys.Serialization.FindSerializerFor(new GetHostDetails(Key)));
        Assert.IsType<FlowhiveSerializer>(Sys.Serialization.FindSerializerFor(new HostDetails(Key, 0, default, 0, 0, false)));
    }

    [Fact]
    public void Deltas_add_up_in_the_details_and_each_update_reaches_the_alert_hook()
    {
        var hook = new RecordingAlertHook();
        var entity = Sys.ActorOf(HostEntityActor.Props(EntityId, TimeSpan.FromHours(1), hook));
        var first = new HostTrafficDelta(Key, 0x0011_2233_4455, Flows.T0 + 5_000, Flows.T0 + 9_000, new HostCounters(100, 2_000, 2, 3, 1, 0));
        var second = new HostTrafficDelta(Key, 0, Flows.T0, Flows.T0 + 7_000, new HostCounters(50, 0, 1, 0, 0, 4));

        entity.Tell(first);
        entity.Tell(second);
        entity.Tell(new GetHostDetails(Key));

        var details = ExpectMsg<HostDetails>(Deadline);
        Assert.Equal(new HostDetails(Key, first.Mac, first.Delta + second.Delta, second.FirstSeenUs, first.LastSeenUs, Known: true), details);
        Assert.Equal([first.Delta, first.Delta + second.Delta], hook.Seen);
    }

    [Fact]
    public void A_host_nobody_reported_answers_unknown()
    {
        var entity = Sys.ActorOf(HostEntityActor.Props(EntityId, TimeSpan.FromHours(1), NoHostAlerts.Instance));

        entity.Tell(new GetHostDetails(Key));

        Assert.Equal(new HostDetails(Key, 0, default, 0, 0, Known: false), ExpectMsg<HostDetails>(Deadline));
    }

    [Fact]
    public void An_idle_host_asks_its_shard_to_passivate_it()
    {
        var shard = CreateTestProbe();
        shard.ChildActorOf(HostEntityActor.Props(EntityId, TimeSpan.FromMilliseconds(200), NoHostAlerts.Instance));

        var passivate = shard.ExpectMsg<Passivate>(Deadline);

        // By type: serialize-messages sent Passivate through a serializer and back, so the instance is a copy.
        Assert.IsType<PoisonPill>(passivate.StopMessage);
    }
}
