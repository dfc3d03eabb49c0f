using Akka.Actor;
using Akka.Event;
using Flowhive.Probe.Export;

namespace Flowhive.Probe.Actors;

/// <summary>
/// Owns the export thread that drains the export queue into every exporter. The exporters (sockets, msg_id
/// sequence, templates) outlive restarts, so a restarted export thread continues where the last one stopped.
/// </summary>
public sealed class FlowExportActor : ReceiveActor
{
    private readonly FlowExportLoop _export;
    private readonly IActorRef _control;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private CancellationTokenSource? _cancel;
    private Thread? _worker;

    public FlowExportActor(FlowExportLoop export, IActorRef control)
    {
        _export = export;
        _control = control;
        Receive<WorkerCrashed>(m => throw new ExportWorkerCrashedException(m.Error));
        Receive<WorkerFinished>(_ =>
        {
            _worker = null;
            _control.Tell(ProbeProtocol.ExportFinished.Instance);
        });
    }

    public static Props Props(FlowExportLoop export, IActorRef control) =>
        Akka.Actor.Props.Create(() => new FlowExportActor(export, control));

    protected override void PreStart()
    {
        var self = Self;
        var export = _export;
        var cancel = _cancel = new CancellationTokenSource();
        _worker = new Thread(() =>
        {
            try
            {
                export.Run(cancel.Token);
                self.Tell(WorkerFinished.Instance);
            }
            catch (Exception e)
            {
                self.Tell(new WorkerCrashed(e));
            }
        })
        {
            IsBackground = true,
            Name = "zmq-export",
        };
        _worker.Start();
    }

    protected override void PreRestart(Exception reason, object message)
    {
        _log.Warning("restarting the flow exporter: {0}", reason.InnerException?.ToString() ?? reason.Message);
        _worker = null;
    }

    protected override void PostStop()
    {
        if (_worker is { } worker && _cancel is { } cancel)
        {
            cancel.Cancel();
            worker.Join(TimeSpan.FromSeconds(10));
        }

        _cancel?.Dispose();
    }

    private sealed record WorkerFinished
    {
        public static WorkerFinished Instance { get; } = new();
    }

    private sealed record WorkerCrashed(Exception Error);
}
