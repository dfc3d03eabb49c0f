namespace Flowhive.Collector.Storage;

/// <summary>
/// Where the collector keeps its per-minute statistics. Rows carry counter deltas: writing a key that is
/// already stored adds the counters and keeps the larger gauge, so a writer never needs to read first.
/// Implementations are safe to call from several threads.
/// </summary>
public interface IStatsStore : IAsyncDisposable
{
    /// <summary>What runs, for the start-up log line: "sqlite (/var/lib/flowhive/flowhive.db)", "postgresql 15.x with TimescaleDB 2.y (hypertables)", "postgresql 15.x (plain tables; TimescaleDB not installed)".</summary>
    string Description { get; }

    /// <summary>Creates or upgrades the schema (versioned, idempotent; safe when several collectors start at once).</summary>
    /// <exception cref="StatsStoreException">The store cannot be opened or reached.</exception>
    Task InitializeAsync(CancellationToken ct);

    /// <summary>
    /// Adds a batch in one transaction. Each row's <c>Minute</c> is truncated to the UTC minute; rows with the
    /// same key, in this batch or already stored, add their counters and keep the maximum gauges.
    /// </summary>
    Task WriteAsync(StatsBatch batch, CancellationToken ct);

    /// <summary>All-time sums per (vlan, ip) on one interface, ordered by vlan then address.</summary>
    Task<IReadOnlyList<HostTotals>> GetHostTotalsAsync(int ifId, CancellationToken ct);

    /// <summary>The interface's minutes in the half-open range [<paramref name="from"/>, <paramref name="to"/>), ordered by minute.</summary>
    Task<IReadOnlyList<InterfacePoint>> GetInterfaceSeriesAsync(int ifId, DateTimeOffset from, DateTimeOffset to, CancellationToken ct);
}
