namespace Flowhive.Probe.Engine.Capture;

/// <summary>The libpcap link types (DLT/LINKTYPE values) the decoder understands.</summary>
public enum LinkType
{
    /// <summary>BSD loopback: 4-byte address family in host byte order.</summary>
    Null = 0,
    Ethernet = 1,
    Ppp = 9,
    RawBsd = 12,
    RawOpenBsd = 14,
    Raw = 101,
    CiscoHdlc = 104,
    /// <summary>OpenBSD loopback: 4-byte address family in network byte order.</summary>
    Loop = 109,
    LinuxSll = 113,
    Ipv4 = 228,
    Ipv6 = 229,
    LinuxSll2 = 276,
}

public static class LinkTypes
{
    public static bool IsSupported(int linkType) => linkType switch
    {
        (int)LinkType.Null or (int)LinkType.Ethernet or (int)LinkType.Ppp or (int)LinkType.RawBsd or
        (int)LinkType.RawOpenBsd or (int)LinkType.Raw or (int)LinkType.CiscoHdlc or (int)LinkType.Loop or
        (int)LinkType.LinuxSll or (int)LinkType.Ipv4 or (int)LinkType.Ipv6 or (int)LinkType.LinuxSll2 => true,
        _ => false,
    };
}
