using Flowhive.Probe.Engine.Capture;
using Flowhive.Probe.Engine.Decode;
using Flowhive.Probe.Engine.Tests.Support;
using static Flowhive.Probe.Engine.Tests.Support.Addr;
using static Flowhive.Probe.Engine.Tests.Support.Decoding;

namespace Flowhive.Probe.Engine.Tests.Decode;

public sealed class MalformedFrameTests
{
    private static readonly byte[] Data = [9, 8, 7, 6, 5, 4, 3, 2, 1];

    [Fact]
    public void Every_truncation_of_a_tcp_ipv6_frame_inside_its_headers_is_refused()
    {
        var frame = new FrameBuilder().Ethernet(1, 2)
            .Ipv6(Ip("2001:db8::1"), Ip("2001:db8::2"))
            .Ipv6HopByHop().Ipv6Routing(Ip("2001:db8::99")).Ipv6DestinationOptions()
            .Tcp(1234, 443, TcpFlags.Ack, options: [1, 1, 1, 1])
            .Payload(Data)
            .Build();
        var headerEnd = frame.Length - Data.Length;

        for (var length = 0; length <= frame.Length; length++)
        {
            var p = default(DecodedPacket);
            var status = PacketDecoder.Decode(frame.AsSpan(0, length), (int)LinkType.Ethernet, ref p);
            if (length < headerEnd)
            {
                Assert.NotEqual(DecodeStatus.Ok, status);
            }
            else
            {
                // Past the headers the frame is just cut by a snaplen: the flow still counts it.
                Assert.Equal(DecodeStatus.Ok, status);
                Assert.Equal(headerEnd, p.PayloadOffset);
                Assert.Equal(length - headerEnd, p.PayloadLength);
                Assert.Equal(Data.Length, p.DeclaredPayloadLength);
            }
        }
    }

    [Fact]
    public void Truncations_name_the_layer_that_was_cut()
    {
        var frame = new FrameBuilder().Ethernet(1, 2).Vlan(3).Ipv4(Ip("10.0.0.1"), Ip("10.0.0.2")).Tcp(1, 2, TcpFlags.Syn).Build();

        Assert.Equal(DecodeStatus.TruncatedLinkHeader, Status(frame.AsSpan(0, 13)));
        Assert.Equal(DecodeStatus.TruncatedVlan, Status(frame.AsSpan(0, 16)));
        Assert.Equal(DecodeStatus.TruncatedIpv4, Status(frame.AsSpan(0, 18 + 19)));
        Assert.Equal(DecodeStatus.TruncatedTcp, Status(frame.AsSpan(0, 18 + 20 + 19)));
        Assert.Equal(DecodeStatus.Ok, Status(frame));

        var udp = new FrameBuilder().Ethernet(1, 2).Ipv4(Ip("10.0.0.1"), Ip("10.0.0.2")).Udp(1, 2).Build();
        Assert.Equal(DecodeStatus.TruncatedUdp, Status(udp.AsSpan(0, 14 + 20 + 7)));

        var icmp = new FrameBuilder().Ethernet(1, 2).Ipv4(Ip("10.0.0.1"), Ip("10.0.0.2")).Icmp(8, 0).Build();
        Assert.Equal(DecodeStatus.TruncatedIcmp, Status(icmp.AsSpan(0, 14 + 20 + 1)));

        var pppoe = LinkHeaders.Pppoe(new byte[20], 1, 0x0021);
        Assert.Equal(DecodeStatus.TruncatedPppoe, Status(pppoe.AsSpan(0, 14 + 7)));

        var mpls = LinkHeaders.Mpls(new byte[20], 5, 6);
        Assert.Equal(DecodeStatus.TruncatedMpls, Status(mpls.AsSpan(0, 14 + 6)));

        Assert.Equal(DecodeStatus.TruncatedLinkHeader, Status(new byte[15], LinkType.LinuxSll));
        Assert.Equal(DecodeStatus.TruncatedLinkHeader, Status(new byte[19], LinkType.LinuxSll2));
        Assert.Equal(DecodeStatus.TruncatedLinkHeader, Status(new byte[3], LinkType.Null));
        Assert.Equal(DecodeStatus.TruncatedLinkHeader, Status(new byte[3], LinkType.CiscoHdlc));
        Assert.Equal(DecodeStatus.TruncatedLinkHeader, Status([], LinkType.Ppp));
        Assert.Equal(DecodeStatus.TruncatedIpv4, Status([], LinkType.Raw));
    }

    [Fact]
    public void Ihl_below_five_is_a_bad_header()
    {
        var frame = new FrameBuilder().Ethernet(1, 2).Ipv4(Ip("10.0.0.1"), Ip("10.0.0.2")).Udp(1, 2).Build();
        frame[14] = 0x44;

        Parse(frame, expected: DecodeStatus.BadIpv4Header);
    }

    [Fact]
    public void Ihl_beyond_the_captured_bytes_is_truncated()
    {
        var frame = new FrameBuilder().Ethernet(1, 2).Ipv4(Ip("10.0.0.1"), Ip("10.0.0.2")).IpPayload(253).Build();
        frame[14] = 0x4F; // 60-byte header in a 20-byte packet

        Parse(frame, expected: DecodeStatus.TruncatedIpv4);
    }

    [Fact]
    public void Total_length_shorter_than_the_header_is_a_bad_header()
    {
        var frame = new FrameBuilder().Ethernet(1, 2).Ipv4(Ip("10.0.0.1"), Ip("10.0.0.2")).Udp(1, 2).Build();
        frame[16] = 0;
        frame[17] = 19;

        Parse(frame, expected: DecodeStatus.BadIpv4Header);
    }

    [Fact]
    public void Wrong_ip_version_for_the_ethertype()
    {
        var v4 = new FrameBuilder().Ethernet(1, 2).Ipv4(Ip("10.0.0.1"), Ip("10.0.0.2")).Udp(1, 2).Build();
        v4[14] = 0x65;
        Parse(v4, expected: DecodeStatus.BadIpVersion);

        var v6 = new FrameBuilder().Ethernet(1, 2).Ipv6(Ip("::1"), Ip("::2")).Udp(1, 2).Build();
        v6[14] = 0x40;
        Parse(v6, expected: DecodeStatus.BadIpVersion);

        var raw = new FrameBuilder().Ipv4(Ip("10.0.0.1"), Ip("10.0.0.2")).Udp(1, 2).BuildIp();
        raw[0] = 0x75;
        Parse(raw, LinkType.Raw, DecodeStatus.BadIpVersion);
    }

    [Fact]
    public void Tcp_data_offset_below_five_is_a_bad_header()
    {
        var frame = new FrameBuilder().Ethernet(1, 2).Ipv4(Ip("10.0.0.1"), Ip("10.0.0.2")).Tcp(1, 2, TcpFlags.Syn).Payload(Data).Build();
        frame[14 + 20 + 12] = 0x40;

        Parse(frame, expected: DecodeStatus.BadTcpHeader);
    }

    [Fact]
    public void Tcp_data_offset_beyond_the_segment_is_truncated()
    {
        var frame = new FrameBuilder().Ethernet(1, 2).Ipv4(Ip("10.0.0.1"), Ip("10.0.0.2")).Tcp(1, 2, TcpFlags.Syn).Build();
        frame[14 + 20 + 12] = 0xF0;

        Parse(frame, expected: DecodeStatus.TruncatedTcp);
    }

    [Fact]
    public void Ipv6_extension_header_running_past_the_packet_is_refused()
    {
        var frame = new FrameBuilder().Ethernet(1, 2).Ipv6(Ip("::1"), Ip("::2")).Ipv6DestinationOptions().Udp(1, 2).Build();
        frame[14 + 40 + 1] = 200; // 1608-byte header

        Parse(frame, expected: DecodeStatus.BadIpv6ExtensionHeader);
    }

    [Fact]
    public void Too_many_stacked_vlan_tags()
    {
        var builder = new FrameBuilder().Ethernet(1, 2).Ipv4(Ip("10.0.0.1"), Ip("10.0.0.2")).Udp(1, 2);
        for (var i = 0; i < PacketDecoder.MaxHeaders + 1; i++)
        {
            builder.Vlan((ushort)(i + 1));
        }

        Parse(builder.Build(), expected: DecodeStatus.TooManyHeaders);
    }

    [Fact]
    public void Too_many_mpls_labels_and_ipv6_extension_headers()
    {
        var ip = new FrameBuilder().Ipv4(Ip("10.0.0.1"), Ip("10.0.0.2")).Udp(1, 2).BuildIp();
        var labels = Enumerable.Range(16, PacketDecoder.MaxHeaders + 1).Select(i => (uint)i).ToArray();
        Parse(LinkHeaders.Mpls(ip, labels), expected: DecodeStatus.TooManyHeaders);

        var v6 = new FrameBuilder().Ethernet(1, 2).Ipv6(Ip("::1"), Ip("::2")).Udp(1, 2);
        for (var i = 0; i < PacketDecoder.MaxHeaders + 1; i++)
        {
            v6.Ipv6DestinationOptions();
        }

        Parse(v6.Build(), expected: DecodeStatus.TooManyHeaders);
    }

    [Fact]
    public void A_few_stacked_tags_are_fine()
    {
        var frame = new FrameBuilder().Ethernet(1, 2).Vlan(1).Vlan(2).Vlan(3).Vlan(4).Ipv4(Ip("10.0.0.1"), Ip("10.0.0.2")).Udp(1, 2).Build();

        Assert.Equal((ushort)4, Parse(frame).Vlan);
    }

    [Fact]
    public void Nested_tunnels_are_bounded()
    {
        // GRE in GRE in GRE ... deeper than the header budget: decoding stops without recursing forever.
        var packet = new FrameBuilder().Ipv4(Ip("10.0.0.1"), Ip("10.0.0.2")).Udp(1, 2).BuildIp();
        for (var i = 0; i < 40; i++)
        {
            packet = new FrameBuilder().Ipv4(Ip("192.0.2.1"), Ip("192.0.2.2")).IpPayload(47).Payload(LinkHeaders.Gre(packet, 0x0800, key: (uint)i + 1)).BuildIp();
        }

        var p = Parse(packet, LinkType.Raw);

        Assert.Equal((byte)47, p.Protocol);
    }

    private static DecodeStatus Status(ReadOnlySpan<byte> frame, LinkType link = LinkType.Ethernet)
    {
        var p = default(DecodedPacket);
        return PacketDecoder.Decode(frame, (int)link, ref p);
    }
}
