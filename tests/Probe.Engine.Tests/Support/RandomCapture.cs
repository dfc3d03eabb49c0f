using Flowhive.Probe.Engine.Capture;
using Flowhive.Shared.Net;

namespace Flowhive.Probe.Engine.Tests.Support;

/// <summary>One generated frame and the facts a direct count needs (IP length 0 for non-IP frames).</summary>
public sealed record GeneratedPacket(long TimestampUs, byte[] Frame, IpAddr Src, IpAddr Dst, int IpLength);

/// <summary>
/// A seeded random capture of plain and VLAN-tagged IPv4/IPv6 TCP, UDP and ICMP conversations among a few
/// dozen hosts, with handshakes, FIN and RST ends, fragmented datagrams, a long-lived flow, Ethernet padding
/// and ARP frames.
/// </summary>
public static class RandomCapture
{
    public static List<GeneratedPacket> Build(int seed, int packets)
    {
        var random = new Random(seed);
        var hosts = new List<IpAddr>();
        for (var i = 0; i < 30; i++)
        {
            hosts.Add(IpAddr.FromV4(0xC0A8_0100u + (uint)i + 1)); // 192.168.1.x
        }

        var hosts6 = new List<IpAddr>();
        for (var i = 0; i < 10; i++)
        {
            hosts6.Add(IpAddr.Parse($"2001:db8:1::{i + 1:x}"));
        }

        var result = new List<GeneratedPacket>(packets);
        var now = Packets.T0;
        var tcpOpen = new List<(IpAddr C, IpAddr S, ushort Cp, ushort Sp, ushort Vlan, uint Cseq, uint Sseq)>();
        while (result.Count < packets)
        {
            // Bursts then pauses (shorter than the 3 s idle timeout the tests use, so the heartbeat below lives
            // on); the random pairs rarely talk again and expire idle.
            now += random.Next(10) == 0 ? random.Next(500_000, 2_500_000) : random.Next(0, 20_000);
            if (random.Next(4) == 0)
            {
                // A long-lived flow (like RTP or a tunnel keepalive): sliced at every lifetime.
                Add(result, now, Packets.Ip(hosts[0], hosts[1]).Udp(5004, 5004).Payload(new byte[160]), hosts[0], hosts[1]);
            }

            var v6 = random.Next(4) == 0;
            var pool = v6 ? hosts6 : hosts;
            var a = pool[random.Next(pool.Count)];
            var b = pool[random.Next(pool.Count)];
            var vlan = (ushort)(random.Next(5) == 0 ? 10 + random.Next(3) : 0);
            var payload = new byte[random.Next(0, random.Next(4) == 0 ? 1400 : 200)];
            var choice = random.Next(100);
            if (choice < 3)
            {
                var arp = new FrameBuilder().Ethernet(Packets.MacOf(a), 0xFFFF_FFFF_FFFF).EtherType(0x0806).Payload(new byte[28]).PadTo(60).Build();
                result.Add(new GeneratedPacket(now, arp, default, default, 0));
            }
            else if (choice < 30)
            {
                Add(result, now, Packets.Ip(a, b, vlan).Udp((ushort)random.Next(1024, 1100), 53).Payload(payload).PadTo(60), a, b);
            }
            else if (choice < 35)
            {
                Add(result, now, Packets.Ip(a, b, vlan).Icmp((byte)(v6 ? 128 : 8), 0, 1, (ushort)random.Next()).Payload(payload).PadTo(60), a, b);
            }
            else if (choice < 38 && !v6)
            {
                var builder = Packets.Ip(a, b, vlan).Ipv4(a, b, id: (ushort)random.Next()).Udp(7000, 7001).Payload(new byte[random.Next(1500, 5000)]);
                foreach (var fragment in builder.BuildIpv4Fragments(1480))
                {
                    result.Add(new GeneratedPacket(now, fragment, a, b, fragment.Length - 14 - (vlan != 0 ? 4 : 0)));
                }
            }
            else if (choice < 50 || tcpOpen.Count == 0)
            {
                var c = (a, b, (ushort)random.Next(30000, 30100), (ushort)(random.Next(2) == 0 ? 443 : 80), vlan, (uint)random.Next(), (uint)random.Next());
                tcpOpen.Add(c);
                Add(result, now, Packets.Ip(a, b, vlan).Tcp(c.Item3, c.Item4, TcpFlags.Syn, c.Item6).PadTo(60), a, b);
                Add(result, now + 1000, Packets.Ip(b, a, vlan).Tcp(c.Item4, c.Item3, TcpFlags.Syn | TcpFlags.Ack, c.Item7, c.Item6 + 1).PadTo(60), b, a);
            }
            else
            {
                var index = random.Next(tcpOpen.Count);
                var c = tcpOpen[index];
                var fromClient = random.Next(2) == 0;
                var (src, dst, sp, dp) = fromClient ? (c.C, c.S, c.Cp, c.Sp) : (c.S, c.C, c.Sp, c.Cp);
                var end = random.Next(10);
                var flags = end == 0 ? TcpFlags.Fin | TcpFlags.Ack : end == 1 ? TcpFlags.Rst : TcpFlags.Ack | TcpFlags.Psh;
                Add(result, now, Packets.Ip(src, dst, c.Vlan).Tcp(sp, dp, flags, fromClient ? c.Cseq : c.Sseq).Payload(end <= 1 ? [] : payload).PadTo(60), src, dst);
                if (end <= 1)
                {
                    tcpOpen.RemoveAt(index);
                }
            }
        }

        return result;
    }

    private static void Add(List<GeneratedPacket> result, long timestampUs, FrameBuilder builder, IpAddr src, IpAddr dst) =>
        result.Add(new GeneratedPacket(timestampUs, builder.Build(), src, dst, builder.BuildIp().Length));
}
