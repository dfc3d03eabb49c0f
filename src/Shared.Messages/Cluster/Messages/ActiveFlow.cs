using Flowhive.Shared.Net;

namespace Flowhive.Shared.Cluster.Messages;

/// <summary>A flow as the active-flow list shows it: endpoints, protocol and counters so far (slices of a long flow add up).</summary>
public sealed record ActiveFlow(
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
