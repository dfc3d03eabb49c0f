namespace Flowhive.Collector.Node.Tests.Cluster;

/// <summary>Cluster tests bind ports and run gossip and sharding timers: they run alone, never beside other tests.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class OneNodeClusterCollection
{
    public const string Name = "one-node cluster";
}
