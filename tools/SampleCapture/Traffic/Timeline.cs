namespace Flowhive.Tools.SampleCapture.Traffic;

/// <summary>One frame of the sample and when the capture point saw it.</summary>
public readonly record struct TimedFrame(long TimestampUs, byte[] Frame);

/// <summary>
/// Frames from many conversations, generated one conversation at a time and merged into capture order at
/// the end. Ties keep generation order, so the result depends only on the seed.
/// </summary>
internal sealed class Timeline
{
    private readonly List<(long TimestampUs, long Sequence, byte[] Frame)> _frames = [];

    public void Add(long timestampUs, byte[] frame) => _frames.Add((timestampUs, _frames.Count, frame));

    public List<TimedFrame> InCaptureOrder() =>
    [
        .. _frames.OrderBy(f => f.TimestampUs).ThenBy(f => f.Sequence).Select(f => new TimedFrame(f.TimestampUs, f.Frame)),
    ];
}
