using System.Buffers.Binary;

namespace Flowhive.Probe.Engine.Classification.Micro.Parsers;

/// <summary>
/// Big-endian reads over untrusted bytes. Every read checks the remaining length first and fails (returns false,
/// position unchanged) rather than reading past the end: the one primitive every parser here is built on.
/// </summary>
public ref struct SpanReader(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private int _position;

    public readonly int Position => _position;

    public readonly int Remaining => _data.Length - _position;

    public readonly bool IsEmpty => _position >= _data.Length;

    public readonly ReadOnlySpan<byte> Rest => _data[_position..];

    public bool TryU8(out byte value)
    {
        if (Remaining < 1)
        {
            value = 0;
            return false;
        }

        value = _data[_position++];
        return true;
    }

    public bool TryU16(out ushort value)
    {
        if (Remaining < 2)
        {
            value = 0;
            return false;
        }

        value = BinaryPrimitives.ReadUInt16BigEndian(_data[_position..]);
        _position += 2;
        return true;
    }

    public bool TryU24(out int value)
    {
        if (Remaining < 3)
        {
            value = 0;
            return false;
        }

        value = (_data[_position] << 16) | (_data[_position + 1] << 8) | _data[_position + 2];
        _position += 3;
        return true;
    }

    public bool TryU32(out uint value)
    {
        if (Remaining < 4)
        {
            value = 0;
            return false;
        }

        value = BinaryPrimitives.ReadUInt32BigEndian(_data[_position..]);
        _position += 4;
        return true;
    }

    public bool TrySkip(int count)
    {
        if (count < 0 || Remaining < count)
        {
            return false;
        }

        _position += count;
        return true;
    }

    public bool TryBytes(int count, out ReadOnlySpan<byte> bytes)
    {
        if (count < 0 || Remaining < count)
        {
            bytes = [];
            return false;
        }

        bytes = _data.Slice(_position, count);
        _position += count;
        return true;
    }

    /// <summary>A vector with a one-byte length prefix (TLS <c>opaque x&lt;0..2^8-1&gt;</c>).</summary>
    public bool TryU8Prefixed(out ReadOnlySpan<byte> bytes)
    {
        var start = _position;
        if (TryU8(out var length) && TryBytes(length, out bytes))
        {
            return true;
        }

        _position = start;
        bytes = [];
        return false;
    }

    public bool TryU16Prefixed(out ReadOnlySpan<byte> bytes)
    {
        var start = _position;
        if (TryU16(out var length) && TryBytes(length, out bytes))
        {
            return true;
        }

        _position = start;
        bytes = [];
        return false;
    }

    public bool TryU24Prefixed(out ReadOnlySpan<byte> bytes)
    {
        var start = _position;
        if (TryU24(out var length) && TryBytes(length, out bytes))
        {
            return true;
        }

        _position = start;
        bytes = [];
        return false;
    }

    /// <summary>A string with a four-byte length prefix (SSH <c>string</c> and <c>name-list</c>, RFC 4251 section 5).</summary>
    public bool TryU32Prefixed(out ReadOnlySpan<byte> bytes)
    {
        var start = _position;
        if (TryU32(out var length) && length <= (uint)Remaining && TryBytes((int)length, out bytes))
        {
            return true;
        }

        _position = start;
        bytes = [];
        return false;
    }

    /// <summary>A QUIC variable-length integer (RFC 9000 section 16).</summary>
    public bool TryVarInt(out ulong value)
    {
        value = 0;
        if (Remaining < 1)
        {
            return false;
        }

        var length = 1 << (_data[_position] >> 6);
        if (Remaining < length)
        {
            return false;
        }

        value = (ulong)(_data[_position] & 0x3F);
        for (var i = 1; i < length; i++)
        {
            value = (value << 8) | _data[_position + i];
        }

        _position += length;
        return true;
    }
}
