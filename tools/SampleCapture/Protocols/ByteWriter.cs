using System.Buffers.Binary;
using System.Text;

namespace Flowhive.Tools.SampleCapture.Protocols;

/// <summary>
/// Big-endian wire writer with length-prefixed blocks (<see cref="Block16"/> etc. back-patch the length
/// after the body is written), which is how TLS, QUIC transport parameters, DNS and SSH nest their fields.
/// </summary>
internal sealed class ByteWriter
{
    private byte[] _buffer = new byte[256];

    public int Length { get; private set; }

    public ByteWriter U8(int value)
    {
        Ensure(1)[0] = (byte)value;
        return this;
    }

    public ByteWriter U16(int value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(Ensure(2), (ushort)value);
        return this;
    }

    public ByteWriter U24(int value)
    {
        var s = Ensure(3);
        s[0] = (byte)(value >> 16);
        s[1] = (byte)(value >> 8);
        s[2] = (byte)value;
        return this;
    }

    public ByteWriter U32(uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(Ensure(4), value);
        return this;
    }

    public ByteWriter U64(ulong value)
    {
        BinaryPrimitives.WriteUInt64BigEndian(Ensure(8), value);
        return this;
    }

    public ByteWriter Bytes(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(Ensure(bytes.Length));
        return this;
    }

    public ByteWriter Ascii(string text) => Bytes(Encoding.ASCII.GetBytes(text));

    public ByteWriter Random(Random random, int count)
    {
        random.NextBytes(Ensure(count));
        return this;
    }

    /// <summary>QUIC variable-length integer (RFC 9000 section 16), in the shortest form.</summary>
    public ByteWriter VarInt(ulong value) => value switch
    {
        < 1UL << 6 => U8((int)value),
        < 1UL << 14 => U16((int)(0x4000 | value)),
        < 1UL << 30 => U32((uint)(0x8000_0000 | value)),
        _ => U64(0xC000_0000_0000_0000 | value),
    };

    public ByteWriter Block8(Action<ByteWriter> body) => Block(1, body);

    public ByteWriter Block16(Action<ByteWriter> body) => Block(2, body);

    public ByteWriter Block24(Action<ByteWriter> body) => Block(3, body);

    public ByteWriter Block32(Action<ByteWriter> body) => Block(4, body);

    public byte[] ToArray() => _buffer.AsSpan(0, Length).ToArray();

    private ByteWriter Block(int width, Action<ByteWriter> body)
    {
        var at = Length;
        Ensure(width).Clear();
        body(this);
        var length = Length - at - width;
        var limit = width == 4 ? uint.MaxValue : (1u << (8 * width)) - 1;
        if ((uint)length > limit)
        {
            throw new InvalidOperationException($"block of {length} bytes does not fit a {width}-byte length");
        }

        for (var i = 0; i < width; i++)
        {
            _buffer[at + i] = (byte)(length >> (8 * (width - 1 - i)));
        }

        return this;
    }

    private Span<byte> Ensure(int count)
    {
        if (Length + count > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, Length + count));
        }

        var span = _buffer.AsSpan(Length, count);
        Length += count;
        return span;
    }
}
