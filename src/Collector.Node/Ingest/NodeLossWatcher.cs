using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using Flowhive.Collector.Configuration;

namespace Flowhive.Collector.Ingest;

/// <summary>
/// On an ingest node: when the cluster removes a state node that was downed (it died or was partitioned away, not a
/// graceful leave, whose entities saved everything as they stopped), asks every pipeline to send its recent deltas
/// again (<see cref="RecentDeltas"/>). Twice: shard regions learn of the removal on their own, and a resend that
/// reached a region before it did would go to the dead node again; duplicates cost nothing but the messages.
/// </summary>
public sealed class NodeLossWatcher : ReceiveActor, IWithTimers
{
    public static readonly TimeSpan[] ResendAfter = [TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10)];

    private readonly ILoggingAdapter _log = Context.GetLogger();

    public NodeLossWatcher(IReadOnlyList<IngestPipeline> pipelines)
    {
        Receive<ClusterEvent.CurrentClusterState>(_ => { });
        Receive<ClusterEvent.MemberRemoved>(m =>
        {
            if (m.PreviousStatus != MemberStatus.Down || !m.Member.HasRole(ClusterRoles.State))
            {
                return;
            }

            _log.Warning("state node {0} was lost: the recent flow deltas go out again in {1} and {2} s, so its hosts lose nothing it had not checkpointed",
                m.Member.Address, ResendAfter[0].TotalSeconds, ResendAfter[1].TotalSeconds);
            for (var i = 0; i < ResendAfter.Length; i++)
            {
                Timers.StartSingleTimer($"resend-{i}", Resend.Instance, ResendAfter[i]);
            }
        });
        Receive<Resend>(_ =>
        {
            foreach (var pipeline in pipelines)
            {
                pipeline.RequestResend();
            }
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IReadOnlyList<IngestPipeline> pipelines) => Akka.Actor.Props.Create(() => new NodeLossWatcher(pipelines));

    protected override void PreStart() =>
        Akka.Cluster.Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsSnapshot, typeof(ClusterEvent.MemberRemoved));

    protected override void PostStop() => Akka.Cluster.Cluster.Get(Context.System).Unsubscribe(Self);

    private sealed record Resend
    {
        public static Resend Instance { get; } = new();
    }
}
