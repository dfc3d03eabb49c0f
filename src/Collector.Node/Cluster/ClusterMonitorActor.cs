using Akka.Actor;
using Akka.Cluster;
using Akka.Event;

namespace Flowhive.Collector.Cluster;

/// <summary>
/// Says in the log what the cluster does: this node joining (and, while it cannot, which seeds it keeps trying,
/// so a seed list that points nowhere is a clear repeating warning rather than a silent hang), members coming,
/// becoming unreachable, leaving and being removed.
/// </summary>
public sealed class ClusterMonitorActor : ReceiveActor, IWithTimers
{
    /// <summary>How often a node that has not joined yet repeats its warning.</summary>
    public static readonly TimeSpan JoinWarningInterval = TimeSpan.FromSeconds(10);

    private readonly Akka.Cluster.Cluster _cluster = Akka.Cluster.Cluster.Get(Context.System);
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly IReadOnlyList<string> _seeds;
    private readonly DateTime _startedAt = DateTime.UtcNow;

    public ClusterMonitorActor(IReadOnlyList<string> seeds)
    {
        _seeds = seeds;
        Receive<NotJoinedYet>(_ =>
        {
            if (_cluster.SelfMember.Status is MemberStatus.Joining or MemberStatus.Up or MemberStatus.WeaklyUp)
            {
                return;
            }

            _log.Warning("not in the cluster after {0:F0} s: no seed node of [{1}] answered; still trying (check --seed-nodes and that port {2} is reachable)",
                (DateTime.UtcNow - _startedAt).TotalSeconds, string.Join(", ", _seeds), _cluster.SelfAddress.Port);
        });
        Receive<ClusterEvent.MemberUp>(m =>
        {
            if (m.Member.Address == _cluster.SelfAddress)
            {
                Timers.Cancel("join");
                _log.Info("joined the cluster as {0} with roles [{1}]", m.Member.Address, string.Join(",", m.Member.Roles));
            }
            else
            {
                _log.Info("member up: {0} [{1}]", m.Member.Address, string.Join(",", m.Member.Roles));
            }
        });
        Receive<ClusterEvent.UnreachableMember>(m => _log.Warning("member unreachable: {0} [{1}]", m.Member.Address, string.Join(",", m.Member.Roles)));
        Receive<ClusterEvent.ReachableMember>(m => _log.Info("member reachable again: {0}", m.Member.Address));
        Receive<ClusterEvent.MemberLeft>(m => _log.Info("member leaving: {0}", m.Member.Address));
        Receive<ClusterEvent.MemberRemoved>(m => _log.Info("member removed: {0} (was {1})", m.Member.Address, m.PreviousStatus));
        Receive<ClusterEvent.IClusterDomainEvent>(_ => { });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IReadOnlyList<string> seeds) => Akka.Actor.Props.Create(() => new ClusterMonitorActor(seeds));

    protected override void PreStart()
    {
        _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents,
            typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.IReachabilityEvent));
        if (_seeds.Count > 0)
        {
            Timers.StartPeriodicTimer("join", NotJoinedYet.Instance, JoinWarningInterval);
        }
    }

    protected override void PostStop() => _cluster.Unsubscribe(Self);

    private sealed record NotJoinedYet
    {
        public static NotJoinedYet Instance { get; } = new();
    }
}
