namespace Flowhive.Shared.Wire.NetFlow;

/// <summary>
/// The "router boot time" of NetFlow v5/v9, whose FIRST_SWITCHED/LAST_SWITCHED are 32-bit milliseconds since
/// boot and whose header says what time it is (unix seconds) and how long the exporter has been up. A collector
/// computes a flow's time as header seconds × 1000 − sysUptime + FIRST_SWITCHED. A probe has no boot to speak of,
/// and a replayed capture has flows months in the past, so the boot time is chosen from the flows: a margin before
/// the first flow (or before now, if that is earlier), moved when a flow falls before it or more than 49.7 days
/// after it. Header times are whole seconds, so the collector's arithmetic is exact.
/// </summary>
internal sealed class SysUptimeClock(long marginMs)
{
    /// <summary>32 bits of milliseconds, less a second for rounding header times up to a whole second.</summary>
    private const long MaxSpanMs = uint.MaxValue - 1000L;

    public bool IsSet { get; private set; }

    /// <summary>Unix milliseconds that sysUptime 0 stands for.</summary>
    public long BootMs { get; private set; }

    /// <summary>Whether a record from <paramref name="firstMs"/> to <paramref name="lastMs"/> can be written against the current boot time.</summary>
    public bool Fits(long firstMs, long lastMs) => IsSet && firstMs >= BootMs && lastMs - BootMs <= MaxSpanMs;

    public void Rebase(long firstMs, long nowMs)
    {
        BootMs = Math.Min(firstMs, nowMs) - marginMs;
        IsSet = true;
    }

    /// <summary>Milliseconds since boot, for FIRST_SWITCHED/LAST_SWITCHED (clamped: <see cref="Fits"/> was checked before).</summary>
    public uint Uptime(long unixMs) => (uint)Math.Clamp(unixMs - BootMs, 0, uint.MaxValue);

    /// <summary>
    /// The time a datagram's header states: a whole second, not before the newest flow in it (so sysUptime is never
    /// below a LAST_SWITCHED), and now if that still fits 32 bits of uptime; for replays of old captures, the flows'
    /// own time.
    /// </summary>
    public long HeaderTimeMs(long nowMs, long newestMs)
    {
        var floor = CeilToSecond(Math.Max(newestMs, BootMs));
        var now = CeilToSecond(Math.Max(nowMs, floor));
        return now - BootMs <= uint.MaxValue ? now : floor;
    }

    private static long CeilToSecond(long ms) => ms % 1000 == 0 ? ms : ms - (((ms % 1000) + 1000) % 1000) + 1000;
}
