namespace Flowhive.Shared.Wire.NetFlow;

/// <summary>How an information element's bytes are laid out on the wire.</summary>
public enum ElementType : byte
{
    /// <summary>A big-endian unsigned integer of the element's length (IPFIX reduced-size encoding: 1 to 8 bytes).</summary>
    Unsigned,

    /// <summary>4 bytes, network order.</summary>
    Ipv4Address,

    /// <summary>16 bytes, network order.</summary>
    Ipv6Address,

    /// <summary>6 bytes.</summary>
    MacAddress,

    /// <summary>
    /// UTF-8 text. NetFlow v9 has no variable-length fields, so there it is padded with zeros to the element's
    /// length (nProbe's fixed lengths); IPFIX sends it with a variable-length prefix, at most the same length.
    /// </summary>
    Text,

    /// <summary>IEEE 754 single precision, big-endian (IPFIX float32).</summary>
    Float32,
}
