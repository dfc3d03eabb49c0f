using System.Diagnostics;

namespace Flowhive.Tools.IngestSender;

/// <summary>
/// Keeps a send loop at a target message rate (0 = as fast as possible). It sleeps whenever it is ahead and then
/// sends what has come due in one burst (about a millisecond's worth): spinning for the exact gap would burn a
/// whole core, which on a small machine is taken from the receiver being measured.
/// </summary>
internal sealed class Pacer(double messagesPerSecond)
{
    private readonly long _start = Stopwatch.GetTimestamp();

    /// <summary>Writes "start=&lt;unix seconds&gt;" to stderr as the first message leaves, so a benchmark times from there, not from process start and encoding.</summary>
    public static void ReportStart() =>
        Console.Error.WriteLine(FormattableString.Invariant($"start={DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0:F3}"));

    public void Wait(long sent)
    {
        if (messagesPerSecond <= 0)
        {
            return;
        }

        var due = _start + (long)(sent / messagesPerSecond * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < due)
        {
            Thread.Sleep(1);
        }
    }
}
