using Flowhive.Shared.Flows;

namespace Flowhive.Probe.Export;

/// <summary>
/// One way flows leave the probe (ZeroMQ, NetFlow/IPFIX, JSON files, syslog). All exporters run on the single
/// export thread, in turn, so an exporter needs no locking and may own thread-bound sockets.
/// </summary>
public interface IFlowExporter : IDisposable
{
    /// <summary>For logs and statistics: "zmq tcp://*:5556", "netflow v9 127.0.0.1:2055"...</summary>
    string Name { get; }

    ExporterCounters Counters { get; }

    /// <summary>
    /// Whether a file replay may start: an exporter that would lose flows sent before its peer is there (ZeroMQ PUB
    /// before a collector subscribed) says false until the peer is known.
    /// </summary>
    bool ReadyForReplay { get; }

    /// <summary>Binds, connects or creates files. Throws <see cref="InvalidOperationException"/> with a one-line message naming the destination.</summary>
    void Open();

    /// <summary>A batch of finished flows; the span is only valid during the call.</summary>
    void Export(ReadOnlySpan<FlowRecord> flows);

    /// <summary>Called every few tens of milliseconds: time-based sends, templates, file rotation, statistics.</summary>
    void Tick(DateTimeOffset now);

    /// <summary>No more flows will come: send everything still buffered.</summary>
    void Flush();
}
