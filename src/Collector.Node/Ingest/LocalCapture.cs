using Flowhive.Probe.Engine.Workers;
using Microsoft.Extensions.Logging;

namespace Flowhive.Collector.Ingest;

/// <summary>
/// The probe engine running inside the collector for <c>-i eth0</c> / <c>-i file.pcap</c>, as ntopng captures
/// itself. Its flows enter the same <see cref="IngestPipeline"/> a remote probe's do. The worker thread is
/// restarted when it crashes (the engine keeps its place and flow table), up to 10 times a minute.
/// </summary>
public sealed partial class LocalCapture(CaptureEngine engine, IngestPipeline pipeline, ILogger log) : IDisposable
{
    private const int MaxRestartsPerMinute = 10;
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Thread? _thread;

    public CaptureEngine Engine => engine;

    /// <summary>Completes when the source ended and every flow reached the ingest pipeline.</summary>
    public Task Finished => _finished.Task;

    public void Start()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "capture:" + engine.Source.Name };
        _thread.Start();
    }

    public void Stop()
    {
        engine.Stop();
        _thread?.Join(TimeSpan.FromSeconds(10));
    }

    private void Run()
    {
        var restarts = new Queue<DateTime>();
        while (true)
        {
            try
            {
                engine.Run();
                var stats = engine.Snapshot();
                if (stats.Error is not null)
                {
                    LogSourceError(log, stats.Error);
                }

                LogDone(log, engine.Source.Name, stats.Packets, stats.FlowsExported, stats.MalformedPackets);
                pipeline.Complete();
                _finished.TrySetResult();
                return;
            }
            catch (Exception e)
            {
                engine.RecordFault();
                var now = DateTime.UtcNow;
                restarts.Enqueue(now);
                while (restarts.Count > 0 && now - restarts.Peek() > TimeSpan.FromMinutes(1))
                {
                    restarts.Dequeue();
                }

                if (restarts.Count > MaxRestartsPerMinute)
                {
                    LogGaveUp(log, engine.Source.Name, e);
                    pipeline.Complete();
                    _finished.TrySetException(e);
                    return;
                }

                LogRestart(log, engine.Source.Name, e);
            }
        }
    }

    public void Dispose() => engine.Dispose();

    [LoggerMessage(EventId = 300, Level = LogLevel.Warning, Message = "{Source}: capture worker crashed, restarting after the failed packet")]
    private static partial void LogRestart(ILogger log, string source, Exception error);

    [LoggerMessage(EventId = 301, Level = LogLevel.Error, Message = "{Source}: capture worker crashed more than 10 times in a minute; giving up")]
    private static partial void LogGaveUp(ILogger log, string source, Exception error);

    [LoggerMessage(EventId = 302, Level = LogLevel.Error, Message = "{Error}")]
    private static partial void LogSourceError(ILogger log, string error);

    [LoggerMessage(EventId = 303, Level = LogLevel.Information, Message = "{Source}: done: {Packets} packets, {Flows} flows, {Malformed} malformed frames")]
    private static partial void LogDone(ILogger log, string source, long packets, long flows, long malformed);
}
