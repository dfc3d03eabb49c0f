using Akka.Actor;
using Akka.Cluster.Sharding;
using Flowhive.Collector.State;
using Flowhive.Shared.Cluster;
using Flowhive.Shared.Cluster.Messages;

namespace Flowhive.Collector.Actors;

/// <summary>
/// One sharded entity per host (ip, VLAN, interface): a thin shell around <see cref="HostState"/>. Idle
/// hosts passivate. The alert seam lives here: checks that need a host's history will run on its updates.
/// </summary>
public sealed class HostEntityActor : ReceiveActor
{
    private readonly HostState _state;
    private readonly IHostAlertHook _alerts;

    public HostEntityActor(string entityId, TimeSpan passivateAfter, IHostAlertHook alerts)
    {
        _state = new HostState(HostKey.TryParseEntityId(entityId, out var key) ? key : throw new ArgumentException($"bad host entity id '{entityId}'"));
        _alerts = alerts;
        Context.SetReceiveTimeout(passivateAfter);

        Receive<HostTrafficDelta>(m =>
        {
            _state.Apply(m);
            _alerts.OnHostUpdated(_state);
        });
        Receive<GetHostDetails>(_ => Sender.Tell(_state.Details()));
        Receive<ReceiveTimeout>(_ => Context.Parent.Tell(new Passivate(PoisonPill.Instance)));
    }

    public static Props Props(string entityId, TimeSpan passivateAfter, IHostAlertHook alerts) =>
        Akka.Actor.Props.Create(() => new HostEntityActor(entityId, passivateAfter, alerts));
}
