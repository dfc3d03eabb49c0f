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
public sealed class InterfaceEntityActor : ReceiveActor, IWithTimers
{
    private static readonly TimeSpan TickInterval = TimeSpan.FromSeconds(1);
    private readonly InterfaceState _state;
    private readonly IActorRef _writer;
    private readonly TimeSpan _flushInterval;
    private readonly TimeProvider _time;
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public InterfaceEntityActor(string entityId, IActorRef writer, TimeSpan flushInterval, TimeSpan activeFlowTimeout, TimeProvider time)
    {
        if (!FlowhiveMessageExtractor.TryParseInterfaceEntityId(entityId, out var ifId))
        {
            throw new ArgumentException($"bad interface entity id '{entityId}'");
        }

        _state = new InterfaceState(ifId, activeFlowTimeout);
        _writer = writer;
        _flushInterval = flushInterval;
        _time = time;

        Receive<InterfaceTrafficDelta>(m => _state.Apply(m, NowUs()));
        Receive<GetInterfaceSummary>(_ => Sender.Tell(_state.Summary(NowUs())));
        Receive<GetHosts>(m => Sender.Tell(_state.Hosts(m)));
        Receive<GetActiveFlows>(m => Sender.Tell(_state.Flows(m)));
        Receive<Tick>(_ => _state.Tick(NowUs()));
        Receive<FlushTick>(_ => Flush());
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(string entityId, IActorRef writer, TimeSpan flushInterval, TimeSpan activeFlowTimeout, TimeProvider time) =>
        Akka.Actor.Props.Create(() => new InterfaceEntityActor(entityId, writer, flushInterval, activeFlowTimeout, time));

    protected override void PreStart()
    {
        Timers.StartPeriodicTimer("tick", Tick.Instance, TickInterval);
        Timers.StartPeriodicTimer("flush", FlushTick.Instance, _flushInterval);
        _log.Info("interface {0} entity started", _state.IfId);
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
}
