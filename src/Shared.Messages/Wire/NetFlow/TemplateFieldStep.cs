namespace Flowhive.Shared.Wire.NetFlow;

/// <summary>
/// One field of a fixed-length template that the decoder reads, at its offset in the record. Fields nothing is
/// taken from (next hop, SNMP indexes, AS numbers, masks, ...) have no step: they cost nothing per record.
/// </summary>
internal readonly record struct TemplateFieldStep(DecodedField Field, int Offset, bool IsSamplingInterval);
