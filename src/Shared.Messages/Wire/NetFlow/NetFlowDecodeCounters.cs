namespace Flowhive.Shared.Wire.NetFlow;

/// <summary>Running totals of one <see cref="NetFlowDecoder"/>: every problem counted by reason, every time it occurs.</summary>
public sealed class NetFlowDecodeCounters
{
    private readonly long[] _problems = new long[Enum.GetValues<NetFlowDecodeStatus>().Length];

    public long Datagrams { get; internal set; }

    public long Records { get; internal set; }

    public long RecordsDropped { get; internal set; }

    public long TemplatesLearned { get; internal set; }

    /// <summary>IPFIX template withdrawals (a template record with no fields).</summary>
    public long TemplatesWithdrawn { get; internal set; }

    /// <summary>Templates forgotten to make room: the least recently used goes when the cache is full.</summary>
    public long TemplatesEvicted { get; internal set; }

    /// <summary>Options data records (sampling, interface tables...) read.</summary>
    public long OptionsRecords { get; internal set; }

    /// <summary>Options data records that announced a sampling interval (applied to later records of that exporter and domain).</summary>
    public long SamplingOptions { get; internal set; }

    /// <summary>How often <paramref name="status"/> occurred.</summary>
    public long this[NetFlowDecodeStatus status] => _problems[(int)status];

    /// <summary>Every reason that occurred at least once, with its count.</summary>
    public IEnumerable<(NetFlowDecodeStatus Status, long Count)> Problems =>
        Enum.GetValues<NetFlowDecodeStatus>().Where(s => s != NetFlowDecodeStatus.Ok && _problems[(int)s] > 0).Select(s => (s, _problems[(int)s]));

    internal void Count(NetFlowDecodeStatus status) => _problems[(int)status]++;
}
