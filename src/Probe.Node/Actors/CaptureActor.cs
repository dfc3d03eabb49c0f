using Akka.Actor;
using Akka.Event;
using Flowhive.Probe.Engine.Capture;
using Flowhive.Probe.Engine.Workers;

namespace Flowhive.Probe.Actors;

/// <summary>
/// Owns one capture source's hot-path thread. Packets never pass through this actor: it starts the
/// thread, hears when it finishes or dies, and lets its supervisor restart it. The engine (reader
/// position and flow table) outlives restarts, so a restarted worker resumes after the packet that failed.
/// </summary>
public sealed class CaptureActor : ReceiveActor
{
    private readonly CaptureEngine _engine;
    private readonly ManualResetEventSlim _exportReady;
    private readonly IActorRef _control;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private Thread? _worker;

    public CaptureActor(CaptureEngine engine, ManualResetEventSlim exportReady, IActorRef control)
    {
        _engine = engine;
        _exportReady = exportReady;
        _control = control;

        Receive<WorkerCrashed>(m =>
        {
            _engine.RecordFault();
            throw new CaptureWorkerCrashedException(_engine.Source.Name, m.Error);
        });
        Receive<WorkerFinished>(_ => _control.Tell(new ProbeProtocol.CaptureFinished(_engine.Source.Name, _engine.Snapshot())));
        Receive<ProbeProtocol.StopCapture>(_ => _engine.Stop());
    }

    public static Props Props(CaptureEngine engine, ManualResetEventSlim exportReady, IActorRef control) =>
        Akka.Actor.Props.Create(() => new CaptureActor(engine, exportReady, control));

    protected override void PreStart()
    {
        var self = Self;
        var engine = _engine;
        var ready = _exportReady;
        var isFile = engine.Source is IFileCaptureSource or ReplaySource;
        _worker = new Thread(() =>
        {
            try
            {
                // A file replay waits for the exporter (and its first collector) so that no flow is published into the void.
                if (isFile)
                {
                    ready.Wait();
                }

                engine.Run();
                self.Tell(WorkerFinished.Instance);
            }
            catch (Exception e)
            {
                self.Tell(new WorkerCrashed(e));
            }
        })
        {
            IsBackground = true,
            Name = "capture:" + engine.Source.Name,
        };
        _worker.Start();
        _log.Info("capturing from {0}", engine.Source.Name);
    }

    protected override void PreRestart(Exception reason, object message)
    {
        // The worker thread already died; keep the engine (and its flow table) for the restarted worker.
        _log.Warning("restarting the capture worker for {0}: {1}", _engine.Source.Name, reason.InnerException?.ToString() ?? reason.Message);
        _worker = null;
    }

    protected override void PostStop()
    {
        if (_worker is { } worker)
        {
            _engine.Stop();
            if (!worker.Join(TimeSpan.FromSeconds(10)))
            {
                _log.Warning("capture worker for {0} did not stop within 10 s", _engine.Source.Name);
            }
        }
    }

    private sealed record WorkerFinished
    {
        public static WorkerFinished Instance { get; } = new();
    }

    private sealed record WorkerCrashed(Exception Error);
}
