namespace Flowhive.Shared.Wire.NetFlow;

/// <summary>
/// One template as an encoder sends it: the fields for one IP version, its id, and the sizes the encoder checks
/// against the datagram size (template record, largest data record) and the counter widths that decide when a
/// flow must be sliced.
/// </summary>
internal sealed class TemplateLayout
{
    /// <summary>IPFIX variable-length prefix: one byte below 255, else 255 and two length bytes.</summary>
    private const int MaxVariableLengthPrefix = 3;

    public TemplateLayout(IReadOnlyList<InformationElement> elements, ushort templateId, int family, NetFlowVersion version)
    {
        Elements = [.. elements];
        TemplateId = templateId;
        Family = family;
        Variable = [.. Elements.Select(e => version == NetFlowVersion.Ipfix && e.Type == ElementType.Text)];
        for (var i = 0; i < Elements.Length; i++)
        {
            var e = Elements[i];
            MaxRecordLength += e.Length + (Variable[i] ? MaxVariableLengthPrefix : 0);
            TemplateRecordLength += version == NetFlowVersion.Ipfix && e.IsEnterprise ? 8 : 4;
        }

        TemplateRecordLength += 4;
        MaxBytes = CounterCapacity(ElementSource.Bytes, ElementSource.ReverseBytes);
        MaxPackets = CounterCapacity(ElementSource.Packets, ElementSource.ReversePackets);
    }

    public InformationElement[] Elements { get; }

    /// <summary>Whether each field is sent with IPFIX's variable-length encoding.</summary>
    public bool[] Variable { get; }

    public ushort TemplateId { get; }

    public int Family { get; }

    /// <summary>Largest data record, strings at their full length.</summary>
    public int MaxRecordLength { get; }

    /// <summary>Bytes of this template's record inside a template set.</summary>
    public int TemplateRecordLength { get; }

    /// <summary>Largest byte count one record's narrowest byte counter holds.</summary>
    public ulong MaxBytes { get; }

    public ulong MaxPackets { get; }

    public static ulong Capacity(int bytes) => bytes >= 8 ? ulong.MaxValue : (1UL << (8 * bytes)) - 1;

    private ulong CounterCapacity(ElementSource forward, ElementSource reverse)
    {
        var capacity = ulong.MaxValue;
        foreach (var e in Elements)
        {
            if (e.Source == forward || e.Source == reverse)
            {
                capacity = Math.Min(capacity, Capacity(e.Length));
            }
        }

        return capacity;
    }
}
