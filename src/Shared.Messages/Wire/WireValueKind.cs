namespace Flowhive.Shared.Wire;

/// <summary>The value shapes both flow encodings (TLV and JSON) carry.</summary>
internal enum WireValueKind : byte
{
    Unsigned,
    Signed,
    Float,
    Text,

    /// <summary>JSON true/false/null, nested objects and arrays: nothing a flow field can use.</summary>
    Other,
}
