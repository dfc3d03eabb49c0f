using System.Diagnostics;

namespace Flowhive.Tools.IngestSender;

/// <summary>Keeps a send loop at a target message rate (0 = as fast as possible) by spinning, not sleeping: timer granularity is too coarse.</summary>
internal sealed class Pacer(double messagesPerSecond)
{
    private readonly long _start = Stopwatch.GetTimestamp();

    public void Wait(long sent)
    {
        if (messagesPerSecond <= 0)
        {
            return;
        }

        var due = _start + (long)(sent / messagesPerSecond * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < due)
        {
            Thread.SpinWait(20);
        }
    }
}
