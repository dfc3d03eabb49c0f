using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Event;
using Flowhive.Collector.State;
using Flowhive.Collector.Storage;
using Flowhive.Shared.Cluster;
using Flowhive.Shared.Cluster.Messages;

namespace Flowhive.Collector.Actors;

/// <summary>
/// One sharded entity per host (ip, VLAN, interface): a thin shell around <see cref="HostState"/>. With
/// checkpointing it starts by loading its last checkpoint (messages wait meanwhile), saves at most once per interval
/// while it changes, and saves before it stops (hand-off, passivation), so the host keeps its totals when it
/// moves to another node or its node dies. Idle hosts passivate. The alert seam lives here.
/// </summary>
public sealed class HostEntityActor : ReceiveActor, IWithUnboundedStash, IWithTimers
{
    private readonly string _entityId;
    private readonly IHostAlertHook _alerts;
    private readonly Checkpointing? _checkpointing;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private HostState _state;
    private bool _unsaved;

    public HostEntityActor(string entityId, TimeSpan passivateAfter, IHostAlertHook alerts, Checkpointing? checkpointing = null)
    {
        _entityId = entityId;
        _state = new HostState(HostKey.TryParseEntityId(entityId, out var key) ? key : throw new ArgumentException($"bad host entity id '{entityId}'"));
        _alerts = alerts;
        _checkpointing = checkpointing;
        Context.SetReceiveTimeout(passivateAfter);
        if (checkpointing is null)
        {
            Running();
            return;
        }

        checkpointing.Store.Tell(new CheckpointActor.Load(HostCheckpoint.Scope, entityId));
        Receive<CheckpointActor.Loaded>(Restore);
        ReceiveAny(_ => Stash.Stash());
    }

    public IStash Stash { get; set; } = null!;

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(string entityId, TimeSpan passivateAfter, IHostAlertHook alerts, Checkpointing? checkpointing = null) =>
        Akka.Actor.Props.Create(() => new HostEntityActor(entityId, passivateAfter, alerts, checkpointing));

    private void Restore(CheckpointActor.Loaded loaded)
    {
        if (loaded.Row is { } row)
        {
            try
            {
                _state = HostCheckpoint.Read(_state.Key, row.State);
                Interlocked.Increment(ref _checkpointing!.Counters.HostsRestored);
            }
            catch (InvalidDataException e)
            {
                Interlocked.Increment(ref _checkpointing!.Counters.Corrupt);
                _log.Warning("host {0}: checkpoint dropped ({1}); the host starts over", _entityId, e.Message);
            }
        }

        Become(Running);
        Stash.UnstashAll();
    }

    private void Running()
    {
        Receive<HostTrafficDelta>(m =>
        {
            if (_state.Apply(m) == StampVerdict.Duplicate)
            {
                if (_checkpointing is not null)
                {
                    Interlocked.Increment(ref _checkpointing.Counters.DuplicatesSkipped);
                }

                return;
            }

            _alerts.OnHostUpdated(_state);
            if (_checkpointing is not null && !_unsaved)
            {
                _unsaved = true;
                Timers.StartSingleTimer("checkpoint", SaveTick.Instance, _checkpointing.Interval);
            }
        });
        Receive<GetHostDetails>(_ => Sender.Tell(_state.Details()));
        Receive<SaveTick>(_ => Save(confirm: false));
        Receive<ReceiveTimeout>(_ => Context.Parent.Tell(new Passivate(_checkpointing is null ? PoisonPill.Instance : CheckpointActor.SaveAndStop.Instance)));
        Receive<CheckpointActor.SaveAndStop>(_ =>
        {
            if (!_unsaved)
            {
                Context.Stop(Self);
                return;
            }

            Save(confirm: true);
            Timers.StartSingleTimer("give-up", SaveTimedOut.Instance, Checkpointing.FinalSaveTimeout);
            Become(() =>
            {
                Receive<CheckpointActor.Saved>(_ => Context.Stop(Self));
                Receive<SaveTimedOut>(_ =>
                {
                    _log.Warning("host {0}: the store did not confirm the last checkpoint within {1} s; stopping anyway", _entityId,
                        Checkpointing.FinalSaveTimeout.TotalSeconds);
                    Context.Stop(Self);
                });
                // The shard holds further messages until this entity has stopped; anything else is late and the
                // next incarnation (which loads the checkpoint) is who should see it.
                ReceiveAny(_ => Stash.Stash());
            });
        });
    }

    private void Save(bool confirm)
    {
        Timers.Cancel("checkpoint");
        _unsaved = false;
        _checkpointing!.Store.Tell(new CheckpointActor.Save([new Checkpoint(HostCheckpoint.Scope, _entityId, HostCheckpoint.Write(_state))], confirm));
    }

    private sealed record SaveTick
    {
        public static SaveTick Instance { get; } = new();
    }

    private sealed record SaveTimedOut
    {
        public static SaveTimedOut Instance { get; } = new();
    }
}
