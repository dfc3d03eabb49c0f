using Flowhive.Probe.Engine.Capture;

namespace Flowhive.Tools.SampleCapture.Traffic;

/// <summary>
/// One TCP connection seen from a capture point next to the client: the client's packets and its ACKs
/// appear almost at once, the server's answers one round trip later. Data goes out in MSS-sized segments
/// in slow-start flights (10, 20, 40... segments per round trip), the receiver ACKs every second segment,
/// and sequence/acknowledgement numbers are tracked exactly so that analyzers see a clean stream.
/// </summary>
internal sealed class TcpConnection
{
    private const int Mss = 1460;
    private const int InitialWindow = 10;

    // MSS 1460, NOP, window scale 7, NOP, NOP, SACK permitted.
    private static readonly byte[] SynOptions = [2, 4, 0x05, 0xB4, 1, 3, 3, 7, 1, 1, 4, 2];

    private readonly Timeline _timeline;
    private readonly Link _link;
    private readonly Random _random;
    private readonly ushort _clientPort;
    private readonly ushort _serverPort;
    private readonly long _rttUs;
    private uint _clientSeq;
    private uint _serverSeq;

    public TcpConnection(Timeline timeline, Link link, Random random, ushort clientPort, ushort serverPort, long startUs, long rttUs)
    {
        _timeline = timeline;
        _link = link;
        _random = random;
        _clientPort = clientPort;
        _serverPort = serverPort;
        _rttUs = rttUs;
        NowUs = startUs;
        _clientSeq = (uint)random.Next();
        _serverSeq = (uint)random.Next();
    }

    /// <summary>Time of the last packet generated; the next step starts from here.</summary>
    public long NowUs { get; private set; }

    /// <summary>SYN, SYN-ACK one round trip later, ACK.</summary>
    public void Open()
    {
        Emit(client: true, TcpFlags.Syn, [], SynOptions);
        _clientSeq++;
        NowUs += _rttUs;
        Emit(client: false, TcpFlags.Syn | TcpFlags.Ack, [], SynOptions);
        _serverSeq++;
        NowUs += ClientTurnUs();
        Emit(client: true, TcpFlags.Ack, []);
    }

    /// <summary>SYN answered by RST/ACK: nothing listens on the port.</summary>
    public void Refused()
    {
        Emit(client: true, TcpFlags.Syn, [], SynOptions);
        _clientSeq++;
        NowUs += _rttUs;
        // RFC 9293: the reset to a SYN takes sequence 0 and acknowledges the SYN.
        var frame = _link.FromServer().Tcp(_serverPort, _clientPort, TcpFlags.Rst | TcpFlags.Ack, 0, _clientSeq, 0).Build();
        _timeline.Add(NowUs, frame);
    }

    /// <summary>
    /// Sends <paramref name="data"/> from one side, after <paramref name="delayUs"/> (think time, or the
    /// server's processing); the first byte reaches the capture point after the path delay for that side.
    /// </summary>
    public void Send(bool fromClient, byte[] data, long delayUs = 0)
    {
        NowUs += delayUs + (fromClient ? ClientTurnUs() : _rttUs);
        var sent = 0;
        var flight = InitialWindow;
        var unacked = 0;
        while (sent < data.Length)
        {
            for (var i = 0; i < flight && sent < data.Length; i++)
            {
                var length = Math.Min(Mss, data.Length - sent);
                var last = sent + length == data.Length;
                Emit(fromClient, last ? TcpFlags.Ack | TcpFlags.Psh : TcpFlags.Ack, data.AsSpan(sent, length));
                sent += length;
                unacked++;
                if (unacked == 2 || last)
                {
                    // The receiver's ACK: at once if the receiver is the client, a round trip later if it is the server.
                    var ackAt = NowUs + (fromClient ? _rttUs : ClientTurnUs());
                    AckAt(!fromClient, ackAt);
                    unacked = 0;
                }

                NowUs += SerializationUs(length);
            }

            if (sent < data.Length)
            {
                NowUs += _rttUs; // wait for the flight's ACKs to open the window
                flight *= 2;
            }
        }

        NowUs += fromClient ? _rttUs : ClientTurnUs(); // the last ACK
    }

    /// <summary>FIN from one side, FIN from the other, last ACK.</summary>
    public void Close(bool clientFirst)
    {
        NowUs += clientFirst ? ClientTurnUs() : _rttUs;
        Fin(clientFirst);
        NowUs += clientFirst ? _rttUs : ClientTurnUs();
        Fin(!clientFirst);
        NowUs += clientFirst ? ClientTurnUs() : _rttUs;
        Emit(clientFirst, TcpFlags.Ack, []);
    }

    private void Fin(bool fromClient)
    {
        Emit(fromClient, TcpFlags.Fin | TcpFlags.Ack, []);
        if (fromClient)
        {
            _clientSeq++;
        }
        else
        {
            _serverSeq++;
        }
    }

    private void AckAt(bool fromClient, long timestampUs)
    {
        var (seq, ack) = fromClient ? (_clientSeq, _serverSeq) : (_serverSeq, _clientSeq);
        var frame = Builder(fromClient, TcpFlags.Ack, seq, ack, null).Build();
        _timeline.Add(timestampUs, frame);
    }

    private void Emit(bool client, TcpFlags flags, ReadOnlySpan<byte> payload, byte[]? options = null)
    {
        var (seq, ack) = client ? (_clientSeq, _serverSeq) : (_serverSeq, _clientSeq);
        var isSyn = (flags & TcpFlags.Syn) != 0;
        var frame = Builder(client, flags, seq, (flags & TcpFlags.Ack) != 0 ? ack : 0, isSyn ? options : null).Payload(payload).Build();
        _timeline.Add(NowUs, frame);
        if (client)
        {
            _clientSeq += (uint)payload.Length;
        }
        else
        {
            _serverSeq += (uint)payload.Length;
        }
    }

    private FrameBuilder Builder(bool client, TcpFlags flags, uint seq, uint ack, byte[]? options)
    {
        // Windows in SYNs are unscaled; afterwards they are in units of 128 bytes (scale 7).
        var window = (flags & TcpFlags.Syn) != 0 ? (ushort)64240 : client ? (ushort)502 : (ushort)501;
        var (src, dst) = client ? (_clientPort, _serverPort) : (_serverPort, _clientPort);
        return _link.From(client).Tcp(src, dst, flags, seq, ack, window, options);
    }

    /// <summary>How long the client takes to answer (it is next to the capture point).</summary>
    private long ClientTurnUs() => 150 + _random.Next(400);

    /// <summary>Time a segment occupies a 100 Mbit/s link, so that bursts are spread realistically.</summary>
    private static long SerializationUs(int payload) => ((payload + 54) * 8 / 100) + 2;
}
