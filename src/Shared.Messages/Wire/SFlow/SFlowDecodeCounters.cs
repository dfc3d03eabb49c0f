namespace Flowhive.Shared.Wire.SFlow;

/// <summary>Running totals of one <see cref="SFlowDecoder"/>: every problem counted by reason, every time it occurs.</summary>
public sealed class SFlowDecodeCounters
{
    private readonly long[] _problems = new long[Enum.GetValues<SFlowDecodeStatus>().Length];

    public long Datagrams { get; internal set; }

    public long FlowSamples { get; internal set; }

    public long CounterSamples { get; internal set; }

    /// <summary>Flow records made from sampled packet headers.</summary>
    public long Records { get; internal set; }

    /// <summary>Samples and records of formats this decoder does not read (skipped by their length, as the spec intends).</summary>
    public long SkippedUnknownFormats { get; internal set; }

    public long this[SFlowDecodeStatus status] => _problems[(int)status];

    public IEnumerable<(SFlowDecodeStatus Status, long Count)> Problems =>
        Enum.GetValues<SFlowDecodeStatus>().Where(s => s != SFlowDecodeStatus.Ok && _problems[(int)s] > 0).Select(s => (s, _problems[(int)s]));

    internal void Count(SFlowDecodeStatus status) => _problems[(int)status]++;
}
