namespace Flowhive.Probe.Engine.Capture;

/// <summary>
/// Packets read in one go from a capture source. The bytes stay in the source's buffer (no copy for
/// files); the batch only records where each packet is. Valid until the next read from the same source.
/// </summary>
public sealed class PacketBatch
{
    public PacketBatch(int capacity = 256)
    {
        Offsets = new int[capacity];
        CapturedLengths = new int[capacity];
        WireLengths = new int[capacity];
        TimestampsUs = new long[capacity];
        LinkTypes = new int[capacity];
        Buffer = [];
    }

    public int Capacity => Offsets.Length;

    /// <summary>The buffer the packets live in; set by the source on every read.</summary>
    public byte[] Buffer { get; set; }

    public int[] Offsets { get; }

    public int[] CapturedLengths { get; }

    /// <summary>Length on the wire (pcap <c>len</c>), which is larger than captured when the snaplen cut the frame.</summary>
    public int[] WireLengths { get; }

    public long[] TimestampsUs { get; }

    public int[] LinkTypes { get; }

    public int Count { get; set; }

    public ReadOnlySpan<byte> Packet(int i) => Buffer.AsSpan(Offsets[i], CapturedLengths[i]);
}
