using System.Buffers.Binary;

namespace Flowhive.Shared.Wire;

/// <summary>
/// Reads an nDPI TLV buffer item by item without allocating. Accepts what ntopng's flow parser accepts:
/// keys u8/u16/u32 or string, values u8-u64, i8-i64, float and string. Every length is checked against the
/// buffer before it is used; errors are reported as a <see cref="TlvReadStatus"/> that sticks, never thrown.
/// </summary>
public ref struct TlvReader
{
    private readonly ReadOnlySpan<byte> _buffer;
    private int _position;

    /// <summary><see cref="TlvReadStatus.Item"/> while reading may continue; otherwise End or the error.</summary>
    private TlvReadStatus _state;

    /// <param name="payload">The whole buffer, starting with the 2-byte header.</param>
    public TlvReader(ReadOnlySpan<byte> payload)
    {
        _buffer = payload;
        _position = Math.Min(payload.Length, TlvWriter.HeaderLength);
        _state = CheckHeader(payload);
        KeyType = TlvType.Unknown;
        ValueType = TlvType.Unknown;
        Key = 0;
        KeyString = default;
        UInt64Value = 0;
        Int64Value = 0;
        FloatValue = 0;
        StringValue = default;
    }

    /// <summary>Offset of the next unread byte; after an error, the start of the offending item.</summary>
    public readonly int Position => _position;

    /// <summary>The header check result: <see cref="TlvReadStatus.Item"/> when the header is valid.</summary>
    public readonly TlvReadStatus HeaderStatus => CheckHeader(_buffer);

    /// <summary>The key's wire type: UInt8/UInt16/UInt32 (see <see cref="Key"/>) or String (see <see cref="KeyString"/>).</summary>
    public TlvType KeyType { get; private set; }

    public TlvType ValueType { get; private set; }

    public readonly bool HasStringKey => KeyType == TlvType.String;

    /// <summary>The numeric key, widened; 0 for string keys.</summary>
    public uint Key { get; private set; }

    /// <summary>The raw bytes of a string key (normally ASCII).</summary>
    public ReadOnlySpan<byte> KeyString { get; private set; }

    /// <summary>The value of an unsigned item, widened.</summary>
    public ulong UInt64Value { get; private set; }

    /// <summary>The value of a signed item, sign-extended.</summary>
    public long Int64Value { get; private set; }

    public float FloatValue { get; private set; }

    /// <summary>The raw bytes of a string value (UTF-8 by convention, not validated).</summary>
    public ReadOnlySpan<byte> StringValue { get; private set; }

    public readonly bool IsUnsigned => ValueType is >= TlvType.UInt8 and <= TlvType.UInt64;

    public readonly bool IsSigned => ValueType is >= TlvType.Int8 and <= TlvType.Int64;

    /// <summary>Advances to the next item or record end.</summary>
    public TlvReadStatus Read()
    {
        if (_state != TlvReadStatus.Item)
        {
            return _state;
        }

        if (_position >= _buffer.Length)
        {
            return _state = TlvReadStatus.End;
        }

        var typeByte = _buffer[_position];
        var keyType = (TlvType)(typeByte >> 4);
        var valueType = (TlvType)(typeByte & 0x0F);

        if (valueType == TlvType.Unknown)
        {
            return _state = TlvReadStatus.End;
        }

        if (valueType == TlvType.EndOfRecord)
        {
            // nDPI only ever writes a bare 0x01; a key in front of the marker is not something it produces.
            if (keyType != TlvType.Unknown)
            {
                return _state = TlvReadStatus.UnsupportedKeyType;
            }

            _position++;
            KeyType = TlvType.Unknown;
            ValueType = TlvType.EndOfRecord;
            return TlvReadStatus.EndOfRecord;
        }

        if (keyType is not (TlvType.UInt8 or TlvType.UInt16 or TlvType.UInt32 or TlvType.String))
        {
            return _state = TlvReadStatus.UnsupportedKeyType;
        }

        if (valueType > TlvType.String)
        {
            return _state = TlvReadStatus.UnsupportedValueType;
        }

        var rest = _buffer[(_position + 1)..];
        if (!TryReadKey(keyType, rest, out var keyLength) || !TryReadValue(valueType, rest[keyLength..], out var valueLength))
        {
            return _state = TlvReadStatus.TruncatedItem;
        }

        KeyType = keyType;
        ValueType = valueType;
        _position += 1 + keyLength + valueLength;
        return TlvReadStatus.Item;
    }

    /// <summary>Checks the 2-byte header as nDPI and ntopng do: version 1, format TLV.</summary>
    public static TlvReadStatus CheckHeader(ReadOnlySpan<byte> payload) =>
        payload.Length < TlvWriter.HeaderLength ? TlvReadStatus.BadHeader
        : payload[0] != TlvWriter.SerializerVersion ? TlvReadStatus.UnsupportedSerializerVersion
        : payload[1] != TlvWriter.TlvFormat ? TlvReadStatus.UnsupportedFormat
        : TlvReadStatus.Item;

    private bool TryReadKey(TlvType keyType, ReadOnlySpan<byte> span, out int length)
    {
        KeyString = default;
        Key = 0;
        switch (keyType)
        {
            case TlvType.UInt8:
                length = 1;
                if (span.Length < 1)
                {
                    return false;
                }

                Key = span[0];
                return true;
            case TlvType.UInt16:
                length = 2;
                if (span.Length < 2)
                {
                    return false;
                }

                Key = BinaryPrimitives.ReadUInt16BigEndian(span);
                return true;
            case TlvType.UInt32:
                length = 4;
                if (span.Length < 4)
                {
                    return false;
                }

                Key = BinaryPrimitives.ReadUInt32BigEndian(span);
                return true;
            default:
                if (!TryReadString(span, out var key, out length))
                {
                    return false;
                }

                KeyString = key;
                return true;
        }
    }

    private bool TryReadValue(TlvType valueType, ReadOnlySpan<byte> span, out int length)
    {
        UInt64Value = 0;
        Int64Value = 0;
        FloatValue = 0;
        StringValue = default;
        length = valueType switch
        {
            TlvType.UInt8 or TlvType.Int8 => 1,
            TlvType.UInt16 or TlvType.Int16 => 2,
            TlvType.UInt32 or TlvType.Int32 or TlvType.Float => 4,
            TlvType.UInt64 or TlvType.Int64 => 8,
            _ => 0,
        };

        if (valueType == TlvType.String)
        {
            if (!TryReadString(span, out var value, out length))
            {
                return false;
            }

            StringValue = value;
            return true;
        }

        if (span.Length < length)
        {
            return false;
        }

        switch (valueType)
        {
            case TlvType.UInt8:
                UInt64Value = span[0];
                break;
            case TlvType.UInt16:
                UInt64Value = BinaryPrimitives.ReadUInt16BigEndian(span);
                break;
            case TlvType.UInt32:
                UInt64Value = BinaryPrimitives.ReadUInt32BigEndian(span);
                break;
            case TlvType.UInt64:
                UInt64Value = BinaryPrimitives.ReadUInt64BigEndian(span);
                break;
            case TlvType.Int8:
                Int64Value = (sbyte)span[0];
                break;
            case TlvType.Int16:
                Int64Value = BinaryPrimitives.ReadInt16BigEndian(span);
                break;
            case TlvType.Int32:
                Int64Value = BinaryPrimitives.ReadInt32BigEndian(span);
                break;
            case TlvType.Int64:
                Int64Value = BinaryPrimitives.ReadInt64BigEndian(span);
                break;
            default:
                FloatValue = BinaryPrimitives.ReadSingleLittleEndian(span);
                break;
        }

        return true;
    }

    private static bool TryReadString(ReadOnlySpan<byte> span, out ReadOnlySpan<byte> value, out int length)
    {
        value = default;
        length = 2;
        if (span.Length < 2)
        {
            return false;
        }

        var stringLength = BinaryPrimitives.ReadUInt16BigEndian(span);
        length = 2 + stringLength;
        if (span.Length < length)
        {
            return false;
        }

        value = span.Slice(2, stringLength);
        return true;
    }
}
