using System.Buffers;
using System.Buffers.Binary;
using System.Text.Unicode;

namespace Flowhive.Shared.Wire;

/// <summary>
/// Writes an nDPI TLV buffer (<c>ndpi_serializer</c> in TLV format) into a caller-owned span without
/// allocating. Integers and uint keys are shrunk to the smallest width that holds them, as nDPI does.
/// Every write is all-or-nothing: when the item does not fit, nothing is written, the method returns false
/// and <see cref="HasOverflowed"/> is set, so a caller can <see cref="Rewind"/> to the start of a record.
/// </summary>
public ref struct TlvWriter : IFlowFieldSink
{
    /// <summary>Serializer version byte, the first header byte; nDPI rejects any other.</summary>
    public const byte SerializerVersion = 1;

    /// <summary>ndpi_serialization_format_tlv, the second header byte.</summary>
    public const byte TlvFormat = 1;

    public const int HeaderLength = 2;

    /// <summary>Strings and string keys carry a u16 length.</summary>
    public const int MaxStringLength = ushort.MaxValue;

    /// <summary>Longest text written for one of Flowhive's own fields.</summary>
    private const int FlowhiveTextLimit = 1024;

    private readonly Span<byte> _buffer;
    private int _position;

    public TlvWriter(Span<byte> destination)
    {
        _buffer = destination;
        _position = 0;
        HasOverflowed = false;
    }

    /// <summary>Bytes written so far.</summary>
    public readonly int Position => _position;

    public readonly int Remaining => _buffer.Length - _position;

    public readonly ReadOnlySpan<byte> WrittenSpan => _buffer[.._position];

    /// <summary>Set when a write did not fit; cleared by <see cref="Rewind"/>.</summary>
    public bool HasOverflowed { get; private set; }

    /// <summary>Drops everything written after <paramref name="position"/> (e.g. a record that did not fit).</summary>
    public void Rewind(int position)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(position, _position);
        _position = position;
        HasOverflowed = false;
    }

    /// <summary>Writes the 2-byte buffer header <c>01 01</c>.</summary>
    public bool TryWriteHeader()
    {
        if (!Reserve(HeaderLength, out var span))
        {
            return false;
        }

        span[0] = SerializerVersion;
        span[1] = TlvFormat;
        return true;
    }

    /// <summary>Closes a record with the single byte 0x01.</summary>
    public bool TryWriteEndOfRecord()
    {
        if (!Reserve(1, out var span))
        {
            return false;
        }

        span[0] = (byte)TlvType.EndOfRecord;
        return true;
    }

    public bool TryWriteUInt(uint key, ulong value)
    {
        var (type, size) = UnsignedWidth(value);
        if (!ReserveItem(key, type, size, out var valueSpan))
        {
            return false;
        }

        WriteUnsigned(valueSpan, value);
        return true;
    }

    public bool TryWriteUInt(scoped ReadOnlySpan<byte> key, ulong value)
    {
        var (type, size) = UnsignedWidth(value);
        if (!ReserveItem(key, type, size, out var valueSpan))
        {
            return false;
        }

        WriteUnsigned(valueSpan, value);
        return true;
    }

    public bool TryWriteInt(uint key, long value)
    {
        var (type, size) = SignedWidth(value);
        if (!ReserveItem(key, type, size, out var valueSpan))
        {
            return false;
        }

        WriteUnsigned(valueSpan, (ulong)value);
        return true;
    }

    public bool TryWriteInt(scoped ReadOnlySpan<byte> key, long value)
    {
        var (type, size) = SignedWidth(value);
        if (!ReserveItem(key, type, size, out var valueSpan))
        {
            return false;
        }

        WriteUnsigned(valueSpan, (ulong)value);
        return true;
    }

    public bool TryWriteFloat(uint key, float value)
    {
        if (!ReserveItem(key, TlvType.Float, sizeof(float), out var valueSpan))
        {
            return false;
        }

        BinaryPrimitives.WriteSingleLittleEndian(valueSpan, value);
        return true;
    }

    public bool TryWriteFloat(scoped ReadOnlySpan<byte> key, float value)
    {
        if (!ReserveItem(key, TlvType.Float, sizeof(float), out var valueSpan))
        {
            return false;
        }

        BinaryPrimitives.WriteSingleLittleEndian(valueSpan, value);
        return true;
    }

    /// <summary>Writes a string value that is already UTF-8 (at most 65535 bytes).</summary>
    public bool TryWriteString(uint key, scoped ReadOnlySpan<byte> utf8Value)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(utf8Value.Length, MaxStringLength, nameof(utf8Value));
        if (!ReserveItem(key, TlvType.String, 2 + utf8Value.Length, out var valueSpan))
        {
            return false;
        }

        BinaryPrimitives.WriteUInt16BigEndian(valueSpan, (ushort)utf8Value.Length);
        utf8Value.CopyTo(valueSpan[2..]);
        return true;
    }

    public bool TryWriteString(scoped ReadOnlySpan<byte> key, scoped ReadOnlySpan<byte> utf8Value)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(utf8Value.Length, MaxStringLength, nameof(utf8Value));
        if (!ReserveItem(key, TlvType.String, 2 + utf8Value.Length, out var valueSpan))
        {
            return false;
        }

        BinaryPrimitives.WriteUInt16BigEndian(valueSpan, (ushort)utf8Value.Length);
        utf8Value.CopyTo(valueSpan[2..]);
        return true;
    }

    /// <summary>
    /// Transcodes <paramref name="value"/> to UTF-8 straight into the buffer. Text longer than
    /// <paramref name="maxBytes"/> is cut at a character boundary (invalid UTF-16 becomes U+FFFD); running out of
    /// buffer is not a cut but a failed write.
    /// </summary>
    public bool TryWriteString(uint key, scoped ReadOnlySpan<char> value, int maxBytes = MaxStringLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        var limit = Math.Min(maxBytes, MaxStringLength);
        var prefix = 1 + KeySize(key) + 2;
        if (Remaining < prefix)
        {
            return Overflow();
        }

        var room = Math.Min(Remaining - prefix, limit);
        var start = _position;
        var status = Utf8.FromUtf16(value, _buffer.Slice(start + prefix, room), out _, out var written);
        if (status == OperationStatus.DestinationTooSmall && room < limit)
        {
            return Overflow();
        }

        var item = _buffer[start..];
        item[0] = (byte)(((int)KeyType(key) << 4) | (int)TlvType.String);
        WriteKey(item[1..], key);
        BinaryPrimitives.WriteUInt16BigEndian(item[(prefix - 2)..], (ushort)written);
        _position = start + prefix + written;
        return true;
    }

    // The flow encoder writes through this interface; a field that does not fit shows up in HasOverflowed.
    // Flowhive's own fields go out with their "PEN.field" string key; nProbe's with their numeric one.
    void IFlowFieldSink.WriteUInt(uint id, ulong value) =>
        _ = FlowhiveFieldId.IsFlowhive(id) ? TryWriteUInt(FlowhiveFieldId.Key(id), value) : TryWriteUInt(id, value);

    void IFlowFieldSink.WriteFloat(uint id, float value) =>
        _ = FlowhiveFieldId.IsFlowhive(id) ? TryWriteFloat(FlowhiveFieldId.Key(id), value) : TryWriteFloat(id, value);

    void IFlowFieldSink.WriteUtf8(uint id, scoped ReadOnlySpan<byte> utf8) =>
        _ = FlowhiveFieldId.IsFlowhive(id) ? TryWriteString(FlowhiveFieldId.Key(id), utf8) : TryWriteString(id, utf8);

    void IFlowFieldSink.WriteText(uint id, scoped ReadOnlySpan<char> text, int maxUtf8Bytes)
    {
        if (!FlowhiveFieldId.IsFlowhive(id))
        {
            TryWriteString(id, text, maxUtf8Bytes);
            return;
        }

        // Flowhive's text fields (banners, certificate names...) are short: transcoded on the stack, cut at a
        // character boundary like nProbe's fields, then written under their "PEN.field" key.
        Span<byte> utf8 = stackalloc byte[FlowhiveTextLimit];
        Utf8.FromUtf16(text, utf8[..Math.Min(FlowhiveTextLimit, maxUtf8Bytes)], out _, out var written);
        TryWriteString(FlowhiveFieldId.Key(id), utf8[..written]);
    }

    private static (TlvType Type, int Size) UnsignedWidth(ulong value) => value switch
    {
        <= byte.MaxValue => (TlvType.UInt8, 1),
        <= ushort.MaxValue => (TlvType.UInt16, 2),
        <= uint.MaxValue => (TlvType.UInt32, 4),
        _ => (TlvType.UInt64, 8),
    };

    private static (TlvType Type, int Size) SignedWidth(long value) => value switch
    {
        >= sbyte.MinValue and <= sbyte.MaxValue => (TlvType.Int8, 1),
        >= short.MinValue and <= short.MaxValue => (TlvType.Int16, 2),
        >= int.MinValue and <= int.MaxValue => (TlvType.Int32, 4),
        _ => (TlvType.Int64, 8),
    };

    /// <summary>Writes the low <c>span.Length</c> bytes of <paramref name="value"/> big-endian.</summary>
    private static void WriteUnsigned(Span<byte> span, ulong value)
    {
        switch (span.Length)
        {
            case 1:
                span[0] = (byte)value;
                break;
            case 2:
                BinaryPrimitives.WriteUInt16BigEndian(span, (ushort)value);
                break;
            case 4:
                BinaryPrimitives.WriteUInt32BigEndian(span, (uint)value);
                break;
            default:
                BinaryPrimitives.WriteUInt64BigEndian(span, value);
                break;
        }
    }

    private static TlvType KeyType(uint key) => key switch
    {
        <= byte.MaxValue => TlvType.UInt8,
        <= ushort.MaxValue => TlvType.UInt16,
        _ => TlvType.UInt32,
    };

    private static int KeySize(uint key) => key switch
    {
        <= byte.MaxValue => 1,
        <= ushort.MaxValue => 2,
        _ => 4,
    };

    private static void WriteKey(Span<byte> span, uint key)
    {
        switch (key)
        {
            case <= byte.MaxValue:
                span[0] = (byte)key;
                break;
            case <= ushort.MaxValue:
                BinaryPrimitives.WriteUInt16BigEndian(span, (ushort)key);
                break;
            default:
                BinaryPrimitives.WriteUInt32BigEndian(span, key);
                break;
        }
    }

    private bool ReserveItem(uint key, TlvType valueType, int valueSize, out Span<byte> valueSpan)
    {
        var keySize = KeySize(key);
        if (!Reserve(1 + keySize + valueSize, out var item))
        {
            valueSpan = default;
            return false;
        }

        item[0] = (byte)(((int)KeyType(key) << 4) | (int)valueType);
        WriteKey(item[1..], key);
        valueSpan = item[(1 + keySize)..];
        return true;
    }

    private bool ReserveItem(scoped ReadOnlySpan<byte> key, TlvType valueType, int valueSize, out Span<byte> valueSpan)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(key.Length, MaxStringLength, nameof(key));
        var keySize = 2 + key.Length;
        if (!Reserve(1 + keySize + valueSize, out var item))
        {
            valueSpan = default;
            return false;
        }

        item[0] = (byte)(((int)TlvType.String << 4) | (int)valueType);
        BinaryPrimitives.WriteUInt16BigEndian(item[1..], (ushort)key.Length);
        key.CopyTo(item[3..]);
        valueSpan = item[(1 + keySize)..];
        return true;
    }

    private bool Reserve(int length, out Span<byte> span)
    {
        if (length > Remaining)
        {
            span = default;
            return Overflow();
        }

        span = _buffer.Slice(_position, length);
        _position += length;
        return true;
    }

    private bool Overflow()
    {
        HasOverflowed = true;
        return false;
    }
}
