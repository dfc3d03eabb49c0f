namespace Flowhive.Collector.Storage;

/// <summary>Minute arithmetic shared by the stores, so both truncate the same way.</summary>
internal static class MinuteClock
{
    /// <summary>The UTC minute that contains <paramref name="time"/>, with offset zero.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset time)
    {
        var ticks = time.UtcTicks;
        return new DateTimeOffset(ticks - (ticks % TimeSpan.TicksPerMinute), TimeSpan.Zero);
    }

    /// <summary>Unix seconds of the UTC minute containing <paramref name="time"/> (SQLite's time column).</summary>
    public static long ToUnixMinute(DateTimeOffset time) => Truncate(time).ToUnixTimeSeconds();
}
