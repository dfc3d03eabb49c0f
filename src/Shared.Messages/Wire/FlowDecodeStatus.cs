namespace Flowhive.Shared.Wire;

/// <summary>
/// The first problem <see cref="FlowRecordTlv.Decode"/> or <see cref="FlowRecordJson.Decode"/> met. Framing
/// errors (header, truncation, key and value types, invalid JSON) stop decoding; the others drop a record or a
/// field and decoding goes on.
/// </summary>
public enum FlowDecodeStatus : byte
{
    Ok = 0,

    /// <summary>The payload is shorter than the 2-byte TLV header.</summary>
    BadHeader,

    /// <summary>The first header byte is not 1.</summary>
    UnsupportedSerializerVersion,

    /// <summary>The second header byte is not 1 (TLV): probably JSON sent with a TLV header.</summary>
    UnsupportedFormat,

    /// <summary>An item runs past the end of the payload; the record it was in is dropped.</summary>
    TruncatedItem,

    UnsupportedKeyType,

    /// <summary>A block or list marker; ntopng aborts the payload there too.</summary>
    UnsupportedValueType,

    /// <summary>A string value longer than <see cref="FlowRecordTlv.MaxStringBytes"/>; that field was ignored.</summary>
    StringTooLong,

    /// <summary>A record without a source or destination address was dropped.</summary>
    MissingAddresses,

    /// <summary>The record limit was reached; the rest of the payload was not read.</summary>
    TooManyRecords,

    /// <summary>JSON only: malformed text, or something other than flow objects where flows were expected.</summary>
    InvalidJson,
}
