namespace Flowhive.Probe.Export;

/// <summary>
/// When a repeating export error is logged: the first one at once, then at most one a minute carrying the number
/// left out in between, so that a full disk or a dead receiver cannot flood the log while every loss is still counted.
/// </summary>
internal struct ErrorThrottle
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);
    private DateTimeOffset _next;
    private long _suppressed;

    /// <summary>True when this error should be logged; <paramref name="suppressed"/> says how many were not since the last one.</summary>
    public bool ShouldLog(DateTimeOffset now, out long suppressed)
    {
        if (now >= _next)
        {
            suppressed = _suppressed;
            _suppressed = 0;
            _next = now + Interval;
            return true;
        }

        _suppressed++;
        suppressed = 0;
        return false;
    }

    /// <summary>The destination works again: the next failure is news and is logged at once.</summary>
    public void Recovered()
    {
        _next = DateTimeOffset.MinValue;
        _suppressed = 0;
    }
}
