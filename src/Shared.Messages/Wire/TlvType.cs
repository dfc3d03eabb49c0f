namespace Flowhive.Shared.Wire;

/// <summary>
/// nDPI serializer type codes (<c>ndpi_serialization_type</c>). An item's type byte packs the key type in the
/// high nibble and the value type in the low one, so only codes 0-15 can appear; nDPI's double (16) cannot be
/// expressed and is therefore absent here.
/// </summary>
public enum TlvType : byte
{
    /// <summary>A value nibble of 0 ends the buffer for ntopng.</summary>
    Unknown = 0,
    EndOfRecord = 1,
    UInt8 = 2,
    UInt16 = 3,
    UInt32 = 4,
    UInt64 = 5,
    Int8 = 6,
    Int16 = 7,
    Int32 = 8,
    Int64 = 9,

    /// <summary>4 bytes in the writer's host order; little-endian everywhere nProbe and ntopng run.</summary>
    Float = 10,

    /// <summary>u16 big-endian length, then that many bytes, no NUL.</summary>
    String = 11,
    StartOfBlock = 12,
    EndOfBlock = 13,
    StartOfList = 14,
    EndOfList = 15,
}
