namespace Flowhive.Shared.Wire.NetFlow;

/// <summary>What an element's value may depend on beyond the flow: the exporter's settings, its clock (v5/v9) and its record count.</summary>
internal readonly record struct EncodeState(NetFlowEncoderOptions Options, SysUptimeClock? Clock, long RecordsExported);
