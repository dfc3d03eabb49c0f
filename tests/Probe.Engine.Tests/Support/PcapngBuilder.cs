using System.Buffers.Binary;

namespace Flowhive.Probe.Engine.Tests.Support;

/// <summary>Writes pcapng blocks (section header, interface description, enhanced/simple packet, others) in either byte order.</summary>
public sealed class PcapngBuilder(bool bigEndian = false)
{
    private readonly MemoryStream _bytes = new();

    public PcapngBuilder SectionHeader()
    {
        var body = new byte[16];
        U32(body, 0, 0x1A2B3C4D);
        U16(body, 4, 1);
        U16(body, 6, 0);
        BinaryPrimitives.WriteInt64LittleEndian(body.AsSpan(8), -1); // section length unknown (same in both orders)
        return Block(0x0A0D0D0A, body);
    }

    /// <param name="linkType">LINKTYPE value.</param>
    /// <param name="tsresol">if_tsresol option byte (e.g. 9 = nanoseconds, 0x80 | 10 = 2^-10), none = microseconds.</param>
    /// <param name="tsoffset">if_tsoffset option, seconds added to every timestamp.</param>
    public PcapngBuilder Interface(ushort linkType, byte? tsresol = null, long? tsoffset = null)
    {
        var options = new List<byte>();
        if (tsresol is { } r)
        {
            options.AddRange(Option(9, [r]));
        }

        if (tsoffset is { } o)
        {
            var v = new byte[8];
            if (bigEndian)
            {
                BinaryPrimitives.WriteInt64BigEndian(v, o);
            }
            else
            {
                BinaryPrimitives.WriteInt64LittleEndian(v, o);
            }

            options.AddRange(Option(14, v));
        }

        if (options.Count > 0)
        {
            options.AddRange(Option(0, []));
        }

        var body = new byte[8 + options.Count];
        U16(body, 0, linkType);
        U32(body, 4, 262144);
        options.CopyTo(body, 8);
        return Block(1, body);
    }

    public PcapngBuilder EnhancedPacket(uint interfaceId, ulong ticks, ReadOnlySpan<byte> data, uint? wireLength = null)
    {
        var body = new byte[20 + Pad4(data.Length)];
        U32(body, 0, interfaceId);
        U32(body, 4, (uint)(ticks >> 32));
        U32(body, 8, (uint)ticks);
        U32(body, 12, (uint)data.Length);
        U32(body, 16, wireLength ?? (uint)data.Length);
        data.CopyTo(body.AsSpan(20));
        return Block(6, body);
    }

    public PcapngBuilder SimplePacket(ReadOnlySpan<byte> data)
    {
        var body = new byte[4 + Pad4(data.Length)];
        U32(body, 0, (uint)data.Length);
        data.CopyTo(body.AsSpan(4));
        return Block(3, body);
    }

    /// <summary>Any other block (name resolution, statistics, custom): the reader must skip it.</summary>
    public PcapngBuilder Other(uint type, int bodyLength) => Block(type, new byte[Pad4(bodyLength)]);

    /// <summary>A raw block with a chosen length field, for corrupt-file tests.</summary>
    public PcapngBuilder RawBlock(uint type, uint declaredLength, ReadOnlySpan<byte> body)
    {
        var header = new byte[8];
        U32(header, 0, type);
        U32(header, 4, declaredLength);
        _bytes.Write(header);
        _bytes.Write(body);
        return this;
    }

    public byte[] ToArray() => _bytes.ToArray();

    private PcapngBuilder Block(uint type, byte[] body)
    {
        var total = (uint)(12 + body.Length);
        var header = new byte[8];
        U32(header, 0, type);
        U32(header, 4, total);
        _bytes.Write(header);
        _bytes.Write(body);
        var trailer = new byte[4];
        U32(trailer, 0, total);
        _bytes.Write(trailer);
        return this;
    }

    private byte[] Option(ushort code, byte[] value)
    {
        var option = new byte[4 + Pad4(value.Length)];
        U16(option, 0, code);
        U16(option, 2, (ushort)value.Length);
        value.CopyTo(option, 4);
        return option;
    }

    private static int Pad4(int length) => (length + 3) & ~3;

    private void U16(byte[] b, int at, ushort v)
    {
        if (bigEndian)
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
        if (bigEndian)
        {
            BinaryPrimitives.WriteUInt32BigEndian(b.AsSpan(at), v);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(at), v);
        }
    }
}
