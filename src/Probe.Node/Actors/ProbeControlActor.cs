using System.Globalization;
using Akka.Actor;
using Akka.Event;
using Flowhive.Probe.Engine.Workers;

namespace Flowhive.Probe.Actors;

/// <summary>
/// Keeps the probe's life cycle: notices when every capture source is done (end of file), then lets the
/// exporter drain and stops the process; on shutdown (DrainAll) stops capture first so that every flow
/// still in the tables is exported. Also prints the progress line and the periodic traffic statistics.
/// </summary>
public sealed class ProbeControlActor : ReceiveActor, IWithTimers
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(1);
    private readonly ProbeRuntime _runtime;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly HashSet<string> _running;
    private readonly bool _printProgress;
    private IReadOnlyList<IActorRef> _captures = [];
    private IActorRef? _drainRequester;
    private bool _exportFinished;
    private long _lastPackets;
    private DateTime _lastProgress = DateTime.UtcNow;
    private int _ticks;

    public ProbeControlActor(ProbeRuntime runtime)
    {
        _runtime = runtime;
        _running = [.. runtime.Engines.Select(e => e.Source.Name)];
        if (runtime.Collection is { } collection)
        {
            _running.Add(collection.Name);
        }

        _printProgress = !Console.IsErrorRedirected;

        Receive<Captures>(m => _captures = m.Actors);
        Receive<ProbeProtocol.CaptureFinished>(OnCaptureFinished);
        Receive<ProbeProtocol.CaptureFailed>(m =>
        {
            _log.Error("{0}: capture stopped: {1}", m.Source, m.Reason);
            _runtime.Fail();
            MarkDone(m.Source);
        });
        Receive<ProbeProtocol.ExportFinished>(_ =>
        {
            _exportFinished = true;
            PrintProgress(final: true);
            if (_drainRequester is { } requester)
            {
                requester.Tell(ProbeProtocol.Drained.Instance);
            }
            else
            {
                _runtime.Lifetime.StopApplication();
            }
        });
        Receive<ProbeProtocol.DrainAll>(_ =>
        {
            _drainRequester = Sender;
            if (_exportFinished)
            {
                Sender.Tell(ProbeProtocol.Drained.Instance);
                return;
            }

            foreach (var capture in _captures)
            {
                capture.Tell(ProbeProtocol.StopCapture.Instance);
            }

            if (_runtime.Collection is { } collection)
            {
                // Joins the receive thread: once it returns, every collected flow is in the export queue.
                collection.Listener.Stop();
                _log.Info("{0}: done: {1} datagrams, {2} flows", collection.Name, collection.Sink.Datagrams, collection.Sink.Flows);
                MarkDone(collection.Name);
            }
        });
        Receive<ProgressTick>(_ => PrintProgress(final: false));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(ProbeRuntime runtime) => Akka.Actor.Props.Create(() => new ProbeControlActor(runtime));

    protected override void PreStart() => Timers.StartPeriodicTimer("progress", ProgressTick.Instance, ProgressInterval);

    private void OnCaptureFinished(ProbeProtocol.CaptureFinished m)
    {
        var s = m.Statistics;
        if (s.Error is not null)
        {
            _log.Error("{0}", s.Error);
            _runtime.Fail();
        }

        if (s.TruncatedRecords > 0)
        {
            _log.Warning("{0}: the last record is cut short (truncated capture file); counted as a dropped packet", m.Source);
        }

        var drops = s.DecodeDrops.Count == 0 ? string.Empty : " (" + string.Join(", ", s.DecodeDrops.Select(kv => $"{kv.Key} {kv.Value}")) + ")";
        _log.Info(string.Create(CultureInfo.InvariantCulture,
            $"{m.Source}: done: {s.Packets} packets, {s.FlowsExported} flows exported, peak {s.PeakActiveFlows} active flows ({s.MemoryBytes >> 20} MB flow tables), {s.MalformedPackets} malformed frames{drops}"));
        MarkDone(m.Source);
    }

    private void MarkDone(string source)
    {
        _running.Remove(source);
        if (_running.Count == 0)
        {
            // Every worker exported its flows into the queue: let the exporter send what is left and finish.
            _runtime.Queue.CompleteAdding();
        }
    }

    private void PrintProgress(bool final)
    {
        var stats = _runtime.Snapshot();
        var now = DateTime.UtcNow;
        long packets = 0, flows = 0, drops = 0;
        double? progress = null;
        foreach (var s in stats)
        {
            packets += s.Packets;
            flows += s.FlowsExported + s.ActiveFlows;
            drops += s.KernelDrops + s.MalformedPackets;
            if (s.Progress is { } p)
            {
                progress = Math.Min(progress ?? 1, p);
            }
        }

        var seconds = Math.Max(0.001, (now - _lastProgress).TotalSeconds);
        var mpps = (packets - _lastPackets) / seconds / 1e6;
        _lastPackets = packets;
        _lastProgress = now;
        var exported = Interlocked.Read(ref _runtime.Export.FlowsExported);
        var line = string.Create(CultureInfo.InvariantCulture,
            $"packets {packets:N0} ({mpps:0.00} Mpps)  flows {flows:N0}  exported {exported:N0}  drops {drops:N0}{(progress is { } pr ? $"  [{pr * 100:0}%]" : string.Empty)}");
        if (_printProgress)
        {
            Console.Error.Write(final ? "\r" + line + "\n" : "\r" + line + "   ");
        }

        if (_runtime.Options.Verbosity >= 1 && (++_ticks % 5 == 0 || final))
        {
            _log.Info("stats: {0}", line);
        }
    }

    /// <summary>The capture actors, sent by the supervisor once it has created them.</summary>
    public sealed record Captures(IReadOnlyList<IActorRef> Actors);

    private sealed record ProgressTick
    {
        public static ProgressTick Instance { get; } = new();
    }
}
