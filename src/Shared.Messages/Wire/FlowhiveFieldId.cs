namespace Flowhive.Shared.Wire;

/// <summary>
/// Flowhive's own flow fields: what the probe knows and nProbe's templates have no field for. They travel under
/// an enterprise number as "PEN.field" string keys in TLV and JSON (labels with <c>--json-labels</c>), the key
/// form nProbe uses for other vendors' fields; ntopng keeps unknown keys aside instead of failing the record.
/// Inside Flowhive each is a <c>uint</c> id above every NFv9 id, so the field code handles them like nProbe's.
/// </summary>
public static class FlowhiveFieldId
{
    /// <summary>
    /// IANA's enterprise number for documentation (RFC 5612): Flowhive has no registered number yet. Probe and
    /// collector change together when it gets one; nothing else depends on the value.
    /// </summary>
    public const uint Pen = 32473;

    /// <summary>Internal ids are <see cref="Base"/> + the field number under <see cref="Pen"/>.</summary>
    public const uint Base = 0xFFFF_0000;

    /// <summary>Tunnel id the inner packet came from (VXLAN VNI, GTP TEID, GRE key).</summary>
    public const uint TunnelId = Base + 1;

    /// <summary>nDPI category id (<c>ndpi_protocol_category_t</c>), custom category rules applied.</summary>
    public const uint L7Category = Base + 2;

    public static bool IsFlowhive(uint id) => id > Base;

    /// <summary>The internal id of field <paramref name="field"/> under <see cref="Pen"/>, or false for one Flowhive does not define.</summary>
    public static bool TryFromPen(uint field, out uint id)
    {
        id = Base + field;
        return id is TunnelId or L7Category;
    }

    /// <summary>The field's "PEN.field" key as UTF-8, written without allocating.</summary>
    public static ReadOnlySpan<byte> Key(uint id) => id switch
    {
        TunnelId => "32473.1"u8,
        L7Category => "32473.2"u8,
        _ => throw new ArgumentOutOfRangeException(nameof(id), id, "not a Flowhive field"),
    };
}
