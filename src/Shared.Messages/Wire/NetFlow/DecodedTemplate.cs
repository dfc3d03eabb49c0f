namespace Flowhive.Shared.Wire.NetFlow;

/// <summary>A template (or options template) received from an exporter.</summary>
internal sealed class DecodedTemplate(DecodedField[] fields, bool isOptions)
{
    public DecodedField[] Fields { get; } = fields;

    /// <summary>Options templates describe exporter data (sampling, interfaces), not flows: their records are skipped.</summary>
    public bool IsOptions { get; } = isOptions;

    /// <summary>Shortest possible record: fixed lengths plus one byte per variable-length field. Never 0.</summary>
    public int MinRecordLength { get; } = fields.Sum(f => f.Variable ? 1 : f.Length);

    /// <summary>The record length when every field has a fixed length (the common case); 0 when a field is variable-length.</summary>
    public int FixedRecordLength { get; } = fields.Any(f => f.Variable) ? 0 : fields.Sum(f => f.Length);

    /// <summary>For a fixed-length template, the fields the decoder reads, each at its offset: resolved once, not per record.</summary>
    public TemplateFieldStep[] Steps { get; } = FixedSteps(fields, isOptions);

    /// <summary>Use stamp for least-recently-used eviction.</summary>
    public long LastUsed { get; set; }

    public bool SameFieldsAs(ReadOnlySpan<DecodedField> other, bool isOptions) =>
        IsOptions == isOptions && Fields.AsSpan().SequenceEqual(other);

    private static TemplateFieldStep[] FixedSteps(DecodedField[] fields, bool isOptions)
    {
        if (fields.Any(f => f.Variable))
        {
            return [];
        }

        var steps = new List<TemplateFieldStep>();
        var offset = 0;
        foreach (var field in fields)
        {
            var sampling = NetFlowSamplingRates.IsSamplingInterval(field);
            if (sampling || (field.Known && !isOptions && field.Source != ElementSource.None))
            {
                steps.Add(new TemplateFieldStep(field, offset, sampling));
            }

            offset += field.Length;
        }

        return [.. steps];
    }
}
