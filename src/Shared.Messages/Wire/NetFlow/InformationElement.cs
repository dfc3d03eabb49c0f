namespace Flowhive.Shared.Wire.NetFlow;

/// <summary>
/// One field a NetFlow v9 or IPFIX template can name, as nProbe's <c>-T</c> table describes it: its <c>%NAME</c>,
/// its NetFlow v9 id, its IPFIX enterprise and element id (ntop's own fields are enterprise 35632 in IPFIX and
/// 57472 + n in v9), nProbe's default length, and how Flowhive fills it from a flow record.
/// </summary>
public sealed class InformationElement
{
    internal InformationElement(string name, ushort v9Id, uint enterprise, ushort ipfixId, ushort length, ElementType type, ElementSource source, byte family)
    {
        Name = name;
        V9Id = v9Id;
        Enterprise = enterprise;
        IpfixId = ipfixId;
        Length = length;
        Type = type;
        Source = source;
        Family = family;
    }

    /// <summary>nProbe's name without the '%' (IPV4_SRC_ADDR).</summary>
    public string Name { get; }

    public ushort V9Id { get; }

    /// <summary>0 for IANA elements, <see cref="NtopFieldId.NtopPen"/> for ntop's.</summary>
    public uint Enterprise { get; }

    /// <summary>Element id within <see cref="Enterprise"/> (below 32768: the top bit is IPFIX's enterprise flag).</summary>
    public ushort IpfixId { get; }

    /// <summary>Bytes on the wire; for <see cref="ElementType.Text"/> the most that is sent.</summary>
    public ushort Length { get; }

    public ElementType Type { get; }

    public ElementSource Source { get; }

    /// <summary>4 or 6 for fields that only exist for one IP version (IPV4_SRC_ADDR), 0 otherwise.</summary>
    public byte Family { get; }

    public bool IsEnterprise => Enterprise != 0;

    public override string ToString() => "%" + Name;
}
