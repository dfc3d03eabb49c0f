namespace Flowhive.Shared.Wire.NetFlow;

/// <summary>
/// What was wrong with a NetFlow/IPFIX datagram. Framing problems (truncation, bad set lengths, unknown version)
/// stop decoding of the datagram or the set; the others drop one template, set, record or field and decoding
/// goes on. <see cref="NetFlowDecodeCounters"/> counts every occurrence by reason.
/// </summary>
public enum NetFlowDecodeStatus : byte
{
    Ok = 0,

    /// <summary>Shorter than its header, or a header, v5 record count or variable-length field promised more bytes than there are.</summary>
    Truncated,

    /// <summary>Not 5, 9 or 10.</summary>
    UnknownVersion,

    /// <summary>A set (flowset) length below 4 or past the end of the datagram; the rest of the datagram is not read.</summary>
    MalformedSet,

    /// <summary>A template whose fields run past its set, with more fields than the decoder keeps, or whose records would exceed 65535 bytes: ignored.</summary>
    TemplateLengthOverflow,

    /// <summary>A template with a field of length 0: ignored (its records could not be delimited).</summary>
    ZeroLengthField,

    /// <summary>A template or options template id below 256: ignored.</summary>
    ReservedTemplateId,

    /// <summary>A data set for a template this exporter never sent (or that was evicted): the set is skipped.</summary>
    UnknownTemplate,

    /// <summary>The caller's record limit was reached; the rest of the datagram was not read.</summary>
    TooManyRecords,

    /// <summary>A data record without source or destination address: dropped.</summary>
    MissingAddresses,

    /// <summary>A known field whose length cannot hold its type (a 3-byte address): that field was ignored.</summary>
    InvalidValue,
}
