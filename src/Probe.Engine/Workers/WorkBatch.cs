using Flowhive.Probe.Engine.Decode;

namespace Flowhive.Probe.Engine.Workers;

/// <summary>
/// Decoded packets handed from the capture thread to one flow worker in a group, so the hand-over costs one
/// queue operation per batch, not per packet. Frames are copied only when a classifier needs payloads.
/// </summary>
internal sealed class WorkBatch
{
    public const int Capacity = 128;

    /// <summary>Bytes kept per frame for the classifier: enough for handshakes and first requests.</summary>
    public const int FrameBytes = 2048;

    public WorkBatch(bool copyFrames)
    {
        Frames = copyFrames ? new byte[Capacity * FrameBytes] : [];
    }

    public DecodedPacket[] Packets { get; } = new DecodedPacket[Capacity];

    public long[] TimestampsUs { get; } = new long[Capacity];

    public int[] FrameLengths { get; } = new int[Capacity];

    public byte[] Frames { get; }

    public int Count { get; set; }

    /// <summary>When set, the batch carries no packets but the wall-clock time a quiet live link has reached.</summary>
    public long TickUs { get; set; }

    public bool IsFull => Count == Capacity;

    public void Add(in DecodedPacket packet, long timestampUs, ReadOnlySpan<byte> frame)
    {
        var i = Count++;
        Packets[i] = packet;
        TimestampsUs[i] = timestampUs;
        if (Frames.Length > 0)
        {
            // Payload offsets stay valid: only the tail of an oversized frame is cut.
            var length = Math.Min(frame.Length, FrameBytes);
            frame[..length].CopyTo(Frames.AsSpan(i * FrameBytes));
            FrameLengths[i] = length;
        }
    }

    public ReadOnlySpan<byte> Frame(int i) => Frames.Length == 0 ? [] : Frames.AsSpan(i * FrameBytes, FrameLengths[i]);

    public void Reset()
    {
        Count = 0;
        TickUs = 0;
    }
}
