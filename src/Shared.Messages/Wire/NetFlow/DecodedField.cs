namespace Flowhive.Shared.Wire.NetFlow;

/// <summary>One field of a received template, with what Flowhive makes of it resolved once, when the template arrives.</summary>
internal readonly record struct DecodedField(ushort Id, uint Enterprise, ushort Length, bool Variable, ElementSource Source, ElementType Type, bool Known);
