namespace Flowhive.Collector.State;

/// <summary>What this node's checkpointing did, for the cluster view: written by the entities and the checkpoint actor, read by the API.</summary>
public sealed class CheckpointCounters
{
    /// <summary>Checkpoint rows written to the store.</summary>
    public long Saved;

    /// <summary>Host entities that started from a checkpoint (after a node loss, a hand-off or a passivation).</summary>
    public long HostsRestored;

    /// <summary>Interface entities that started from a checkpoint.</summary>
    public long InterfacesRestored;

    /// <summary>Checkpoint rows that did not decode: the entity started without them (a log line names each).</summary>
    public long Corrupt;

    /// <summary>Deltas an entity had applied already (resent by ingest after a node loss) and skipped.</summary>
    public long DuplicatesSkipped;

    /// <summary>Store calls that failed and were retried.</summary>
    public long StoreFailures;
}
