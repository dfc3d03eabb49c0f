using Akka.Actor;
using Akka.Event;
using Flowhive.Collector.Storage;
using Flowhive.Shared.Cluster.Messages;

namespace Flowhive.Collector.Actors;

/// <summary>
/// The node's store writer: interface entities hand it their minute rows; it merges whatever arrived while
/// a write was running into the next batch, so the store sees one transaction per flush, not one per entity.
/// A failed write is retried with backoff; rows waiting beyond a bound are dropped and counted, never
/// silently (a spool to disk comes with the storage work).
/// </summary>
public sealed class StatsWriterActor : ReceiveActor, IWithTimers
{
    /// <summary>Rows kept while the store is failing before the oldest are dropped.</summary>
    public const int MaxPendingRows = 2_000_000;

    private readonly IStatsStore _store;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private List<InterfaceMinuteRow> _interfaces = [];
    private List<HostMinuteRow> _hosts = [];
    private StatsBatch? _inFlight;
    private int _failures;
    private readonly List<IActorRef> _drainWaiters = [];

    public StatsWriterActor(IStatsStore store)
    {
        _store = store;
        Receive<StatsRows>(m =>
        {
            _interfaces.Add(m.Interface);
            _hosts.AddRange(m.Hosts);
            EnforceBound();
            StartWrite();
        });
        Receive<WriteCompleted>(_ =>
        {
            _inFlight = null;
            _failures = 0;
            StartWrite();
            NotifyDrainedIfIdle();
        });
        Receive<WriteFailed>(m =>
        {
            _failures++;
            _log.Error("stats write failed ({0} in a row), retrying: {1}", _failures, m.Error.Message);
            // Put the batch back in front of anything newer, and retry after a backoff (1 s doubling to 60 s).
            _interfaces.InsertRange(0, m.Batch.Interfaces);
            _hosts.InsertRange(0, m.Batch.Hosts);
            _inFlight = null;
            EnforceBound();
            Timers.StartSingleTimer("retry", Retry.Instance, TimeSpan.FromSeconds(Math.Min(60, Math.Pow(2, Math.Min(_failures - 1, 6)))));
        });
        Receive<Retry>(_ => StartWrite());
        Receive<Drain>(_ =>
        {
            _drainWaiters.Add(Sender);
            StartWrite();
            NotifyDrainedIfIdle();
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public long DroppedRows { get; private set; }

    public static Props Props(IStatsStore store) => Akka.Actor.Props.Create(() => new StatsWriterActor(store));

    private void StartWrite()
    {
        if (_inFlight is not null || (_interfaces.Count == 0 && _hosts.Count == 0) || Timers.IsTimerActive("retry"))
        {
            return;
        }

        var batch = _inFlight = new StatsBatch(_interfaces, _hosts);
        _interfaces = [];
        _hosts = [];
        _store.WriteAsync(batch, CancellationToken.None).PipeTo(Self,
            success: () => WriteCompleted.Instance,
            failure: e => new WriteFailed(batch, e));
    }

    private void NotifyDrainedIfIdle()
    {
        if (_inFlight is null && _interfaces.Count == 0 && _hosts.Count == 0)
        {
            foreach (var waiter in _drainWaiters)
            {
                waiter.Tell(Drained.Instance);
            }

            _drainWaiters.Clear();
        }
    }

    private void EnforceBound()
    {
        var excess = _hosts.Count - MaxPendingRows;
        if (excess > 0)
        {
            _hosts.RemoveRange(0, excess);
            DroppedRows += excess;
            _log.Error("store unavailable: dropped {0} host rows (total dropped {1})", excess, DroppedRows);
        }
    }

    /// <summary>Answer <see cref="Drained"/> once everything received so far is in the store (shutdown).</summary>
    public sealed record Drain : INoSerializationVerificationNeeded
    {
        public static Drain Instance { get; } = new();
    }

    public sealed record Drained : INoSerializationVerificationNeeded
    {
        public static Drained Instance { get; } = new();
    }

    private sealed record WriteCompleted
    {
        public static WriteCompleted Instance { get; } = new();
    }

    private sealed record WriteFailed(StatsBatch Batch, Exception Error);

    private sealed record Retry
    {
        public static Retry Instance { get; } = new();
    }
}
