using System.Buffers.Binary;

namespace Flowhive.Probe.Engine.Capture;

/// <summary>
/// Writes classic pcap files (microsecond timestamps, little-endian, one link type, snaplen 262144): the
/// format every tool reads. Used by the sample generator, by tests, and to dump packets from the probe.
/// Writing a packet allocates nothing; the stream is buffered by the caller or by the file constructor.
/// </summary>
public sealed class PcapWriter : IDisposable
{
    /// <summary>Bytes kept per packet, as libpcap's MAXIMUM_SNAPLEN (and what <see cref="PcapFileReader"/> accepts).</summary>
    public const int Snaplen = PcapFileReader.MaxRecordLength;

    private const uint MagicMicroseconds = 0xA1B2C3D4;
    private const int FileHeaderLength = 24;
    private const int RecordHeaderLength = 16;

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private bool _disposed;

    /// <summary>Creates (or overwrites) <paramref name="path"/>.</summary>
    public PcapWriter(string path, LinkType linkType)
        : this(new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 16), linkType, leaveOpen: false)
    {
    }

    /// <summary>Writes to <paramref name="stream"/>, starting with the file header.</summary>
    public PcapWriter(Stream stream, LinkType linkType, bool leaveOpen = false)
    {
        _stream = stream;
        _leaveOpen = leaveOpen;
        LinkType = linkType;

        Span<byte> header = stackalloc byte[FileHeaderLength];
        BinaryPrimitives.WriteUInt32LittleEndian(header, MagicMicroseconds);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], 2); // version 2.4
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], 4);
        BinaryPrimitives.WriteInt32LittleEndian(header[8..], 0); // thiszone: timestamps are UTC
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], 0); // sigfigs
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], Snaplen);
        BinaryPrimitives.WriteUInt32LittleEndian(header[20..], (uint)linkType);
        _stream.Write(header);
    }

    public LinkType LinkType { get; }

    /// <summary>Packets written so far.</summary>
    public long PacketsWritten { get; private set; }

    /// <summary>
    /// Appends one packet. <paramref name="wireLength"/> is the length the packet had on the wire (pcap
    /// <c>len</c>); it defaults to the frame's length and may exceed it for a frame cut by a snaplen.
    /// Frames longer than <see cref="Snaplen"/> are cut, as libpcap does, keeping their wire length.
    /// </summary>
    public void WritePacket(long timestampUs, ReadOnlySpan<byte> frame, int? wireLength = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(timestampUs);
        var wire = wireLength ?? frame.Length;
        if (wire < frame.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(wireLength), wire, $"wire length is shorter than the {frame.Length} captured bytes");
        }

        // Classic pcap carries seconds in 32 bits: the format ends in 2106.
        var seconds = timestampUs / 1_000_000;
        if (seconds > uint.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(timestampUs), timestampUs, "timestamp is beyond what classic pcap can store");
        }

        var captured = frame.Length > Snaplen ? frame[..Snaplen] : frame;
        Span<byte> record = stackalloc byte[RecordHeaderLength];
        BinaryPrimitives.WriteUInt32LittleEndian(record, (uint)seconds);
        BinaryPrimitives.WriteUInt32LittleEndian(record[4..], (uint)(timestampUs % 1_000_000));
        BinaryPrimitives.WriteUInt32LittleEndian(record[8..], (uint)captured.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(record[12..], (uint)wire);
        _stream.Write(record);
        _stream.Write(captured);
        PacketsWritten++;
    }

    public void Flush() => _stream.Flush();

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _stream.Flush();
        if (!_leaveOpen)
        {
            _stream.Dispose();
        }
    }
}
