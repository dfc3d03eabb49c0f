using System.Buffers.Binary;
using Flowhive.Probe.Engine.Capture;
using Flowhive.Shared.Net;
using static Flowhive.Probe.Engine.Tests.Support.Addr;

namespace Flowhive.Probe.Engine.Tests.Capture;

/// <summary>The builder's checksums and lengths, checked by re-summing what it wrote (a valid checksum sums to zero).</summary>
public sealed class FrameBuilderTests
{
    [Fact]
    public void Ipv4_header_checksum_matches_a_known_header()
    {
        // The worked example from RFC 1071 tutorials: 192.168.0.1 -> 192.168.0.199, UDP, total length 0x73, DF.
        var ip = new FrameBuilder().Ipv4(Ip("192.168.0.1"), Ip("192.168.0.199"), ttl: 64, id: 0, dontFragment: true)
            .Udp(1, 2).Payload(new byte[0x73 - 28]).BuildIp();

        Assert.Equal(new byte[] { 0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11, 0xB8, 0x61 }, ip[..12]);
    }

    [Theory]
    [InlineData(false, 6)]
    [InlineData(false, 17)]
    [InlineData(false, 1)]
    [InlineData(true, 6)]
    [InlineData(true, 17)]
    [InlineData(true, 58)]
    public void Transport_checksums_verify(bool ipv6, int protocol)
    {
        var payload = new byte[333];
        new Random(protocol).NextBytes(payload);
        var (src, dst) = ipv6 ? (Ip("2001:db8::1"), Ip("2001:db8::2")) : (Ip("10.1.2.3"), Ip("10.3.2.1"));
        var b = new FrameBuilder();
        _ = ipv6 ? b.Ipv6(src, dst).Ipv6HopByHop() : b.Ipv4(src, dst, options: [1, 1, 1, 0]);
        _ = protocol switch
        {
            6 => b.Tcp(1000, 2000, TcpFlags.Ack | TcpFlags.Psh, 1, 2, options: [2, 4, 5, 0xB4]),
            17 => b.Udp(3000, 4000),
            _ => b.Icmp(ipv6 ? (byte)128 : (byte)8, 0, 7, 9),
        };
        var ip = b.Payload(payload).BuildIp();

        var l4Offset = ipv6 ? 48 : 24;
        var segment = ip.AsSpan(l4Offset);
        if (!ipv6)
        {
            Assert.Equal(0, InternetChecksum.Compute(ip.AsSpan(0, 24)));
            Assert.Equal(ip.Length, BinaryPrimitives.ReadUInt16BigEndian(ip.AsSpan(2)));
        }
        else
        {
            Assert.Equal(ip.Length - 40, BinaryPrimitives.ReadUInt16BigEndian(ip.AsSpan(4)));
        }

        var sum = protocol == 1
            ? InternetChecksum.Compute(segment)
            : InternetChecksum.Finish(InternetChecksum.Add(InternetChecksum.PseudoHeader(src, dst, (byte)protocol, segment.Length), segment));
        Assert.Equal(0, sum);
    }

    [Fact]
    public void Fragments_carry_offsets_flags_and_valid_header_checksums()
    {
        var fragments = new FrameBuilder().Ethernet(1, 2).Ipv4(Ip("10.0.0.1"), Ip("10.0.0.2"), id: 99, dontFragment: true)
            .Udp(1, 2).Payload(new byte[2500]).BuildIpv4Fragments(1001);

        var reassembled = new List<byte>();
        for (var i = 0; i < fragments.Count; i++)
        {
            var ip = fragments[i].AsSpan(14);
            Assert.Equal(0, InternetChecksum.Compute(ip[..20]));
            var field = BinaryPrimitives.ReadUInt16BigEndian(ip[6..]);
            Assert.Equal(i < fragments.Count - 1, (field & 0x2000) != 0);
            Assert.Equal(0, field & 0x4000); // a fragment cannot say "don't fragment"
            Assert.Equal(reassembled.Count, (field & 0x1FFF) * 8);
            var total = BinaryPrimitives.ReadUInt16BigEndian(ip[2..]);
            reassembled.AddRange(ip[20..total].ToArray());
        }

        Assert.Equal(2508, reassembled.Count);
        Assert.All(fragments.SkipLast(1), f => Assert.Equal(14 + 20 + 1000, f.Length));
        var udp = reassembled.ToArray();
        var sum = InternetChecksum.Finish(InternetChecksum.Add(InternetChecksum.PseudoHeader(Ip("10.0.0.1"), Ip("10.0.0.2"), 17, udp.Length), udp));
        Assert.Equal(0, sum);
    }

    [Fact]
    public void Vlan_tags_and_padding()
    {
        var frame = new FrameBuilder().Ethernet(Mac("02:00:00:00:00:01"), Mac("02:00:00:00:00:02")).Vlan(100).Vlan(10, priority: 3)
            .Ipv4(Ip("10.0.0.1"), Ip("10.0.0.2")).Udp(1, 2).PadTo(64).Build();

        Assert.Equal(64, frame.Length);
        Assert.Equal(new byte[] { 2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1 }, frame[..12]);
        Assert.Equal(new byte[] { 0x88, 0xA8, 0x00, 100, 0x81, 0x00, 0x60, 10, 0x08, 0x00 }, frame[12..22]);
    }

    [Fact]
    public void Misuse_is_reported()
    {
        Assert.Throws<ArgumentException>(() => new FrameBuilder().Ipv4(Ip("::1"), Ip("10.0.0.1")));
        Assert.Throws<ArgumentException>(() => new FrameBuilder().Ipv4(Ip("10.0.0.1"), Ip("10.0.0.2")).Tcp(1, 2, TcpFlags.Syn, options: [1]));
        Assert.Throws<InvalidOperationException>(() => new FrameBuilder().Ipv6HopByHop());
        Assert.Throws<InvalidOperationException>(() => new FrameBuilder().Udp(1, 2).Build());
        Assert.Throws<ArgumentOutOfRangeException>(() => new FrameBuilder().Vlan(4096));
        Assert.Throws<InvalidOperationException>(() => new FrameBuilder().Ipv4(IpAddr.FromV4(1), IpAddr.FromV4(2)).Udp(1, 2).Payload(new byte[70_000]).BuildIp());
    }
}
