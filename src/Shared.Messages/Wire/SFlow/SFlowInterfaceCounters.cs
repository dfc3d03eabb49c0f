using Flowhive.Shared.Net;

namespace Flowhive.Shared.Wire.SFlow;

/// <summary>One sFlow generic interface counters record (sFlow v5 counter format 1): an agent's view of one of its ports.</summary>
public readonly record struct SFlowInterfaceCounters(
    IpAddr Agent,
    uint IfIndex,
    uint IfType,
    ulong IfSpeed,
    ulong InOctets,
    ulong InPackets,
    uint InDiscards,
    uint InErrors,
    ulong OutOctets,
    ulong OutPackets,
    uint OutDiscards,
    uint OutErrors,
    uint UptimeMs);
