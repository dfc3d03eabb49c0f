using Flowhive.Shared.Net;

namespace Flowhive.Tools.SampleCapture.Protocols;

/// <summary>ARP (RFC 826) and IPv6 neighbor discovery (RFC 4861) message bodies.</summary>
internal static class Neighbors
{
    public const ushort ArpRequest = 1;
    public const ushort ArpReply = 2;

    /// <summary>An Ethernet/IPv4 ARP packet; a request leaves the target MAC zero.</summary>
    public static byte[] Arp(ushort operation, ulong senderMac, IpAddr senderIp, ulong targetMac, IpAddr targetIp) => new ByteWriter()
        .U16(1).U16(0x0800).U8(6).U8(4).U16(operation)
        .Bytes(Mac(senderMac)).U32(senderIp.V4)
        .Bytes(Mac(targetMac)).U32(targetIp.V4)
        .ToArray();

    /// <summary>Router solicitation body after the ICMPv6 header: just the source link-layer address option.</summary>
    public static byte[] RouterSolicitation(ulong mac) => LinkLayerOption(1, mac);

    /// <summary>
    /// Router advertisement body after the ICMPv6 header (whose rest-of-header words the caller fills with hop
    /// limit, flags and router lifetime): reachable and retransmit timers, source link-layer address, MTU and
    /// the on-link autonomous prefix.
    /// </summary>
    public static byte[] RouterAdvertisement(ulong routerMac, IpAddr prefix) => new ByteWriter()
        .U32(0).U32(0)
        .Bytes(LinkLayerOption(1, routerMac))
        .U8(5).U8(1).U16(0).U32(1500)
        .U8(3).U8(4).U8(64).U8(0xC0).U32(86_400).U32(14_400).U32(0).U64(prefix.High).U64(prefix.Low)
        .ToArray();

    /// <summary>
    /// Neighbor solicitation (135) or advertisement (136) body: the target and a link-layer option (source 1,
    /// target 2; 0 for none, as in duplicate address detection from the unspecified address).
    /// </summary>
    public static byte[] NeighborMessage(IpAddr target, byte optionType, ulong mac) => new ByteWriter()
        .U64(target.High).U64(target.Low)
        .Bytes(optionType == 0 ? [] : LinkLayerOption(optionType, mac))
        .ToArray();

    /// <summary>The solicited-node multicast group of an address (ff02::1:ffXX:XXXX).</summary>
    public static IpAddr SolicitedNode(IpAddr address) => new(0xFF02_0000_0000_0000UL, 0x0000_0001_FF00_0000UL | (address.Low & 0xFF_FFFF));

    /// <summary>The Ethernet address an IPv6 multicast group maps to (33:33 and the group's last 32 bits).</summary>
    public static ulong MulticastMac(IpAddr group) => 0x3333_0000_0000UL | (group.Low & 0xFFFF_FFFF);

    private static byte[] LinkLayerOption(byte type, ulong mac) => [type, 1, .. Mac(mac)];

    private static byte[] Mac(ulong mac) => [(byte)(mac >> 40), (byte)(mac >> 32), (byte)(mac >> 24), (byte)(mac >> 16), (byte)(mac >> 8), (byte)mac];
}
