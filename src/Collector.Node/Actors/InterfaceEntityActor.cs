using Akka.Actor;
using Akka.Event;
using Flowhive.Collector.State;
using Flowhive.Shared.Cluster.Messages;
using Flowhive.Shared.Cluster.Sharding;

namespace Flowhive.Collector.Actors;

/// <summary>
/// One sharded entity per interface: totals, throughput, the host index and active flows
/// (<see cref="InterfaceState"/>). Every flush interval it hands the minute's rows to the node's stats writer.
/// </summary>
public sealed class InterfaceEntityActor : ReceiveActor, IWithTimers, IWithUnboundedStash
{
    private static readonly TimeSpan TickInterval = TimeSpan.FromSeconds(1);
    private readonly InterfaceState _state;
    private readonly IActorRef _writer;
    private readonly TimeSpan _flushInterval;
    private readonly TimeProvider _time;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Checkpointing? _checkpointing;
    private CheckpointActor.Loaded? _savedTotals;
    private CheckpointActor.ScopeLoaded? _savedHosts;

    public InterfaceEntityActor(string entityId, IActorRef writer, TimeSpan flushInterval, TimeSpan activeFlowTimeout, TimeProvider time,
        Checkpointing? checkpointing = null)
    {
        if (!FlowhiveMessageExtractor.TryParseInterfaceEntityId(entityId, out var ifId))
        {
            throw new ArgumentException($"bad interface entity id '{entityId}'");
        }

        _state = new InterfaceState(ifId, activeFlowTimeout);
        _writer = writer;
        _flushInterval = flushInterval;
        _time = time;
        _checkpointing = checkpointing;
        if (checkpointing is null)
        {
            Running();
            return;
        }

        // Loading: the totals row and the host index, then the messages that waited.
        checkpointing.Store.Tell(new CheckpointActor.Load(InterfaceCheckpoint.Scope, InterfaceCheckpoint.Key(ifId)));
        checkpointing.Store.Tell(new CheckpointActor.LoadScope(InterfaceCheckpoint.HostsScope(ifId)));
        Receive<CheckpointActor.Loaded>(m =>
        {
            _savedTotals = m;
            TryRestore();
        });
        Receive<CheckpointActor.ScopeLoaded>(m =>
        {
            _savedHosts = m;
            TryRestore();
        });
        ReceiveAny(_ => Stash.Stash());
    }

    public IStash Stash { get; set; } = null!;

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(string entityId, IActorRef writer, TimeSpan flushInterval, TimeSpan activeFlowTimeout, TimeProvider time,
        Checkpointing? checkpointing = null) =>
        Akka.Actor.Props.Create(() => new InterfaceEntityActor(entityId, writer, flushInterval, activeFlowTimeout, time, checkpointing));

    protected override void PreStart()
    {
        Timers.StartPeriodicTimer("tick", Tick.Instance, TickInterval);
        Timers.StartPeriodicTimer("flush", FlushTick.Instance, _flushInterval);
        if (_checkpointing is not null)
        {
            Timers.StartPeriodicTimer("checkpoint", SaveTick.Instance, _checkpointing.Interval);
        }

        _log.Info("interface {0} entity started", _state.IfId);
    }

    private void Running()
    {
        Receive<InterfaceTrafficDelta>(m =>
        {
            if (_state.Apply(m, NowUs()) == StampVerdict.Duplicate)
            {
                if (_checkpointing is not null)
                {
                    Interlocked.Increment(ref _checkpointing.Counters.DuplicatesSkipped);
                }

            }
        });
        Receive<GetInterfaceSummary>(_ => Sender.Tell(_state.Summary(NowUs())));
        Receive<GetHosts>(m => Sender.Tell(_state.Hosts(m)));
        Receive<GetActiveFlows>(m => Sender.Tell(_state.Flows(m)));
        Receive<Tick>(_ => _state.Tick(NowUs()));
        Receive<FlushTick>(_ => Flush());
        Receive<SaveTick>(_ => _checkpointing!.Store.Tell(new CheckpointActor.Save(_state.TakeCheckpoint(), Confirm: false)));
        Receive<CheckpointActor.SaveAndStop>(_ =>
        {
            if (_checkpointing is null)
            {
                Context.Stop(Self);
                return;
            }

            _checkpointing.Store.Tell(new CheckpointActor.Save(_state.TakeCheckpoint(), Confirm: true));
            Timers.StartSingleTimer("give-up", SaveTimedOut.Instance, Checkpointing.FinalSaveTimeout);
            Become(() =>
            {
                Receive<CheckpointActor.Saved>(_ => Context.Stop(Self));
                Receive<SaveTimedOut>(_ =>
                {
                    _log.Warning("interface {0}: the store did not confirm the last checkpoint within {1} s; stopping anyway", _state.IfId,
                        Checkpointing.FinalSaveTimeout.TotalSeconds);
                    Context.Stop(Self);
                });
                ReceiveAny(_ => Stash.Stash());
            });
        });
    }

    private void TryRestore()
    {
        if (_savedTotals is null || _savedHosts is null)
        {
            return;
        }

        var corrupt = _state.Restore(_savedTotals.Row, _savedHosts.Rows);
        if (_savedTotals.Row is not null || _savedHosts.Rows.Count > 0)
        {
            Interlocked.Increment(ref _checkpointing!.Counters.InterfacesRestored);
            _log.Info("interface {0}: restored from its checkpoint ({1} bytes, {2} hosts)", _state.IfId, _state.Bytes, _state.HostCount);
        }

        if (corrupt > 0)
        {
            Interlocked.Add(ref _checkpointing!.Counters.Corrupt, corrupt);
            _log.Warning("interface {0}: {1} checkpoint rows did not decode and were dropped", _state.IfId, corrupt);
        }

        (_savedTotals, _savedHosts) = (null, null);
        Become(Running);
        Stash.UnstashAll();
    }

    /// <summary>Hand-off, passivation or shutdown: the pending rows still go to the writer (which drains before the node stops).</summary>
    protected override void PostStop() => Flush();

    private void Flush()
    {
        var now = _time.GetUtcNow();
        var minute = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero);
        var (row, hosts) = _state.TakeStatsRows(minute);
        if (hosts.Count <= StatsRows.MaxHostsPerMessage)
        {
            _writer.Tell(new StatsRows(row, hosts));
            return;
        }

        // The writer may be on another node: keep each message under the remoting frame limit. Interface
        // counters are deltas and its gauges are maxima, so the later chunks carry zero deltas and the same gauges.
        for (var start = 0; start < hosts.Count; start += StatsRows.MaxHostsPerMessage)
        {
            var chunk = hosts.Skip(start).Take(StatsRows.MaxHostsPerMessage).ToArray();
            _writer.Tell(new StatsRows(start == 0 ? row : row with { Bytes = 0, Packets = 0, Flows = 0 }, chunk));
        }
    }

    private long NowUs() => _time.GetUtcNow().ToUnixTimeMilliseconds() * 1000;

    private sealed record Tick
    {
        public static Tick Instance { get; } = new();
    }

    private sealed record FlushTick
    {
        public static FlushTick Instance { get; } = new();
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
