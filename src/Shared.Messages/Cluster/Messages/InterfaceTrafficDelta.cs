using Flowhive.Shared.Net;

namespace Flowhive.Shared.Cluster.Messages;

/// <summary>One host's change in an ingest window, as the interface's host index needs it; <paramref name="Local"/>: inside the ingest node's <c>-m</c> networks.</summary>
public readonly record struct HostIndexDelta(ushort Vlan, IpAddr Ip, ulong Mac, long FirstSeenUs, long LastSeenUs, HostCounters Delta, bool Local = false);

/// <summary>
/// Ingest to interface entity: the interface's totals for one ingest window, the per-host deltas for its
/// host index (top talkers and the host list are answered from that index, not by asking every host), and
/// the flows received, for the active flow list, and the window's traffic by application protocol and category
/// and its local/remote split (on the first part). Split by the sender so that one message stays well under
/// Akka.Remote's frame limit.
/// </summary>
public sealed record InterfaceTrafficDelta(
    int IfId,
    string IfName,
    long Bytes,
    long Packets,
    long Flows,
    IReadOnlyList<HostIndexDelta> Hosts,
    IReadOnlyList<ActiveFlow> FlowUpdates,
    IReadOnlyList<L7Counters> L7,
    LocalTraffic Local,
    IngestStamp Stamp = default) : IInterfaceMessage
{
    public InterfaceTrafficDelta(int ifId, string ifName, long bytes, long packets, long flows, IReadOnlyList<HostIndexDelta> hosts, IReadOnlyList<ActiveFlow> flowUpdates)
        : this(ifId, ifName, bytes, packets, flows, hosts, flowUpdates, [], default)
    {
    }

    /// <summary>Keeps messages below ~64 KB on the wire (Akka.Remote drops frames over 128,000 bytes).</summary>
    public const int MaxHostsPerMessage = 600;

    public const int MaxFlowsPerMessage = 300;
}
