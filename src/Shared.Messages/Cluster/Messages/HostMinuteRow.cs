using Flowhive.Shared.Net;

namespace Flowhive.Shared.Cluster.Messages;

/// <summary>
/// One host's traffic on one interface and VLAN in one minute. All counters are deltas (added on conflict).
/// <paramref name="Mac"/> holds the 48-bit MAC address in its low bits (0 = unknown); the last non-zero value wins.
/// </summary>
public sealed record HostMinuteRow(DateTimeOffset Minute, int IfId, ushort Vlan, IpAddr Ip, ulong Mac, long BytesSent, long BytesRcvd, long PacketsSent, long PacketsRcvd, long FlowsAsClient, long FlowsAsServer);
