namespace Flowhive.Shared.Cluster.Messages;

/// <summary>
/// One interface's traffic in one minute. <paramref name="Bytes"/>, <paramref name="Packets"/> and
/// <paramref name="Flows"/> are deltas (added on conflict); <paramref name="ActiveHosts"/> and
/// <paramref name="ActiveFlows"/> are gauges (the maximum is kept).
/// </summary>
public sealed record InterfaceMinuteRow(DateTimeOffset Minute, int IfId, string IfName, long Bytes, long Packets, long Flows, int ActiveHosts, int ActiveFlows);
