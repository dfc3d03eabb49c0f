using System.Text;
using Flowhive.Probe.Engine.Capture;
using Flowhive.Probe.Engine.Decode;
using static Flowhive.Probe.Engine.Tests.Support.Addr;
using static Flowhive.Probe.Engine.Tests.Support.Decoding;

namespace Flowhive.Probe.Engine.Tests.Decode;

public sealed class IpDecodingTests
{
    private static readonly byte[] Payload = Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: example.com\r\n\r\n");

    [Fact]
    public void Ethernet_ipv4_tcp_fills_every_field()
    {
        var options = new byte[] { 2, 4, 0x05, 0xB4, 1, 1, 4, 2 }; // MSS 1460, NOP, NOP, SACK permitted
        var frame = new FrameBuilder()
            .Ethernet(Mac("00:11:22:33:44:55"), Mac("66:77:88:99:aa:bb"))
            .Ipv4(Ip("192.168.1.10"), Ip("93.184.216.34"), id: 7)
            .Tcp(51000, 80, TcpFlags.Psh | TcpFlags.Ack, seq: 1000, ack: 2000, window: 501, options: options)
            .Payload(Payload)
            .Build();

        var p = Parse(frame);

        Assert.Equal(Ip("192.168.1.10"), p.Src);
        Assert.Equal(Ip("93.184.216.34"), p.Dst);
        Assert.Equal((ushort)51000, p.SrcPort);
        Assert.Equal((ushort)80, p.DstPort);
        Assert.Equal((byte)6, p.Protocol);
        Assert.Equal((byte)4, p.IpVersion);
        Assert.Equal(Mac("00:11:22:33:44:55"), p.SrcMac);
        Assert.Equal(Mac("66:77:88:99:aa:bb"), p.DstMac);
        Assert.Equal((byte)(TcpFlags.Psh | TcpFlags.Ack), p.TcpFlags);
        Assert.Equal(1000u, p.TcpSeq);
        Assert.Equal(2000u, p.TcpAck);
        Assert.Equal((ushort)501, p.TcpWindow);
        Assert.Equal(20 + 20 + options.Length + Payload.Length, p.IpLength);
        Assert.Equal(14 + 20 + 20 + options.Length, p.PayloadOffset);
        Assert.Equal(Payload, PayloadOf(frame, p));
        Assert.Equal(Payload.Length, p.DeclaredPayloadLength);
        Assert.Equal((ushort)0, p.Vlan);
        Assert.False(p.IsFragment);
        Assert.Equal(0u, p.TunnelId);
    }

    [Fact]
    public void Ethernet_ipv4_udp()
    {
        var frame = new FrameBuilder().Ethernet(1, 2).Ipv4(Ip("10.0.0.1"), Ip("10.0.0.2")).Udp(5353, 53).Payload(Payload).Build();

        var p = Parse(frame);

        Assert.Equal((byte)17, p.Protocol);
        Assert.Equal((ushort)5353, p.SrcPort);
        Assert.Equal((ushort)53, p.DstPort);
        Assert.Equal(28 + Payload.Length, p.IpLength);
        Assert.Equal(14 + 28, p.PayloadOffset);
        Assert.Equal(Payload, PayloadOf(frame, p));
    }

    [Fact]
    public void Ethernet_ipv4_icmp_echo_has_type_code_and_no_ports()
    {
        var data = new byte[56];
        var frame = new FrameBuilder().Ethernet(1, 2).Ipv4(Ip("10.0.0.1"), Ip("8.8.8.8")).Icmp(8, 0, identifier: 0x1234, sequence: 3).Payload(data).Build();

        var p = Parse(frame);

        Assert.Equal((byte)1, p.Protocol);
        Assert.Equal((byte)8, p.IcmpType);
        Assert.Equal((byte)0, p.IcmpCode);
        Assert.Equal((ushort)0, p.SrcPort);
        Assert.Equal((ushort)0, p.DstPort);
        Assert.Equal(84, p.IpLength);
        Assert.Equal(14 + 20 + 8, p.PayloadOffset);
        Assert.Equal(56, p.PayloadLength);
    }

    [Fact]
    public void Ipv6_icmpv6_echo()
    {
        var frame = new FrameBuilder().Ethernet(1, 2).Ipv6(Ip("2001:db8:1::10"), Ip("2001:4860:4860::8888")).Icmp(128, 0, 1, 1).Payload(new byte[32]).Build();

        var p = Parse(frame);

        Assert.Equal((byte)6, p.IpVersion);
        Assert.Equal((byte)58, p.Protocol);
        Assert.Equal((byte)128, p.IcmpType);
        Assert.Equal(Ip("2001:db8:1::10"), p.Src);
        Assert.Equal(Ip("2001:4860:4860::8888"), p.Dst);
        Assert.Equal(40 + 8 + 32, p.IpLength);
    }

    [Fact]
    public void Ipv6_tcp_after_hop_by_hop_routing_destination_options_and_first_fragment_headers()
    {
        var builder = new FrameBuilder()
            .Ethernet(1, 2)
            .Ipv6(Ip("2001:db8:1::10"), Ip("2001:db8:2::20"))
            .Ipv6HopByHop()
            .Ipv6Routing(Ip("2001:db8:ffff::1"))
            .Ipv6DestinationOptions()
            .Ipv6Fragment(id: 0xCAFE, offset: 0, moreFragments: true)
            .Tcp(40000, 443, TcpFlags.Ack, seq: 5, ack: 6)
            .Payload(Payload);
        var frame = builder.Build();
        const int extensions = 8 + 24 + 8 + 8;

        var p = Parse(frame);

        Assert.Equal((byte)6, p.Protocol);
        Assert.Equal((ushort)40000, p.SrcPort);
        Assert.Equal((ushort)443, p.DstPort);
        Assert.True(p.IsFragment);
        Assert.False(p.IsLaterFragment);
        Assert.Equal(0xCAFEu, p.FragmentId);
        Assert.Equal(40 + extensions + 20 + Payload.Length, p.IpLength);
        Assert.Equal(14 + 40 + extensions + 20, p.PayloadOffset);
        Assert.Equal(Payload, PayloadOf(frame, p));
    }

    [Fact]
    public void Ipv6_authentication_header_is_skipped_by_its_own_length_unit()
    {
        var ah = new byte[22]; // 24-byte AH: SPI, sequence, 12-byte ICV
        var frame = new FrameBuilder().Ethernet(1, 2).Ipv6(Ip("2001:db8::1"), Ip("2001:db8::2")).Ipv6Extension(51, ah).Udp(500, 4500).Payload(Payload).Build();

        var p = Parse(frame);

        Assert.Equal((ushort)500, p.SrcPort);
        Assert.Equal((ushort)4500, p.DstPort);
        Assert.Equal(Payload, PayloadOf(frame, p));
    }

    [Fact]
    public void Ipv6_later_fragment_has_protocol_but_no_ports()
    {
        var frame = new FrameBuilder().Ethernet(1, 2).Ipv6(Ip("2001:db8::1"), Ip("2001:db8::2"))
            .Ipv6Fragment(id: 77, offset: 1448, moreFragments: false).IpPayload(17).Payload(new byte[100]).Build();

        var p = Parse(frame);

        Assert.True(p.IsFragment);
        Assert.True(p.IsLaterFragment);
        Assert.Equal(77u, p.FragmentId);
        Assert.Equal((byte)17, p.Protocol);
        Assert.Equal((ushort)0, p.SrcPort);
        Assert.Equal(40 + 8 + 100, p.IpLength);
    }

    [Fact]
    public void Ipv4_fragments_first_carries_ports_later_ones_are_marked()
    {
        var fragments = new FrameBuilder().Ethernet(1, 2).Ipv4(Ip("10.1.1.1"), Ip("10.2.2.2"), id: 4242)
            .Udp(7000, 7001).Payload(new byte[3000]).BuildIpv4Fragments(1480);
        Assert.Equal(3, fragments.Count);

        var first = Parse(fragments[0]);
        Assert.True(first.IsFragment);
        Assert.False(first.IsLaterFragment);
        Assert.Equal(4242u, first.FragmentId);
        Assert.Equal((ushort)7000, first.SrcPort);
        Assert.Equal((ushort)7001, first.DstPort);
        Assert.Equal(20 + 1480, first.IpLength);
        Assert.Equal(1480 - 8, first.DeclaredPayloadLength); // the first fragment declares only its own share

        var total = first.IpLength;
        foreach (var later in fragments.Skip(1))
        {
            var p = Parse(later);
            Assert.True(p.IsFragment);
            Assert.True(p.IsLaterFragment);
            Assert.Equal(4242u, p.FragmentId);
            Assert.Equal((byte)17, p.Protocol);
            Assert.Equal((ushort)0, p.SrcPort);
            Assert.Equal((ushort)0, p.DstPort);
            total += p.IpLength;
        }

        Assert.Equal((3 * 20) + 3008, total);
    }

    [Fact]
    public void Ipv4_options_move_the_transport_header()
    {
        var options = new byte[] { 0x94, 0x04, 0x00, 0x00 }; // router alert
        var frame = new FrameBuilder().Ethernet(1, 2).Ipv4(Ip("10.0.0.1"), Ip("224.0.0.22"), options: options).Udp(1, 2).Payload(Payload).Build();

        var p = Parse(frame);

        Assert.Equal((ushort)1, p.SrcPort);
        Assert.Equal(14 + 24 + 8, p.PayloadOffset);
        Assert.Equal(Payload, PayloadOf(frame, p));
    }

    [Fact]
    public void Ethernet_padding_is_not_counted_ipv4()
    {
        var frame = new FrameBuilder().Ethernet(1, 2).Ipv4(Ip("10.0.0.1"), Ip("10.0.0.2")).Tcp(1000, 80, TcpFlags.Ack).PadTo(60).Build();
        Assert.Equal(60, frame.Length);

        var p = Parse(frame);

        Assert.Equal(40, p.IpLength);
        Assert.Equal(0, p.PayloadLength);
        Assert.Equal(0, p.DeclaredPayloadLength);
    }

    [Fact]
    public void Trailing_bytes_after_an_ipv6_packet_are_not_payload()
    {
        var packet = new FrameBuilder().Ethernet(1, 2).Ipv6(Ip("2001:db8::1"), Ip("2001:db8::2")).Udp(1, 2).Payload([1, 2, 3]).Build();
        var frame = packet.Concat(new byte[] { 0xDE, 0xAD, 0xBE, 0xEF }).ToArray(); // e.g. an FCS kept by the capture

        var p = Parse(frame);

        Assert.Equal(40 + 8 + 3, p.IpLength);
        Assert.Equal(new byte[] { 1, 2, 3 }, PayloadOf(frame, p));
    }

    [Fact]
    public void Snaplen_cut_payload_reports_captured_and_declared_lengths()
    {
        var full = new FrameBuilder().Ethernet(1, 2).Ipv4(Ip("10.0.0.1"), Ip("10.0.0.2")).Tcp(1, 2, TcpFlags.Ack).Payload(new byte[1000]).Build();
        var cut = full.AsSpan(0, 96).ToArray();

        var p = Parse(cut);

        Assert.Equal(1040, p.IpLength);
        Assert.Equal(96 - 54, p.PayloadLength);
        Assert.Equal(1000, p.DeclaredPayloadLength);
    }

    [Fact]
    public void Ip_total_length_zero_from_segmentation_offload_uses_the_captured_length()
    {
        var frame = new FrameBuilder().Ethernet(1, 2).Ipv4(Ip("10.0.0.1"), Ip("10.0.0.2")).Tcp(1, 2, TcpFlags.Ack).Payload(new byte[3000]).Build();
        frame[16] = frame[17] = 0;

        var p = Parse(frame);

        Assert.Equal(frame.Length - 14, p.IpLength);
        Assert.Equal(3000, p.PayloadLength);
    }

    [Fact]
    public void Other_ip_protocols_expose_their_payload()
    {
        var esp = new byte[] { 0, 0, 0, 1, 0, 0, 0, 9, 0xAA };
        var frame = new FrameBuilder().Ethernet(1, 2).Ipv4(Ip("10.0.0.1"), Ip("10.0.0.2")).IpPayload(50).Payload(esp).Build();

        var p = Parse(frame);

        Assert.Equal((byte)50, p.Protocol);
        Assert.Equal(esp, PayloadOf(frame, p));
    }
}
