namespace Flowhive.Shared.Cluster.Messages;

/// <summary>
/// An interface's bytes by where they went, as ntopng's "localstats" splits them with <c>-m</c>: each direction of a
/// flow counts from its sender's side (a local client's request to a remote server is local to remote, the answer
/// remote to local). Without local networks every byte is remote to remote.
/// </summary>
public readonly record struct LocalTraffic(long LocalToLocal, long LocalToRemote, long RemoteToLocal, long RemoteToRemote)
{
    public long Total => LocalToLocal + LocalToRemote + RemoteToLocal + RemoteToRemote;

    public static LocalTraffic operator +(LocalTraffic a, LocalTraffic b) => new(
        a.LocalToLocal + b.LocalToLocal, a.LocalToRemote + b.LocalToRemote, a.RemoteToLocal + b.RemoteToLocal, a.RemoteToRemote + b.RemoteToRemote);

    /// <summary><paramref name="bytes"/> sent from a local or remote host to a local or remote one.</summary>
    public static LocalTraffic Of(bool fromLocal, bool toLocal, long bytes) => (fromLocal, toLocal) switch
    {
        (true, true) => new(bytes, 0, 0, 0),
        (true, false) => new(0, bytes, 0, 0),
        (false, true) => new(0, 0, bytes, 0),
        _ => new(0, 0, 0, bytes),
    };
}
