using Akka.Actor;
using Akka.Event;
using Flowhive.Probe.Capture;

namespace Flowhive.Probe.Actors;

/// <summary>
/// Owns one capture source's hot-path thread. Packets never pass through this actor: it hears when a run
/// finishes or dies, and lets its supervisor restart it. The engine (reader position and flow table)
/// outlives restarts, so a restarted run resumes after the packet that failed. The run may have started
/// before this actor did (see <see cref="CaptureThread"/>).
/// </summary>
public sealed class CaptureActor : ReceiveActor
{
    private readonly CaptureThread _capture;
    private readonly IActorRef _control;
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public CaptureActor(CaptureThread capture, IActorRef control)
    {
        _capture = capture;
        _control = control;

        Receive<WorkerCrashed>(m =>
        {
            _capture.Engine.RecordFault();
            throw new CaptureWorkerCrashedException(_capture.Engine.Source.Name, m.Error);
        });
        Receive<WorkerFinished>(_ => _control.Tell(new ProbeProtocol.CaptureFinished(_capture.Engine.Source.Name, _capture.Engine.Snapshot())));
        Receive<ProbeProtocol.StopCapture>(_ => _capture.Engine.Stop());
    }

    public static Props Props(CaptureThread capture, IActorRef control) =>
        Akka.Actor.Props.Create(() => new CaptureActor(capture, control));

    protected override void PreStart()
    {
        var self = Self;
        var heardEnd = _capture.Attach(error => self.Tell(error is null ? WorkerFinished.Instance : new WorkerCrashed(error)));
        if (!heardEnd && !_capture.IsRunning)
        {
            // First start without an early one, or the restart after a crash.
            _capture.Start();
        }

        _log.Info("capturing from {0}", _capture.Engine.Source.Name);
    }

    protected override void PreRestart(Exception reason, object message)
    {
        // The run already died; keep the engine (and its flow table) for the restarted run.
        _log.Warning("restarting the capture worker for {0}: {1}", _capture.Engine.Source.Name, reason.InnerException?.ToString() ?? reason.Message);
        _capture.Detach();
    }

    protected override void PostStop()
    {
        _capture.Detach();
        if (!_capture.Stop(TimeSpan.FromSeconds(10)))
        {
            _log.Warning("capture worker for {0} did not stop within 10 s", _capture.Engine.Source.Name);
        }
    }

    private sealed record WorkerFinished
    {
        public static WorkerFinished Instance { get; } = new();
    }

    private sealed record WorkerCrashed(Exception Error);
}
