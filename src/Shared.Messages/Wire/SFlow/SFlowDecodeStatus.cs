namespace Flowhive.Shared.Wire.SFlow;

/// <summary>
/// What was wrong with an sFlow v5 datagram. Framing problems stop the datagram (or the sample); the others drop
/// one record or sample and decoding goes on. <see cref="SFlowDecodeCounters"/> counts every occurrence by reason.
/// </summary>
public enum SFlowDecodeStatus : byte
{
    Ok = 0,

    /// <summary>Shorter than its header.</summary>
    Truncated,

    /// <summary>Not sFlow version 5.</summary>
    UnknownVersion,

    /// <summary>An agent address type other than IPv4 (1) or IPv6 (2).</summary>
    BadAgentAddress,

    /// <summary>A sample whose length runs past the datagram (or a sample count promising more samples than there are bytes for), or a sample too short for its own fixed fields: the rest of the datagram is not read.</summary>
    BadSampleLength,

    /// <summary>A flow or counter record whose length runs past its sample, or is too short for its format: the rest of the sample is not read.</summary>
    BadRecordLength,

    /// <summary>A raw packet header record whose header length exceeds the record, or that holds no IP packet we can read: no flow.</summary>
    UnreadableHeader,

    /// <summary>A flow sample with sampling rate 0: no flow (the rate cannot be applied).</summary>
    ZeroSamplingRate,

    /// <summary>The caller's record limit was reached; the rest of the datagram was not read.</summary>
    TooManyRecords,
}
