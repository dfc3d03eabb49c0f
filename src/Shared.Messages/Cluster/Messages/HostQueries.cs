namespace Flowhive.Shared.Cluster.Messages;

/// <summary>Asks a host entity for its details.</summary>
public sealed record GetHostDetails(HostKey Host) : IHostMessage;

/// <summary>A host entity's state (issue-by-issue this grows towards ntopng's host page).</summary>
public sealed record HostDetails(HostKey Host, ulong Mac, HostCounters Totals, long FirstSeenUs, long LastSeenUs, bool Known) : IFlowhiveMessage;
