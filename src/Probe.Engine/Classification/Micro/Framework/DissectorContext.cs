using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Flowhive.Probe.Engine.Decode;

namespace Flowhive.Probe.Engine.Classification.Micro.Framework;

/// <summary>One packet as a dissector sees it: its L4 payload, direction and flow. Lives on the stack for one call.</summary>
public ref struct DissectorContext
{
    private readonly ref readonly DecodedPacket _packet;
    private int _stateOffset;
    private int _stateSize;

    internal DissectorContext(MicroFlow flow, in DecodedPacket packet, ReadOnlySpan<byte> payload, bool fromClient, long timestampUs, WorkerScratch scratch)
    {
        Flow = flow;
        _packet = ref packet;
        Payload = payload;
        FromClient = fromClient;
        TimestampUs = timestampUs;
        Scratch = scratch;
    }

    /// <summary>The L4 payload captured for this packet (may be shorter than the packet declared, when the snap length cut it).</summary>
    public ReadOnlySpan<byte> Payload { get; }

    public MicroFlow Flow { get; }

    /// <summary>The decoded headers (ports, TCP sequence and flags, ICMP type...).</summary>
    public readonly ref readonly DecodedPacket Packet => ref _packet;

    /// <summary>Whether the packet goes from the flow's client to its server.</summary>
    public bool FromClient { get; }

    public long TimestampUs { get; }

    /// <summary>Per-worker scratch memory for the duration of one call (never keep a reference).</summary>
    public WorkerScratch Scratch { get; }

    /// <summary>Payload packets already seen in this packet's direction.</summary>
    public readonly int DirectionPackets => FromClient ? Flow.ClientPayloadPackets : Flow.ServerPayloadPackets;

    /// <summary>The port of the flow's server side.</summary>
    public readonly ushort ServerPort => Flow.ServerPort;

    public readonly ushort ClientPort => Flow.ClientPort;

    /// <summary>The calling dissector's per-flow state block as <typeparamref name="T"/> (its size must match <see cref="IDissector.StateSize"/>).</summary>
    public readonly ref T State<T>()
        where T : unmanaged
    {
        if (Unsafe.SizeOf<T>() > _stateSize)
        {
            throw new InvalidOperationException($"{typeof(T).Name} is larger than the state size the dissector declared ({_stateSize} bytes)");
        }

        return ref MemoryMarshal.AsRef<T>(Flow.StateBlock(_stateOffset, Unsafe.SizeOf<T>()));
    }

    /// <summary>This packet's direction of the TCP stream (only for the owning dissector).</summary>
    public readonly ref TcpStream Stream => ref Flow.Stream(FromClient);

    internal void SelectState(int offset, int size)
    {
        _stateOffset = offset;
        _stateSize = size;
    }
}
