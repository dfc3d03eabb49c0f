namespace Flowhive.Shared.Cluster.Messages;

/// <summary>
/// What a host did beyond its byte counters, as ntopng's host page shows it: names, active flows, DNS and HTTP
/// activity, TLS/QUIC flows with an SNI, JA4 and HASSH fingerprints, distinct peers, server ports used and served,
/// and (local hosts) visited sites. In a <see cref="HostTrafficDelta"/> it is one ingest window's part
/// (<see cref="SitesOld"/> empty, the active-flow counts those of the window); in <see cref="HostDetails"/>, the
/// host entity's running state. Every list is bounded (<see cref="TopCounts{TKey}.MaxPerMessage"/>).
/// </summary>
public sealed record HostProfile(
    HostNames Names,
    int ActiveFlowsAsClient,
    int ActiveFlowsAsServer,
    ApplicationCounters Apps,
    TopCounts<string> Ja4,
    TopCounts<string> Hassh,
    PeerSketch PeersAsClient,
    PeerSketch PeersAsServer,
    TopCounts<uint> ContactedPorts,
    TopCounts<uint> ServedPorts,
    TopCounts<string> Sites,
    TopCounts<string> SitesOld,
    long SitesAtUs)
{
    public static readonly HostProfile Empty = new(default, 0, 0, default, TopCounts<string>.Empty,
        TopCounts<string>.Empty, PeerSketch.Empty, PeerSketch.Empty, TopCounts<uint>.Empty, TopCounts<uint>.Empty, TopCounts<string>.Empty,
        TopCounts<string>.Empty, 0);

    /// <summary>A port list key: the L4 protocol number and the port, so TCP 53 and UDP 53 are two entries.</summary>
    public static uint PortKey(byte protocol, ushort port) => ((uint)protocol << 16) | port;
}
