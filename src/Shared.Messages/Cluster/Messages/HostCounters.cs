namespace Flowhive.Shared.Cluster.Messages;

/// <summary>
/// Traffic counters of one host, used both as a delta (what changed since the last update) and as a total.
/// "Sent" is what the host transmitted, "Rcvd" what it received, as ntopng words it.
/// </summary>
public readonly record struct HostCounters(
    long BytesSent,
    long BytesRcvd,
    long PacketsSent,
    long PacketsRcvd,
    long FlowsAsClient,
    long FlowsAsServer)
{
    public long TotalBytes => BytesSent + BytesRcvd;

    public long TotalPackets => PacketsSent + PacketsRcvd;

    public static HostCounters operator +(HostCounters a, HostCounters b) => new(
        a.BytesSent + b.BytesSent,
        a.BytesRcvd + b.BytesRcvd,
        a.PacketsSent + b.PacketsSent,
        a.PacketsRcvd + b.PacketsRcvd,
        a.FlowsAsClient + b.FlowsAsClient,
        a.FlowsAsServer + b.FlowsAsServer);
}
