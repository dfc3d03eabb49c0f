using Flowhive.Shared.Net;

namespace Flowhive.Shared.Cluster.Messages;

/// <summary>
/// A flow as the active-flow list shows it: endpoints, protocol and counters so far (slices of a long flow add up).
/// A struct: ingest produces hundreds of thousands per second, carried in arrays, one allocation per message.
/// </summary>
public readonly record struct ActiveFlow(
    IpAddr Client,
    ushort ClientPort,
    IpAddr Server,
    ushort ServerPort,
    byte Protocol,
    ushort Vlan,
    long BytesCliToSrv,
    long BytesSrvToCli,
    long PacketsCliToSrv,
    long PacketsSrvToCli,
    long FirstSeenUs,
    long LastSeenUs,
    ushort L7Master,
    ushort L7App,
    string? Info)
{
    /// <summary>
    /// This flow with a later record of the same connection added: a slice in the same direction, or a record of the
    /// opposite direction (its client is this flow's server), whose counters go to the other side. The first record's
    /// client stays the client.
    /// </summary>
    public ActiveFlow Absorb(in ActiveFlow later)
    {
        var sameDirection = later.Client == Client && later.ClientPort == ClientPort;
        return this with
        {
            BytesCliToSrv = BytesCliToSrv + (sameDirection ? later.BytesCliToSrv : later.BytesSrvToCli),
            BytesSrvToCli = BytesSrvToCli + (sameDirection ? later.BytesSrvToCli : later.BytesCliToSrv),
            PacketsCliToSrv = PacketsCliToSrv + (sameDirection ? later.PacketsCliToSrv : later.PacketsSrvToCli),
            PacketsSrvToCli = PacketsSrvToCli + (sameDirection ? later.PacketsSrvToCli : later.PacketsCliToSrv),
            FirstSeenUs = FirstSeenUs == 0 || (later.FirstSeenUs != 0 && later.FirstSeenUs < FirstSeenUs) ? later.FirstSeenUs : FirstSeenUs,
            LastSeenUs = Math.Max(LastSeenUs, later.LastSeenUs),
            L7Master = later.L7Master != 0 ? later.L7Master : L7Master,
            L7App = later.L7App != 0 ? later.L7App : L7App,
            Info = later.Info ?? Info,
        };
    }
}
