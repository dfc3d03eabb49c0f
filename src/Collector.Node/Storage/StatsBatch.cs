using Flowhive.Shared.Cluster.Messages;

namespace Flowhive.Collector.Storage;

/// <summary>One flush of the collector: written in a single transaction.</summary>
public sealed record StatsBatch(IReadOnlyList<InterfaceMinuteRow> Interfaces, IReadOnlyList<HostMinuteRow> Hosts)
{
    public bool IsEmpty => Interfaces.Count == 0 && Hosts.Count == 0;
}
