using Akka.Actor;
using Flowhive.Probe.Actors;
using Flowhive.Probe.Configuration;
using Flowhive.Probe.Engine.Capture;
using Flowhive.Probe.Engine.Workers;
using Flowhive.Probe.Export;
using Flowhive.Probe.Node.Tests.Support;
using Flowhive.Shared.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace Flowhive.Probe.Node.Tests.Actors;

/// <summary>
/// The probe's actors around a capture worker that crashes: the real supervisor, control and export actors, a real
/// export queue and ZeroMQ publisher; only the packet source is a test one (frames from memory that fail on cue).
/// </summary>
public sealed class ProbeSupervisionTests : Akka.TestKit.Xunit2.TestKit
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private readonly List<IDisposable> _resources = [];

    public ProbeSupervisionTests(ITestOutputHelper output)
        : base("akka.loglevel = INFO", output: output)
    {
    }

    protected override void Dispose(bool disposing)
    {
        // The actor system goes first: its actors join the worker threads that use these.
        base.Dispose(disposing);
        if (disposing)
        {
            foreach (var resource in Enumerable.Reverse(_resources))
            {
                resource.Dispose();
            }
        }
    }

    private T Own<T>(T resource)
        where T : IDisposable
    {
        _resources.Add(resource);
        return resource;
    }

    /// <summary>Flows of UDP packets, interleaved, a millisecond apart: every packet belongs to exactly one flow.</summary>
    private static List<(long TimestampUs, byte[] Frame)> Packets(int flows, int packetsPerFlow)
    {
        var client = IpAddr.Parse("192.168.7.10");
        var server = IpAddr.Parse("198.51.100.53");
        var packets = new List<(long, byte[])>();
        for (var p = 0; p < packetsPerFlow; p++)
        {
            for (var f = 0; f < flows; f++)
            {
                var frame = new FrameBuilder().Ethernet(0x0200_0000_0001, 0x0200_0000_0002).Ipv4(client, server)
                    .Udp((ushort)(40_000 + f), 53).Payload(new byte[20 + f]).Build();
                packets.Add((SampleFlows.T0 + (packets.Count * 1000L), frame));
            }
        }

        return packets;
    }

    private sealed record Probe(ProbeRuntime Runtime, CaptureEngine Engine, CountingSink Sink, TestApplicationLifetime Lifetime);

    private Probe CreateProbe(CaptureSource source)
    {
        var options = ProbeOptions.From(ProbeCommandLine.Create().Parse(
            ["-i", source.Name, "--zmq", $"inproc://probe-supervision-{Guid.NewGuid():N}", "--source-id", "99"]));
        var queue = Own(new ExportQueue());
        var sink = new CountingSink(queue.CreateSink());
        var engine = Own(new CaptureEngine(source, options.FlowTable, sink));
        var zmq = new ZmqFlowExporter(options, () => [engine.Snapshot()], NullLogger.Instance);
        var export = Own(new FlowExportLoop(queue, [zmq], TimeSpan.Zero, NullLogger.Instance));
        export.Open();
        var lifetime = Own(new TestApplicationLifetime());
        return new Probe(new ProbeRuntime(options, [engine], export, lifetime), engine, sink, lifetime);
    }

    [Fact]
    public void A_worker_that_crashes_once_is_restarted_and_every_other_packet_is_exported()
    {
        var packets = Packets(flows: 20, packetsPerFlow: 10);
        var failAt = packets.Count / 3;
        var source = new MemoryCaptureSource("mem-once", packets) { FailAt = failAt };
        var probe = CreateProbe(source);

        Sys.ActorOf(ProbeSupervisorActor.Props(probe.Runtime), "probe");

        // End of the source, then the export drained: the control actor stops the application.
        AwaitCondition(() => probe.Lifetime.StopRequested, Deadline);
        var stats = probe.Engine.Snapshot();
        Assert.Equal(1, source.Failures);
        Assert.Equal(1, stats.WorkerFaults);
        Assert.True(stats.Finished);
        Assert.Equal(packets.Count - 1, stats.Packets);
        Assert.Equal(packets.Count - 1, probe.Sink.Packets);
        Assert.Equal(stats.FlowsExported, probe.Sink.Records);
        Assert.Equal(probe.Sink.Records, Interlocked.Read(ref probe.Runtime.Export.FlowsExported));
        Assert.True(probe.Runtime.Queue.IsCompleted);
        Assert.Equal(0, probe.Runtime.ExitCode);
    }

    [Fact]
    public async Task A_worker_that_keeps_crashing_is_stopped_after_the_retry_limit_and_the_probe_exits_with_an_error()
    {
        var source = new MemoryCaptureSource("mem-broken", Packets(flows: 2, packetsPerFlow: 2)) { AlwaysFail = true };
        var probe = CreateProbe(source);
        IActorRef supervisor = ActorRefs.Nobody;

        // The control actor logs CaptureFailed ("<source>: capture stopped: ...") when the supervisor gives up.
        await EventFilter.Error(contains: $"{source.Name}: capture stopped").ExpectOneAsync(Deadline,
            () =>
            {
                supervisor = Sys.ActorOf(ProbeSupervisorActor.Props(probe.Runtime), "probe");
                return Task.CompletedTask;
            });

        AwaitCondition(() => probe.Lifetime.StopRequested, Deadline);
        var crashes = ProbeSupervisorActor.MaxRestarts + 1;
        Assert.Equal(crashes, probe.Engine.Snapshot().WorkerFaults);
        Assert.Equal(crashes, source.Reads);
        Assert.Equal(1, probe.Runtime.ExitCode);
        Assert.True(probe.Runtime.Queue.IsCompleted);

        // The capture actor is gone; the supervisor and the actor system are still up.
        var capture = await Sys.ActorSelection(supervisor.Path / "capture-0").Ask<ActorIdentity>(new Identify("capture"), Deadline);
        Assert.Null(capture.Subject);
        var root = await Sys.ActorSelection(supervisor.Path).Ask<ActorIdentity>(new Identify("probe"), Deadline);
        Assert.Equal(supervisor, root.Subject);
        Assert.False(Sys.WhenTerminated.IsCompleted);
    }
}
