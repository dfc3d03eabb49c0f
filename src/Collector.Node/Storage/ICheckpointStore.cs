namespace Flowhive.Collector.Storage;

/// <summary>
/// Where state entities keep their checkpoints, so that a host or interface whose node died comes back on
/// another node with its totals. A save replaces what the key held (the latest checkpoint wins); checkpoints are
/// whole states, never deltas, so saving one twice is harmless. Every node that hosts entities must reach the
/// same store for the state to move between nodes: PostgreSQL in a cluster, the SQLite file for one machine.
/// Implementations are safe to call from several threads.
/// </summary>
public interface ICheckpointStore
{
    /// <summary>Saves a batch in one transaction. Keys must not repeat inside a batch.</summary>
    Task SaveCheckpointsAsync(IReadOnlyList<Checkpoint> checkpoints, CancellationToken ct);

    /// <summary>The checkpoints of these keys in one scope that exist (in no particular order).</summary>
    Task<IReadOnlyList<Checkpoint>> LoadCheckpointsAsync(string scope, IReadOnlyList<string> keys, CancellationToken ct);

    /// <summary>Every checkpoint of a scope (an interface's host index).</summary>
    Task<IReadOnlyList<Checkpoint>> LoadCheckpointScopeAsync(string scope, CancellationToken ct);
}
