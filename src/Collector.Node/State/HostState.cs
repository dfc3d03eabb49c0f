using Flowhive.Shared.Cluster;
using Flowhive.Shared.Cluster.Messages;

namespace Flowhive.Collector.State;

/// <summary>What a host entity knows about its host. Pure: tested without an actor system.</summary>
public sealed class HostState(HostKey key)
{
    public HostKey Key { get; } = key;

    public ulong Mac { get; private set; }

    public HostCounters Totals { get; private set; }

    public long FirstSeenUs { get; private set; }

    public long LastSeenUs { get; private set; }

    public bool Known => FirstSeenUs != 0;

    public L7Table L7 { get; } = new();

    /// <summary>Names, application counters, fingerprints, peers, ports and sites; null until a delta brings any.</summary>
    public HostProfileState? Profile { get; private set; }

    /// <summary>The last delta applied from each ingest pipeline: a resent one is recognised and skipped.</summary>
    public AppliedStamps Stamps { get; } = new();

    /// <summary>
    /// Adds the delta, unless it was applied before. A late one (resent after a node loss, older than what was
    /// applied since) adds its counters but leaves the gauges (MAC, names, active flows) to the newer deltas.
    /// </summary>
    public StampVerdict Apply(HostTrafficDelta delta)
    {
        var verdict = Stamps.Accept(delta.Stamp);
        if (verdict == StampVerdict.Duplicate)
        {
            return verdict;
        }

        var late = verdict == StampVerdict.Late;
        Totals += delta.Delta;
        L7.Add(delta.L7);
        if (delta.Profile is not null)
        {
            (Profile ??= new HostProfileState()).Apply(delta.Profile, late);
        }

        if (delta.Mac != 0 && !late)
        {
            Mac = delta.Mac;
        }

        if (FirstSeenUs == 0 || (delta.FirstSeenUs != 0 && delta.FirstSeenUs < FirstSeenUs))
        {
            FirstSeenUs = delta.FirstSeenUs;
        }

        LastSeenUs = Math.Max(LastSeenUs, delta.LastSeenUs);
        return verdict;
    }

    /// <summary>Puts back what a checkpoint saved (<see cref="HostCheckpoint"/>); only for a state nothing was applied to yet.</summary>
    public void Restore(ulong mac, HostCounters totals, long firstSeenUs, long lastSeenUs, ReadOnlySpan<L7Counters> l7, HostProfileState? profile)
    {
        if (Known || L7.Count != 0 || Profile is not null)
        {
            throw new InvalidOperationException("a host state is restored before any delta");
        }

        (Mac, Totals, FirstSeenUs, LastSeenUs, Profile) = (mac, totals, firstSeenUs, lastSeenUs, profile);
        foreach (var item in l7)
        {
            L7.Add(item);
        }
    }

    public HostDetails Details() => new(Key, Mac, Totals, FirstSeenUs, LastSeenUs, Known, L7.Snapshot(), Profile?.Snapshot(LastSeenUs));
}
