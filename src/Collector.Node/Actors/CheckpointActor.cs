using Akka.Actor;
using Akka.Event;
using Flowhive.Collector.State;
using Flowhive.Collector.Storage;

namespace Flowhive.Collector.Actors;

/// <summary>
/// A state node's one way to the checkpoint store. Entities send it saves and loads; it runs them in rounds, one
/// at a time, each round one batched save (the latest row per key) followed by one batched load per scope, so a
/// node with a hundred thousand hosts makes a few store calls a second, not one per host. Saves before loads in a
/// round, and rounds in order, so an entity always loads what was saved before it asked. A failed round is retried
/// (after <see cref="RetryAfter"/>) with everything it held: entities wait for their state rather than start empty.
/// </summary>
public sealed class CheckpointActor : ReceiveActor, IWithTimers
{
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(1);
    private const int MaxRowsPerRound = 10_000;

    private readonly ICheckpointStore _store;
    private readonly CheckpointCounters _counters;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private Dictionary<(string Scope, string Key), Checkpoint> _saves = [];
    private List<IActorRef> _saveWaiters = [];
    private Dictionary<(string Scope, string Key), List<IActorRef>> _loads = [];
    private List<(string Scope, IActorRef Asker)> _scopeLoads = [];
    private bool _busy;

    public CheckpointActor(ICheckpointStore store, CheckpointCounters counters)
    {
        _store = store;
        _counters = counters;
        Receive<Save>(m =>
        {
            foreach (var row in m.Rows)
            {
                _saves[(row.Scope, row.Key)] = row;
            }

            if (m.Confirm)
            {
                _saveWaiters.Add(Sender);
            }

            StartRound();
        });
        Receive<Load>(m =>
        {
            if (!_loads.TryGetValue((m.Scope, m.Key), out var askers))
            {
                _loads[(m.Scope, m.Key)] = askers = [];
            }

            askers.Add(Sender);
            StartRound();
        });
        Receive<LoadScope>(m =>
        {
            _scopeLoads.Add((m.Scope, Sender));
            StartRound();
        });
        Receive<RoundDone>(OnRoundDone);
        Receive<Retry>(_ =>
        {
            _busy = false;
            StartRound();
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(ICheckpointStore store, CheckpointCounters counters) =>
        Akka.Actor.Props.Create(() => new CheckpointActor(store, counters));

    private void StartRound()
    {
        if (_busy || (_saves.Count == 0 && _loads.Count == 0 && _scopeLoads.Count == 0))
        {
            return;
        }

        // Take what is pending; what arrives meanwhile waits for the next round (and batches with its kind).
        var round = new Round(TakeSaves(), _saveWaiters, _loads, _scopeLoads);
        (_saveWaiters, _loads, _scopeLoads) = ([], [], []);
        _busy = true;
        RunAsync(round).PipeTo(Self, success: r => r, failure: e => new RoundDone(round, null, null, e));
    }

    private List<Checkpoint> TakeSaves()
    {
        if (_saves.Count <= MaxRowsPerRound)
        {
            var all = _saves.Values.ToList();
            _saves = [];
            return all;
        }

        var some = _saves.Take(MaxRowsPerRound).ToList();
        foreach (var (key, _) in some)
        {
            _saves.Remove(key);
        }

        return [.. some.Select(p => p.Value)];
    }

    private async Task<RoundDone> RunAsync(Round round)
    {
        await _store.SaveCheckpointsAsync(round.Saves, CancellationToken.None).ConfigureAwait(false);
        var loaded = new Dictionary<(string, string), Checkpoint>();
        foreach (var scope in round.Loads.Keys.GroupBy(k => k.Scope, StringComparer.Ordinal))
        {
            foreach (var chunk in scope.Select(k => k.Key).Chunk(MaxRowsPerRound))
            {
                foreach (var row in await _store.LoadCheckpointsAsync(scope.Key, chunk, CancellationToken.None).ConfigureAwait(false))
                {
                    loaded[(row.Scope, row.Key)] = row;
                }
            }
        }

        var scopes = new Dictionary<string, IReadOnlyList<Checkpoint>>(StringComparer.Ordinal);
        foreach (var (scope, _) in round.ScopeLoads)
        {
            if (!scopes.ContainsKey(scope))
            {
                scopes[scope] = await _store.LoadCheckpointScopeAsync(scope, CancellationToken.None).ConfigureAwait(false);
            }
        }

        return new RoundDone(round, loaded, scopes, null);
    }

    private void OnRoundDone(RoundDone done)
    {
        var round = done.Round;
        if (done.Failure is not null)
        {
            Interlocked.Increment(ref _counters.StoreFailures);
            _log.Warning("checkpoint store: {0}; retrying in {1} s ({2} rows to save, {3} to load)", done.Failure.GetBaseException().Message,
                RetryAfter.TotalSeconds, round.Saves.Count, round.Loads.Count + round.ScopeLoads.Count);

            // Put the round back under what came since: a newer save of the same key wins over the failed one.
            foreach (var row in round.Saves)
            {
                _saves.TryAdd((row.Scope, row.Key), row);
            }

            _saveWaiters.AddRange(round.SaveWaiters);
            foreach (var (key, askers) in round.Loads)
            {
                if (_loads.TryGetValue(key, out var later))
                {
                    later.AddRange(askers);
                }
                else
                {
                    _loads[key] = askers;
                }
            }

            _scopeLoads.AddRange(round.ScopeLoads);
            Timers.StartSingleTimer("retry", Retry.Instance, RetryAfter);
            return;
        }

        Interlocked.Add(ref _counters.Saved, round.Saves.Count);
        foreach (var waiter in round.SaveWaiters)
        {
            waiter.Tell(Saved.Instance);
        }

        foreach (var (key, askers) in round.Loads)
        {
            var row = done.Loaded!.GetValueOrDefault(key);
            foreach (var asker in askers)
            {
                asker.Tell(new Loaded(key.Scope, key.Key, row));
            }
        }

        foreach (var (scope, asker) in round.ScopeLoads)
        {
            asker.Tell(new ScopeLoaded(scope, done.Scopes![scope]));
        }

        _busy = false;
        StartRound();
    }

    /// <summary>Rows to keep; with <paramref name="Confirm"/> the sender gets <see cref="Saved"/> once they are in the store.</summary>
    public sealed record Save(IReadOnlyList<Checkpoint> Rows, bool Confirm) : INoSerializationVerificationNeeded;

    public sealed record Saved : INoSerializationVerificationNeeded
    {
        public static Saved Instance { get; } = new();
    }

    /// <summary>Answered by <see cref="Loaded"/>.</summary>
    public sealed record Load(string Scope, string Key) : INoSerializationVerificationNeeded;

    /// <summary><paramref name="Row"/> is null when nothing was saved under the key.</summary>
    public sealed record Loaded(string Scope, string Key, Checkpoint? Row) : INoSerializationVerificationNeeded;

    /// <summary>Answered by <see cref="ScopeLoaded"/>.</summary>
    public sealed record LoadScope(string Scope) : INoSerializationVerificationNeeded;

    public sealed record ScopeLoaded(string Scope, IReadOnlyList<Checkpoint> Rows) : INoSerializationVerificationNeeded;

    /// <summary>
    /// The entities' stop message (hand-off, passivation): save what is not saved yet, wait for the store to have it,
    /// then stop, so the node that takes the entity over loads its latest state.
    /// </summary>
    public sealed record SaveAndStop : INoSerializationVerificationNeeded
    {
        public static SaveAndStop Instance { get; } = new();
    }

    private sealed record Round(List<Checkpoint> Saves, List<IActorRef> SaveWaiters, Dictionary<(string Scope, string Key), List<IActorRef>> Loads,
        List<(string Scope, IActorRef Asker)> ScopeLoads);

    private sealed record RoundDone(Round Round, Dictionary<(string, string), Checkpoint>? Loaded, Dictionary<string, IReadOnlyList<Checkpoint>>? Scopes, Exception? Failure)
        : INoSerializationVerificationNeeded;

    private sealed record Retry : INoSerializationVerificationNeeded
    {
        public static Retry Instance { get; } = new();
    }
}
