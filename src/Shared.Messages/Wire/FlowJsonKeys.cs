namespace Flowhive.Shared.Wire;

/// <summary>How <see cref="FlowRecordJson.Encode"/> names fields.</summary>
public enum FlowJsonKeys : byte
{
    /// <summary>Decimal NFv9 ids ("8", "57590"): nProbe's default.</summary>
    Numeric = 0,

    /// <summary>nProbe labels ("IPV4_SRC_ADDR"), as with <c>--json-labels</c>.</summary>
    Labels,
}
