namespace Flowhive.Shared.Wire.NetFlow;

/// <summary>A template (or options template) received from an exporter.</summary>
internal sealed class DecodedTemplate(DecodedField[] fields, bool isOptions)
{
    public DecodedField[] Fields { get; } = fields;

    /// <summary>Options templates describe exporter data (sampling, interfaces), not flows: their records are skipped.</summary>
    public bool IsOptions { get; } = isOptions;

    /// <summary>Shortest possible record: fixed lengths plus one byte per variable-length field. Never 0.</summary>
    public int MinRecordLength { get; } = fields.Sum(f => f.Variable ? 1 : f.Length);

    /// <summary>Use stamp for least-recently-used eviction.</summary>
    public long LastUsed { get; set; }

    public bool SameFieldsAs(ReadOnlySpan<DecodedField> other, bool isOptions) =>
        IsOptions == isOptions && Fields.AsSpan().SequenceEqual(other);
}
