using System.Diagnostics;
using Flowhive.Collector.Storage;

namespace Flowhive.Collector.Node.Tests.Support;

/// <summary>
/// A store that is down for its first <paramref name="failures"/> writes (each fails like a lost connection),
/// then passes everything to the real store underneath. Records every attempt.
/// </summary>
public sealed class FlakyStatsStore(IStatsStore inner, int failures) : IStatsStore
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<Attempt> _attempts = [];

    public sealed record Attempt(TimeSpan At, int InterfaceRows, int HostRows, bool Failed);

    public IReadOnlyList<Attempt> Attempts
    {
        get
        {
            lock (_attempts)
            {
                return [.. _attempts];
            }
        }
    }

    public string Description => "flaky " + inner.Description;

    public Task InitializeAsync(CancellationToken ct) => inner.InitializeAsync(ct);

    public async Task WriteAsync(StatsBatch batch, CancellationToken ct)
    {
        bool fail;
        lock (_attempts)
        {
            fail = _attempts.Count < failures;
            _attempts.Add(new Attempt(_clock.Elapsed, batch.Interfaces.Count, batch.Hosts.Count, fail));
        }

        // Fail asynchronously, as a real driver's write does.
        await Task.Yield();
        if (fail)
        {
            throw new StatsStoreException($"simulated outage ({Description})", new TimeoutException("connection lost"));
        }

        await inner.WriteAsync(batch, ct);
    }

    public Task<IReadOnlyList<HostTotals>> GetHostTotalsAsync(int ifId, CancellationToken ct) => inner.GetHostTotalsAsync(ifId, ct);

    public Task<IReadOnlyList<InterfacePoint>> GetInterfaceSeriesAsync(int ifId, DateTimeOffset from, DateTimeOffset to, CancellationToken ct) =>
        inner.GetInterfaceSeriesAsync(ifId, from, to, ct);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
