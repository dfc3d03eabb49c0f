using Flowhive.Probe.Engine.Decode;
using Flowhive.Shared.Net;

namespace Flowhive.Probe.Engine.Tests.Classification.Micro;

/// <summary>
/// The decoded headers of a hand-built conversation's packets, as the decoder would give them: addresses and ports
/// by direction, and TCP sequence numbers that advance by each direction's payload (so stream reassembly sees a
/// gap-free stream).
/// </summary>
public sealed class HandBuiltHeaders(byte l4, string client, ushort clientPort, string server, ushort serverPort)
{
    private readonly IpAddr _client = IpAddr.Parse(client);
    private readonly IpAddr _server = IpAddr.Parse(server);
    private uint _clientSeq = 1_000;
    private uint _serverSeq = 900_000;

    public HandBuiltHeaders(byte l4, ushort clientPort, ushort serverPort)
        : this(l4, "192.0.2.10", clientPort, "198.51.100.20", serverPort)
    {
    }

    public long TimestampUs { get; private set; } = 1_700_000_000_000_000;

    /// <summary>The headers of the next packet, carrying <paramref name="payloadLength"/> bytes; advances the clock by a millisecond.</summary>
    public DecodedPacket Next(bool fromClient, int payloadLength)
    {
        var p = default(DecodedPacket);
        p.Protocol = l4;
        p.IpVersion = 4;
        p.Src = fromClient ? _client : _server;
        p.Dst = fromClient ? _server : _client;
        p.SrcPort = fromClient ? clientPort : serverPort;
        p.DstPort = fromClient ? serverPort : clientPort;
        p.PayloadLength = p.DeclaredPayloadLength = payloadLength;
        if (l4 == 6)
        {
            p.TcpFlags = 0x18; // PSH ACK
            ref var seq = ref fromClient ? ref _clientSeq : ref _serverSeq;
            p.TcpSeq = seq;
            seq += (uint)payloadLength;
        }

        TimestampUs += 1_000;
        return p;
    }
}
