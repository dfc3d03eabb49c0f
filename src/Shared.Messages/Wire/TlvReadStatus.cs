namespace Flowhive.Shared.Wire;

/// <summary>What <see cref="TlvReader.Read"/> found. Values from <see cref="BadHeader"/> on are errors and stick.</summary>
public enum TlvReadStatus : byte
{
    /// <summary>An item was read; its key and value are on the reader.</summary>
    Item = 0,

    /// <summary>The single byte 0x01 that closes a record.</summary>
    EndOfRecord,

    /// <summary>No more items: the buffer is exhausted or the next value type is 0 (where ntopng stops too).</summary>
    End,

    /// <summary>Fewer than the 2 header bytes.</summary>
    BadHeader,

    /// <summary>The first header byte (serializer version) is not 1; nDPI rejects the buffer.</summary>
    UnsupportedSerializerVersion,

    /// <summary>The second header byte is not 1 (TLV); JSON, CSV and multi-line JSON serializers use 2-4.</summary>
    UnsupportedFormat,

    /// <summary>An item's key or value runs past the end of the buffer.</summary>
    TruncatedItem,

    /// <summary>The key is neither u8/u16/u32 nor a string (ntopng: "Unsupported TLV key type").</summary>
    UnsupportedKeyType,

    /// <summary>A block or list marker, which ntopng does not accept in flow records.</summary>
    UnsupportedValueType,
}
