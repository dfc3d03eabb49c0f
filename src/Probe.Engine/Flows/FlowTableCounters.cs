namespace Flowhive.Probe.Engine.Flows;

/// <summary>Counters of one flow table. Written by its worker thread only; read by others as a snapshot.</summary>
public sealed class FlowTableCounters
{
    public long FlowsCreated;
    public long FlowsExported;
    public long SlicesExported;
    public long IdleExpired;
    public long EndedByTcp;

    /// <summary>Flows exported early because the table was full: counted and exported, never dropped.</summary>
    public long TableFullEvictions;

    /// <summary>Later IPv4/IPv6 fragments whose first fragment was not seen; they form a port-less flow.</summary>
    public long UnmatchedFragments;

    public void AddTo(FlowTableCounters total)
    {
        total.FlowsCreated += Volatile.Read(ref FlowsCreated);
        total.FlowsExported += Volatile.Read(ref FlowsExported);
        total.SlicesExported += Volatile.Read(ref SlicesExported);
        total.IdleExpired += Volatile.Read(ref IdleExpired);
        total.EndedByTcp += Volatile.Read(ref EndedByTcp);
        total.TableFullEvictions += Volatile.Read(ref TableFullEvictions);
        total.UnmatchedFragments += Volatile.Read(ref UnmatchedFragments);
    }
}
