using Akka.Actor;
using Akka.Event;

namespace Flowhive.Probe.Actors;

/// <summary>
/// The probe's root actor: creates the control, export and capture actors and restarts a crashed worker
/// (up to 10 times a minute); past that the worker is stopped, the control actor is told and the probe
/// exits with an error instead of spinning.
/// </summary>
public sealed class ProbeSupervisorActor : ReceiveActor
{
    /// <summary>Restarts of one worker allowed within <see cref="RestartWindow"/>; one more crash stops it.</summary>
    public const int MaxRestarts = 10;

    public static readonly TimeSpan RestartWindow = TimeSpan.FromMinutes(1);

    private readonly ProbeRuntime _runtime;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<IActorRef, string> _captureNames = [];
    private IActorRef _control = ActorRefs.Nobody;

    public ProbeSupervisorActor(ProbeRuntime runtime)
    {
        _runtime = runtime;
        Receive<ProbeProtocol.DrainAll>(m => _control.Forward(m));
        Receive<Terminated>(t =>
        {
            if (_runtime.Lifetime.ApplicationStopping.IsCancellationRequested)
            {
                return; // children stop as part of shutdown: not a failure
            }

            if (_captureNames.Remove(t.ActorRef, out var source))
            {
                _control.Tell(new ProbeProtocol.CaptureFailed(source, "the worker kept crashing"));
            }
            else if (!t.ActorRef.Equals(_control))
            {
                _log.Error("the flow exporter kept crashing; stopping");
                _runtime.Fail();
                _runtime.Lifetime.StopApplication();
            }
        });
    }

    public static Props Props(ProbeRuntime runtime) => Akka.Actor.Props.Create(() => new ProbeSupervisorActor(runtime));

    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(
        maxNrOfRetries: MaxRestarts,
        withinTimeRange: RestartWindow,
        localOnlyDecider: e => e switch
        {
            CaptureWorkerCrashedException or ExportWorkerCrashedException => Directive.Restart,
            _ => Directive.Stop,
        });

    protected override void PreStart()
    {
        _control = Context.ActorOf(ProbeControlActor.Props(_runtime), "control");
        var export = Context.ActorOf(FlowExportActor.Props(_runtime.Export, _control), "export");
        Context.Watch(export);
        var captures = new List<IActorRef>();
        for (var i = 0; i < _runtime.Engines.Count; i++)
        {
            var thread = _runtime.Captures[i];
            var capture = Context.ActorOf(CaptureActor.Props(thread, _control), $"capture-{i}");
            Context.Watch(capture);
            _captureNames[capture] = thread.Engine.Source.Name;
            captures.Add(capture);
        }

        _control.Tell(new ProbeControlActor.Captures(captures));

        // Routers' datagrams are taken from now on, like live packets: no waiting for a collector.
        _runtime.Collection?.Listener.Start();
    }
}
