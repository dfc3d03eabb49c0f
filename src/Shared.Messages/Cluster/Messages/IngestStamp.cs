namespace Flowhive.Shared.Cluster.Messages;

/// <summary>
/// Where a traffic delta sits in its ingest pipeline's output: <see cref="Source"/> is random per pipeline run,
/// <see cref="Seq"/> increases with every message the pipeline sends, and <see cref="PrevSeq"/> is the sequence of the
/// message it sent to the same entity before this one (0: none it remembers). Entities apply each delta once, and
/// a <see cref="PrevSeq"/> above the last one they applied tells them which deltas went missing (sent to a node that
/// died), so the pipeline's resend after a node loss fills exactly those. The default (source 0) is unstamped.
/// </summary>
public readonly record struct IngestStamp(long Source, long Seq, long PrevSeq)
{
    public bool IsNone => Source == 0;
}
