namespace Flowhive.Collector.Storage;

/// <summary>One minute of an interface's time series (<see cref="Minute"/> is UTC, offset zero).</summary>
public sealed record InterfacePoint(DateTimeOffset Minute, long Bytes, long Packets, long Flows, int ActiveHosts, int ActiveFlows);
