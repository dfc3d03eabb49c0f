using Flowhive.Shared.Net;

namespace Flowhive.Collector.Storage;

/// <summary>A host's all-time counters on one interface.</summary>
public sealed record HostTotals(ushort Vlan, IpAddr Ip, long BytesSent, long BytesRcvd, long PacketsSent, long PacketsRcvd, long FlowsAsClient, long FlowsAsServer);
