namespace Flowhive.Shared.Wire.SFlow;

/// <summary>What <see cref="SFlowDecoder.Decode"/> did with one datagram.</summary>
/// <param name="Status">The first problem met, or <see cref="SFlowDecodeStatus.Ok"/>.</param>
/// <param name="FlowRecords">Flow records appended (one per decodable flow sample).</param>
/// <param name="InterfaceCounters">Generic interface counter records appended.</param>
public readonly record struct SFlowDecodeResult(SFlowDecodeStatus Status, int FlowRecords, int InterfaceCounters);
