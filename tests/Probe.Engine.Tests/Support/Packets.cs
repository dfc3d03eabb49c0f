using Flowhive.Probe.Engine.Capture;
using Flowhive.Shared.Net;

namespace Flowhive.Probe.Engine.Tests.Support;

/// <summary>One-line frames for flow tests: Ethernet, IPv4 or IPv6 by the address family, a transport header and zero payload bytes.</summary>
public static class Packets
{
    /// <summary>2026-01-01T00:00:00Z in microseconds: a realistic clock for packet times.</summary>
    public const long T0 = 1_767_225_600_000_000;

    public static long At(double seconds) => T0 + (long)Math.Round(seconds * 1_000_000);

    public static ulong MacOf(IpAddr address) => 0x0200_0000_0000UL | (address.Low & 0xFFFF_FFFF);

    public static FrameBuilder Ip(IpAddr src, IpAddr dst, ushort vlan = 0)
    {
        var b = new FrameBuilder().Ethernet(MacOf(src), MacOf(dst));
        if (vlan != 0)
        {
            b.Vlan(vlan);
        }

        return src.IsV4 ? b.Ipv4(src, dst) : b.Ipv6(src, dst);
    }

    public static byte[] Tcp(IpAddr src, ushort srcPort, IpAddr dst, ushort dstPort, TcpFlags flags, uint seq = 0, uint ack = 0, int payload = 0, ushort vlan = 0) =>
        Ip(src, dst, vlan).Tcp(srcPort, dstPort, flags, seq, ack).Payload(new byte[payload]).Build();

    public static byte[] Udp(IpAddr src, ushort srcPort, IpAddr dst, ushort dstPort, int payload = 0, ushort vlan = 0) =>
        Ip(src, dst, vlan).Udp(srcPort, dstPort).Payload(new byte[payload]).Build();

    public static byte[] Icmp(IpAddr src, IpAddr dst, byte type, ushort id, ushort sequence, int payload = 56) =>
        Ip(src, dst).Icmp(type, 0, id, sequence).Payload(new byte[payload]).Build();
}
