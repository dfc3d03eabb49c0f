namespace Flowhive.Shared.Cluster.Messages;

/// <summary>
/// Ingest to host entity: everything one host did during one ingest window (many flows folded into one
/// message), so the cluster carries a message per active host per window, never one per flow or packet.
/// </summary>
public sealed record HostTrafficDelta(HostKey Host, ulong Mac, long FirstSeenUs, long LastSeenUs, HostCounters Delta) : IHostMessage;
