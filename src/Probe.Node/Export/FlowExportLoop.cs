using Flowhive.Shared.Flows;
using Microsoft.Extensions.Logging;

namespace Flowhive.Probe.Export;

/// <summary>
/// The export thread's loop: takes flow batches from the queue and hands each to every exporter in turn,
/// ticks them for time-based work, and decides when queued flows may go out (every exporter ready, or the
/// wait for collectors is over): until then a file replay's flows wait in the bounded queue, so none is
/// published into the void. Ends once the queue is completed and drained, after a final flush.
/// </summary>
public sealed partial class FlowExportLoop(ExportQueue queue, IReadOnlyList<IFlowExporter> exporters, TimeSpan waitForPeers, ILogger log) : IDisposable
{
    private static readonly TimeSpan TickInterval = TimeSpan.FromMilliseconds(50);

    public IReadOnlyList<IFlowExporter> Exporters => exporters;

    public ExportQueue Queue => queue;

    /// <summary>Set once flows may go out: every exporter has its peer, or the wait is over.</summary>
    public ManualResetEventSlim ReadyToExport { get; } = new(false);

    /// <summary>Flows handed to exporters (each flow counted once, whatever the number of exporters).</summary>
    public long FlowsExported;

    /// <summary>Opens every exporter; the first failure is thrown (after closing those already open).</summary>
    public void Open()
    {
        foreach (var exporter in exporters)
        {
            exporter.Open();
        }

        if (waitForPeers <= TimeSpan.Zero || exporters.All(e => e.ReadyForReplay))
        {
            ReadyToExport.Set();
        }
    }

    /// <summary>Runs until the queue is completed and drained, or cancelled (then whatever is buffered is still flushed).</summary>
    public void Run(CancellationToken cancel)
    {
        var waitUntil = DateTimeOffset.UtcNow + waitForPeers;
        var nextTick = DateTimeOffset.MinValue;
        while (!cancel.IsCancellationRequested)
        {
            var now = DateTimeOffset.UtcNow;
            if (now >= nextTick)
            {
                foreach (var exporter in exporters)
                {
                    exporter.Tick(now);
                }

                nextTick = now + TickInterval;
                if (!ReadyToExport.IsSet && (exporters.All(e => e.ReadyForReplay) || now >= waitUntil))
                {
                    foreach (var waiting in exporters.Where(e => !e.ReadyForReplay))
                    {
                        LogNoPeer(log, waiting.Name, waitForPeers.TotalSeconds);
                    }

                    ReadyToExport.Set();
                }
            }

            if (!ReadyToExport.IsSet)
            {
                // Capture blocks once the queue is full, so a replay waits here for its collector.
                ReadyToExport.Wait(TickInterval, CancellationToken.None);
                continue;
            }

            if (queue.TryTake(out var batch, TickInterval) && batch is not null)
            {
                Export(batch);
            }
            else if (queue.IsCompleted)
            {
                break;
            }
        }

        foreach (var exporter in exporters)
        {
            exporter.Flush();
        }
    }

    private void Export(FlowBatch batch)
    {
        var flows = batch.AsSpan();
        foreach (var exporter in exporters)
        {
            exporter.Export(flows);
        }

        Interlocked.Add(ref FlowsExported, flows.Length);
        queue.Pool.Return(batch);
    }

    public void Dispose()
    {
        foreach (var exporter in exporters)
        {
            exporter.Dispose();
        }

        ReadyToExport.Dispose();
    }

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "{Exporter}: no collector subscribed within {Seconds} s; exporting anyway (flows sent with no subscriber are lost)")]
    private static partial void LogNoPeer(ILogger log, string exporter, double seconds);
}
