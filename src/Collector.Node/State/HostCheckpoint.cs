using Flowhive.Shared.Cluster;
using Flowhive.Shared.Cluster.Serialization;

namespace Flowhive.Collector.State;

/// <summary>
/// A host entity's whole state as bytes, for <see cref="Storage.ICheckpointStore"/>: the key (checked on load, so a
/// row can never become another host), MAC, totals, first/last seen, every L7 entry, the full profile and the last delta applied from each ingest pipeline
/// (<see cref="CheckpointEncoding"/>).
/// </summary>
public static class HostCheckpoint
{
    /// <summary>The store scope of host checkpoints; the key is the host's entity id.</summary>
    public const string Scope = "host";

    public static byte[] Write(HostState host) => CheckpointEncoding.Encode(w =>
    {
        w.Write(host.Key);
        w.Write(host.Mac);
        w.Write(host.Totals);
        w.Write(host.FirstSeenUs);
        w.Write(host.LastSeenUs);
        w.WriteAllL7(host.L7.Items);
        w.WriteOptional(host.Profile?.ToCheckpoint());
        host.Stamps.Write(w);
    });

    /// <summary>The state saved for <paramref name="key"/>.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a checkpoint of this host in a format this version reads.</exception>
    public static HostState Read(HostKey key, byte[] bytes) => CheckpointEncoding.Decode(bytes, r =>
    {
        var saved = r.ReadHostKey();
        if (saved != key)
        {
            throw new InvalidDataException($"the checkpoint is of host {saved}, not {key}");
        }

        var (mac, totals, first, last) = (r.ReadUInt64(), r.ReadHostCounters(), r.ReadInt64(), r.ReadInt64());
        var l7 = r.ReadAllL7();
        var profile = r.ReadOptionalProfile();
        var host = new HostState(key);
        host.Restore(mac, totals, first, last, l7, profile is null ? null : HostProfileState.FromCheckpoint(profile));
        host.Stamps.Read(r);
        return host;
    });
}
