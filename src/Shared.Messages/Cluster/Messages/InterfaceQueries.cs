namespace Flowhive.Shared.Cluster.Messages;

/// <summary>Asks an interface entity for its summary.</summary>
public sealed record GetInterfaceSummary(int IfId) : IInterfaceMessage;

/// <summary>What ntopng's interface summary shows: totals, live throughput, counts, traffic by application protocol and category, and local/remote.</summary>
public sealed record InterfaceSummary(
    int IfId,
    string IfName,
    long Bytes,
    long Packets,
    long FlowsSeen,
    int ActiveFlows,
    int Hosts,
    double ThroughputBps,
    double ThroughputPps,
    long FirstSeenUs,
    long LastSeenUs,
    long UpdatedAtUs,
    IReadOnlyList<L7Counters> L7,
    LocalTraffic Local) : IFlowhiveMessage
{
    public InterfaceSummary(int ifId, string ifName, long bytes, long packets, long flowsSeen, int activeFlows, int hosts, double throughputBps,
        double throughputPps, long firstSeenUs, long lastSeenUs, long updatedAtUs)
        : this(ifId, ifName, bytes, packets, flowsSeen, activeFlows, hosts, throughputBps, throughputPps, firstSeenUs, lastSeenUs, updatedAtUs, [], default)
    {
    }
}

/// <summary>Host list sort columns (ntopng's sortColumn values).</summary>
public enum HostSortColumn : byte
{
    Bytes = 0,
    BytesSent = 1,
    BytesRcvd = 2,
    Packets = 3,
    Flows = 4,
    LastSeen = 5,
    FirstSeen = 6,
    Ip = 7,
    Throughput = 8,
}

/// <summary>Which hosts a host list shows (ntopng's <c>mode</c>): all, or only those inside or outside the local networks.</summary>
public enum HostFilter : byte
{
    All = 0,
    Local = 1,
    Remote = 2,
}

/// <summary>Asks an interface entity for a page of its host index.</summary>
public sealed record GetHosts(int IfId, HostSortColumn SortBy, bool Descending, int Offset, int Limit, HostFilter Filter = HostFilter.All) : IInterfaceMessage;

public sealed record HostSummary(
    HostKey Host,
    ulong Mac,
    HostCounters Totals,
    long FirstSeenUs,
    long LastSeenUs,
    double ThroughputBps);

public sealed record HostPage(int Total, IReadOnlyList<HostSummary> Hosts) : IFlowhiveMessage;

/// <summary>Asks an interface entity for a page of active flows (optionally only those of one host).</summary>
public sealed record GetActiveFlows(int IfId, int Offset, int Limit, HostKey? Host) : IInterfaceMessage;

public sealed record FlowPage(int Total, IReadOnlyList<ActiveFlow> Flows) : IFlowhiveMessage;
