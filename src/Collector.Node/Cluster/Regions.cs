namespace Flowhive.Collector.Cluster;

/// <summary>ActorRegistry key for the host shard region (entities: one per ip, VLAN and interface).</summary>
public sealed class HostRegion;

/// <summary>ActorRegistry key for the interface shard region (entities: one per interface).</summary>
public sealed class InterfaceRegion;

/// <summary>ActorRegistry key for this node's stats writer.</summary>
public sealed class StatsWriter;

/// <summary>ActorRegistry key for this node's <see cref="Actors.CheckpointActor"/> (state nodes with checkpoints on).</summary>
public sealed class CheckpointStore;
