using Flowhive.Shared.Net;

namespace Flowhive.Shared.Wire.NetFlow;

/// <summary>The UDP source a datagram came from; templates are kept per exporter, per source id / observation domain.</summary>
public readonly record struct NetFlowExporterId(IpAddr Address, ushort Port);
