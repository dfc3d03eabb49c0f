using Flowhive.Probe.Engine.Decode;
using Flowhive.Probe.Engine.Flows;

namespace Flowhive.Probe.Engine.Workers;

/// <summary>A point-in-time copy of a capture engine's counters (for stats events, progress lines and the API).</summary>
public sealed record EngineStatistics
{
    public required string Source { get; init; }
    public long Packets { get; init; }

    /// <summary>Bytes on the wire (pcap <c>len</c>), link headers included.</summary>
    public long WireBytes { get; init; }

    public long KernelDrops { get; init; }

    /// <summary>Frames the decoder refused, by reason name (see <see cref="DecodeStatuses.Name"/>); "not-ip" is normal traffic.</summary>
    public required IReadOnlyDictionary<string, long> DecodeDrops { get; init; }

    public long MalformedPackets { get; init; }
    public int ActiveFlows { get; init; }

    /// <summary>The most flows held at once, over all workers.</summary>
    public int PeakActiveFlows { get; init; }
    public long FlowsCreated { get; init; }
    public long FlowsExported { get; init; }
    public long TableFullEvictions { get; init; }
    public long UnmatchedFragments { get; init; }
    public long WorkerFaults { get; init; }
    public long TruncatedRecords { get; init; }
    public bool Finished { get; init; }
    public string? Error { get; init; }

    /// <summary>Fraction of the file read, 0..1, for file sources; null for live ones.</summary>
    public double? Progress { get; init; }

    public long MemoryBytes { get; init; }

    internal static Dictionary<string, long> DropsByName(long[] counts)
    {
        var result = new Dictionary<string, long>();
        for (var i = 1; i < counts.Length; i++)
        {
            var n = Volatile.Read(ref counts[i]);
            if (n != 0)
            {
                result[DecodeStatuses.Name((DecodeStatus)i)] = n;
            }
        }

        return result;
    }

    internal static FlowTableCounters Sum(IEnumerable<FlowTable> tables)
    {
        var total = new FlowTableCounters();
        foreach (var t in tables)
        {
            t.Counters.AddTo(total);
        }

        return total;
    }
}
