using System.Buffers.Binary;

namespace Flowhive.Shared.Messages.Tests.Wire.NetFlow;

/// <summary>Writes hand-made NetFlow/IPFIX datagrams, big-endian, for decoder tests; lengths are patched by the caller.</summary>
internal sealed class DatagramBuilder
{
    private readonly List<byte> _bytes = [];

    public int Length => _bytes.Count;

    public DatagramBuilder U8(int value)
    {
        _bytes.Add((byte)value);
        return this;
    }

    public DatagramBuilder U16(int value)
    {
        Span<byte> b = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(b, (ushort)value);
        _bytes.AddRange(b.ToArray());
        return this;
    }

    public DatagramBuilder U32(uint value)
    {
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(b, value);
        _bytes.AddRange(b.ToArray());
        return this;
    }

    public DatagramBuilder U64(ulong value)
    {
        Span<byte> b = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(b, value);
        _bytes.AddRange(b.ToArray());
        return this;
    }

    public DatagramBuilder Bytes(params byte[] bytes)
    {
        _bytes.AddRange(bytes);
        return this;
    }

    /// <summary>Overwrites a big-endian u16 written earlier (a set or message length).</summary>
    public DatagramBuilder PatchU16(int offset, int value)
    {
        _bytes[offset] = (byte)(value >> 8);
        _bytes[offset + 1] = (byte)value;
        return this;
    }

    public byte[] ToArray() => [.. _bytes];

    /// <summary>A v9 header: count, sysUptime, unix seconds, sequence, source id.</summary>
    public static DatagramBuilder V9(uint uptime = 600_000, uint seconds = 1_767_225_610, uint sourceId = 1) =>
        new DatagramBuilder().U16(9).U16(0).U32(uptime).U32(seconds).U32(0).U32(sourceId);

    /// <summary>An IPFIX header; call <see cref="FinishIpfix"/> to set the message length.</summary>
    public static DatagramBuilder Ipfix(uint domain = 1) => new DatagramBuilder().U16(10).U16(0).U32(1_767_225_610).U32(0).U32(domain);

    public byte[] FinishIpfix() => PatchU16(2, Length).ToArray();

    /// <summary>Opens a set; returns its offset for <see cref="CloseSet"/>.</summary>
    public int OpenSet(int id)
    {
        var offset = Length;
        U16(id).U16(0);
        return offset;
    }

    public DatagramBuilder CloseSet(int offset) => PatchU16(offset + 2, Length - offset);
}
