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
    string? Info);
