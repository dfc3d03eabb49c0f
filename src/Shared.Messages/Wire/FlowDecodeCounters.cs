namespace Flowhive.Shared.Wire;

/// <summary>Running totals of one payload decode; becomes a <see cref="FlowDecodeResult"/>.</summary>
internal struct FlowDecodeCounters
{
    public FlowDecodeStatus Status;
    public int Decoded;
    public int Dropped;
    public int Unknown;
    public int Invalid;

    /// <summary>Keeps the first problem: later ones are usually consequences of it.</summary>
    public void Note(FlowDecodeStatus status)
    {
        if (Status == FlowDecodeStatus.Ok)
        {
            Status = status;
        }
    }

    public readonly FlowDecodeResult ToResult(int bytesRead) => new(Status, Decoded, Dropped, Unknown, Invalid, bytesRead);
}
