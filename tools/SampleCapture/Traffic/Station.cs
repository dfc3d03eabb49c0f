using Flowhive.Shared.Net;

namespace Flowhive.Tools.SampleCapture.Traffic;

/// <summary>A host on the captured LAN: its MAC, VLAN and addresses (IPv6 ones derived from the MAC by SLAAC/EUI-64).</summary>
internal sealed record Station(string Name, IpAddr V4, ulong Mac, ushort Vlan = 0, bool HasGlobalV6 = false)
{
    public IpAddr LinkLocal => FromInterfaceId(0xFE80_0000_0000_0000UL);

    public IpAddr GlobalV6 => HasGlobalV6 ? FromInterfaceId(0x2001_0DB8_0001_0000UL) : throw new InvalidOperationException($"{Name} has no global IPv6 address");

    /// <summary>Modified EUI-64 (RFC 4291 appendix A): flip the universal/local bit, insert ff:fe in the middle.</summary>
    private IpAddr FromInterfaceId(ulong prefix)
    {
        var upper = (Mac >> 24) ^ 0x02_0000;
        var lower = Mac & 0xFF_FFFF;
        return new IpAddr(prefix, (upper << 40) | (0xFFFEUL << 24) | lower);
    }
}

/// <summary>An internet server: the name clients resolve and its addresses.</summary>
internal sealed record Server(string Name, IpAddr V4, IpAddr? V6 = null, int RttMs = 20);
