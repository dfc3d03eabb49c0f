namespace Flowhive.Shared.Wire.NetFlow;

/// <summary>The export formats nProbe's <c>-V</c> selects; the value is the version field of the packet header.</summary>
public enum NetFlowVersion : ushort
{
    /// <summary>Cisco NetFlow v5: fixed 48-byte IPv4 records, no templates.</summary>
    V5 = 5,

    /// <summary>NetFlow v9 (RFC 3954): template-based, nProbe's default.</summary>
    V9 = 9,

    /// <summary>IPFIX (RFC 7011), which nProbe calls version 10.</summary>
    Ipfix = 10,
}
