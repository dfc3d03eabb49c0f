namespace Flowhive.Shared.Wire;

/// <summary>What <see cref="FlowRecordTlv.Encode"/> put into one payload.</summary>
public readonly record struct FlowEncodeResult(FlowEncodeStatus Status, int RecordsWritten, int BytesWritten);
