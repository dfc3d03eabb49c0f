namespace Flowhive.Shared.Cluster.Messages;

/// <summary>
/// Ingest to host entity: everything one host did during one ingest window (many flows folded into one
/// message), so the cluster carries a message per active host per window, never one per flow or packet.
/// <see cref="L7"/> splits the delta's bytes and new flows by application protocol and category; <see cref="Profile"/>
/// is the window's names, application counters, fingerprints, peers, ports and sites (null when it had none);
/// <see cref="Stamp"/> makes a resent delta count once.
/// </summary>
public sealed record HostTrafficDelta(HostKey Host, ulong Mac, long FirstSeenUs, long LastSeenUs, HostCounters Delta, IReadOnlyList<L7Counters> L7,
    HostProfile? Profile = null, IngestStamp Stamp = default) : IHostMessage
{
    public HostTrafficDelta(HostKey host, ulong mac, long firstSeenUs, long lastSeenUs, HostCounters delta)
        : this(host, mac, firstSeenUs, lastSeenUs, delta, [])
    {
    }
}
