using Flowhive.Probe.Engine.Capture;
using Flowhive.Shared.Net;

namespace Flowhive.Benchmarks.Probe;

/// <summary>A fixed, seeded mix of frames like a busy link carries: IPv4/IPv6, TCP/UDP/ICMP, some VLAN tags, many flows.</summary>
internal static class BenchmarkFrames
{
    public static byte[][] Create(int count, int flows, int seed = 1)
    {
        var random = new Random(seed);
        var frames = new byte[count][];
        for (var i = 0; i < count; i++)
        {
            var flow = random.Next(flows);
            var reply = random.Next(3) == 0;
            var v6 = flow % 7 == 0;
            var client = v6 ? new IpAddr(0x2001_0db8_0001_0000, (ulong)flow) : IpAddr.FromV4(0x0A00_0000u + (uint)flow);
            var server = v6 ? new IpAddr(0x2001_0db8_0002_0000, (ulong)(flow % 97)) : IpAddr.FromV4(0xC633_6400u + (uint)(flow % 97));
            var b = new FrameBuilder().Ethernet(0x0200_0000_0001, 0x0200_0000_0002);
            if (flow % 10 == 0)
            {
                b.Vlan((ushort)(10 + (flow % 5)));
            }

            var (src, dst) = reply ? (server, client) : (client, server);
            if (v6)
            {
                b.Ipv6(src, dst);
            }
            else
            {
                b.Ipv4(src, dst);
            }

            var clientPort = (ushort)(1024 + (flow % 60000));
            var (sport, dport) = reply ? ((ushort)443, clientPort) : (clientPort, (ushort)443);
            switch (flow % 5)
            {
                case 0:
                    b.Udp(sport, dport).Payload(new byte[random.Next(40, 200)]);
                    break;
                case 1:
                    b.Icmp(8, 0, (ushort)flow, (ushort)i);
                    break;
                default:
                    b.Tcp(sport, dport, TcpFlags.Ack | TcpFlags.Psh, (uint)i * 1000, 1).Payload(new byte[reply ? 1400 : 40]);
                    break;
            }

            frames[i] = b.Build();
        }

        return frames;
    }
}
