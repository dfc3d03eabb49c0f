using System.Collections.Concurrent;
using Flowhive.Hosting.FlowCollection;
using Flowhive.Probe.Engine.Flows;
using Flowhive.Shared.Flows;

namespace Flowhive.Probe.Collection;

/// <summary>
/// The <c>-3</c> collector port's records join the captured ones in the export queue, handed over whenever the
/// port has nothing more queued (a router's flows should not wait in a half-filled batch for the next datagram).
/// </summary>
public sealed class CollectedFlowSink(IFlowSink queue) : IFlowDatagramSink
{
    private readonly ConcurrentDictionary<string, long> _rejected = new(StringComparer.Ordinal);
    private long _datagrams;
    private long _flows;

    public long Datagrams => Interlocked.Read(ref _datagrams);

    public long Flows => Interlocked.Read(ref _flows);

    /// <summary>Datagrams lost outside the decoders' own counters, by reason.</summary>
    public IReadOnlyDictionary<string, long> Rejected => _rejected;

    public void CountDatagram() => Interlocked.Increment(ref _datagrams);

    public void Deliver(ReadOnlySpan<FlowRecord> records)
    {
        foreach (ref readonly var record in records)
        {
            queue.Export(record);
        }

        Interlocked.Add(ref _flows, records.Length);
    }

    public void Tick() => queue.Flush();

    public void Reject(string reason) => _rejected.AddOrUpdate(reason, 1, (_, n) => n + 1);
}
