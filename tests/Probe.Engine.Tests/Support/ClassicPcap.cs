using System.Buffers.Binary;

namespace Flowhive.Probe.Engine.Tests.Support;

/// <summary>
/// Hand-written classic pcap files in every variant the reader accepts (micro/nano, either byte order),
/// independent of <c>PcapWriter</c> so that the reader is not only tested against our own writer.
/// </summary>
public sealed class ClassicPcap
{
    private readonly MemoryStream _bytes = new();
    private readonly bool _bigEndian;
    private readonly bool _nanoseconds;

    public ClassicPcap(int linkType, bool bigEndian = false, bool nanoseconds = false, ushort major = 2)
    {
        _bigEndian = bigEndian;
        _nanoseconds = nanoseconds;
        var header = new byte[24];
        U32(header, 0, nanoseconds ? 0xA1B23C4Du : 0xA1B2C3D4u);
        U16(header, 4, major);
        U16(header, 6, 4);
        U32(header, 16, 65535);
        U32(header, 20, (uint)linkType);
        _bytes.Write(header);
    }

    public ClassicPcap Packet(long timestampUs, ReadOnlySpan<byte> data, uint? wireLength = null, uint? fractionOverride = null)
    {
        var fraction = fractionOverride ?? (uint)(_nanoseconds ? timestampUs % 1_000_000 * 1000 : timestampUs % 1_000_000);
        return Record((uint)(timestampUs / 1_000_000), fraction, (uint)data.Length, wireLength ?? (uint)data.Length, data);
    }

    /// <summary>A record with any header values, for corrupt-file tests.</summary>
    public ClassicPcap Record(uint seconds, uint fraction, uint capturedLength, uint wireLength, ReadOnlySpan<byte> data)
    {
        var header = new byte[16];
        U32(header, 0, seconds);
        U32(header, 4, fraction);
        U32(header, 8, capturedLength);
        U32(header, 12, wireLength);
        _bytes.Write(header);
        _bytes.Write(data);
        return this;
    }

    public long Length => _bytes.Length;

    public byte[] ToArray() => _bytes.ToArray();

    private void U16(byte[] b, int at, ushort v)
    {
        if (_bigEndian)
        {
            BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(at), v);
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(at), v);
        }
    }

    private void U32(byte[] b, int at, uint v)
    {
        if (_bigEndian)
        {
            BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(at), v);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(at), v);
        }
    }
}
