namespace Flowhive.Shared.Wire.NetFlow;

/// <summary>What <see cref="NetFlowDecoder.Decode"/> did with one datagram.</summary>
/// <param name="Status">The first problem met, or <see cref="NetFlowDecodeStatus.Ok"/>.</param>
/// <param name="Version">The header's version field (0 when the datagram is too short to have one).</param>
/// <param name="RecordsDecoded">Flow records appended to the caller's list.</param>
/// <param name="RecordsDropped">Data records read but not appended (no addresses, cut short, over the limit).</param>
/// <param name="TemplatesLearned">Templates added or changed.</param>
public readonly record struct NetFlowDecodeResult(
    NetFlowDecodeStatus Status,
    ushort Version,
    int RecordsDecoded,
    int RecordsDropped,
    int TemplatesLearned);
