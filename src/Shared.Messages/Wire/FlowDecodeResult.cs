namespace Flowhive.Shared.Wire;

/// <summary>What <see cref="FlowRecordTlv.Decode"/> or <see cref="FlowRecordJson.Decode"/> did with one payload.</summary>
/// <param name="Status">The first problem met, or <see cref="FlowDecodeStatus.Ok"/>.</param>
/// <param name="RecordsDecoded">Records appended to the caller's list.</param>
/// <param name="RecordsDropped">Records not appended: missing addresses, over the limit, or with items already read when a framing error ended decoding.</param>
/// <param name="UnknownFields">Items whose key this codec does not interpret (kept by ntopng as "additional fields").</param>
/// <param name="InvalidValues">Items of a known field whose value could not be used (wrong type, unparsable text, too long).</param>
/// <param name="BytesRead">Offset where decoding stopped.</param>
public readonly record struct FlowDecodeResult(
    FlowDecodeStatus Status,
    int RecordsDecoded,
    int RecordsDropped,
    int UnknownFields,
    int InvalidValues,
    int BytesRead);
