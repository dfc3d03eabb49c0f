namespace Flowhive.Shared.Wire;

/// <summary>
/// Flags byte of the 36-byte (version 4) header. ntopng defines them as <c>2&lt;&lt;0</c> and <c>2&lt;&lt;1</c>,
/// so bit 0x01 is unused. Neither flag set means an uncompressed JSON payload.
/// </summary>
[Flags]
public enum ZmqHeaderFlags : byte
{
    None = 0,

    /// <summary>ZMQ_FLAG_IS_TLV: the payload is an nDPI TLV buffer.</summary>
    Tlv = 0x02,

    /// <summary>ZMQ_FLAG_IS_COMPRESSED: the payload is zlib (RFC 1950) data.</summary>
    Compressed = 0x04,
}
