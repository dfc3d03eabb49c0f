using Flowhive.Probe.Engine.Capture;
using Flowhive.Probe.Engine.Tests.Support;
using static Flowhive.Probe.Engine.Tests.Support.Addr;
using static Flowhive.Probe.Engine.Tests.Support.Decoding;

namespace Flowhive.Probe.Engine.Tests.Decode;

/// <summary>GRE, VXLAN, GTP-U and IP in IP: the flow is the inner packet's, the bytes are the outer packet's.</summary>
public sealed class TunnelDecodingTests
{
    private static readonly byte[] Data = [1, 2, 3, 4, 5];

    private static FrameBuilder InnerTcp() => new FrameBuilder().Ethernet(0xAA, 0xBB)
        .Ipv4(Ip("10.200.0.1"), Ip("10.200.0.2")).Tcp(33000, 22, TcpFlags.Syn, seq: 9).Payload(Data);

    private static FrameBuilder Outer() => new FrameBuilder().Ethernet(1, 2).Ipv4(Ip("198.51.100.1"), Ip("198.51.100.2"));

    [Fact]
    public void Gre_with_key_exposes_the_inner_flow()
    {
        var frame = Outer().IpPayload(47).Payload(LinkHeaders.Gre(InnerTcp().BuildIp(), 0x0800, key: 0x1234, checksum: true, sequence: 5)).Build();

        var p = Parse(frame);

        Assert.Equal(Ip("10.200.0.1"), p.Src);
        Assert.Equal(Ip("10.200.0.2"), p.Dst);
        Assert.Equal((ushort)33000, p.SrcPort);
        Assert.Equal((ushort)22, p.DstPort);
        Assert.Equal((byte)6, p.Protocol);
        Assert.Equal((byte)TcpFlags.Syn, p.TcpFlags);
        Assert.Equal(0x1234u, p.TunnelId);
        Assert.Equal(frame.Length - 14, p.IpLength); // outer IP bytes are what crossed the link
        Assert.Equal(Data, PayloadOf(frame, p));
        Assert.Equal(Mac("00:00:00:00:00:01"), p.SrcMac);
    }

    [Fact]
    public void Gre_without_key_still_marks_the_tunnel()
    {
        var frame = Outer().IpPayload(47).Payload(LinkHeaders.Gre(InnerTcp().BuildIp(), 0x0800)).Build();

        Assert.Equal(1u, Parse(frame).TunnelId);
    }

    [Fact]
    public void Gre_transparent_ethernet_bridging_and_ipv6_inner()
    {
        var bridged = Outer().IpPayload(47).Payload(LinkHeaders.Gre(InnerTcp().Build(), 0x6558, key: 7)).Build();
        var p = Parse(bridged);
        Assert.Equal((ushort)22, p.DstPort);
        Assert.Equal(7u, p.TunnelId);

        var inner6 = new FrameBuilder().Ipv6(Ip("2001:db8::1"), Ip("2001:db8::2")).Udp(1, 2).BuildIp();
        var v6 = Outer().IpPayload(47).Payload(LinkHeaders.Gre(inner6, 0x86DD, key: 8)).Build();
        Assert.Equal(Ip("2001:db8::2"), Parse(v6).Dst);
    }

    [Fact]
    public void Pptp_enhanced_gre_stays_the_outer_flow()
    {
        var gre = LinkHeaders.Gre(InnerTcp().BuildIp(), 0x880B);
        gre[1] |= 0x01; // version 1
        var frame = Outer().IpPayload(47).Payload(gre).Build();

        var p = Parse(frame);

        Assert.Equal(Ip("198.51.100.1"), p.Src);
        Assert.Equal((byte)47, p.Protocol);
        Assert.Equal(0u, p.TunnelId);
    }

    [Fact]
    public void Vxlan_exposes_the_inner_ethernet_frame()
    {
        var frame = Outer().Udp(49152, 4789).Payload(LinkHeaders.Vxlan(InnerTcp().Vlan(5).Build(), vni: 5000)).Build();

        var p = Parse(frame);

        Assert.Equal(Ip("10.200.0.1"), p.Src);
        Assert.Equal((ushort)22, p.DstPort);
        Assert.Equal(5000u, p.TunnelId);
        Assert.Equal((ushort)5, p.Vlan);
        Assert.Equal(frame.Length - 14, p.IpLength);
        Assert.Equal(Data, PayloadOf(frame, p));
    }

    [Fact]
    public void Vxlan_without_the_vni_flag_is_plain_udp()
    {
        var body = LinkHeaders.Vxlan(InnerTcp().Build(), vni: 1);
        body[0] = 0;
        var frame = Outer().Udp(49152, 4789).Payload(body).Build();

        var p = Parse(frame);

        Assert.Equal((ushort)4789, p.DstPort);
        Assert.Equal(0u, p.TunnelId);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Gtp_u_exposes_the_inner_ip_packet(bool withExtension)
    {
        var frame = Outer().Udp(2152, 2152).Payload(LinkHeaders.GtpU(InnerTcp().BuildIp(), teid: 0xABCDEF01, withExtension)).Build();

        var p = Parse(frame);

        Assert.Equal(Ip("10.200.0.2"), p.Dst);
        Assert.Equal((ushort)33000, p.SrcPort);
        Assert.Equal(0xABCDEF01u, p.TunnelId);
        Assert.Equal(Data, PayloadOf(frame, p));
    }

    [Fact]
    public void Inner_icmp_does_not_keep_the_outer_udp_ports()
    {
        var ping = new FrameBuilder().Ipv4(Ip("10.45.0.7"), Ip("8.8.8.8")).Icmp(8, 0, 1, 1).Payload(new byte[16]).BuildIp();
        var frame = Outer().Udp(2152, 2152).Payload(LinkHeaders.GtpU(ping, teid: 99)).Build();

        var p = Parse(frame);

        Assert.Equal((byte)1, p.Protocol);
        Assert.Equal((byte)8, p.IcmpType);
        Assert.Equal((ushort)0, p.SrcPort);
        Assert.Equal((ushort)0, p.DstPort);
        Assert.Equal(99u, p.TunnelId);
    }

    [Fact]
    public void Inner_ip_protocol_without_ports_does_not_keep_the_outer_ports()
    {
        var esp = new FrameBuilder().Ipv4(Ip("10.45.0.7"), Ip("10.45.0.8")).IpPayload(50).Payload(new byte[12]).BuildIp();
        var frame = Outer().Udp(50000, 4789).Payload(LinkHeaders.Vxlan(LinkHeaders.Ethernet(0x0800, esp), vni: 3)).Build();

        var p = Parse(frame);

        Assert.Equal((byte)50, p.Protocol);
        Assert.Equal((ushort)0, p.SrcPort);
        Assert.Equal((ushort)0, p.DstPort);
    }

    [Fact]
    public void A_fragmented_tunnel_packet_stays_the_outer_flow_so_its_fragments_meet()
    {
        var fragments = Outer().Udp(2152, 2152).Payload(LinkHeaders.GtpU(InnerTcp().Payload(new byte[2000]).BuildIp(), teid: 5))
            .BuildIpv4Fragments(1000);

        var first = Parse(fragments[0]);

        Assert.Equal(Ip("198.51.100.1"), first.Src);
        Assert.Equal((ushort)2152, first.DstPort);
        Assert.True(first.IsFragment);
        Assert.Equal(0u, first.TunnelId);
    }

    [Fact]
    public void A_broken_inner_packet_leaves_the_outer_flow()
    {
        var frame = Outer().Udp(2152, 2152).Payload(LinkHeaders.GtpU([0x45, 0, 0], teid: 5)).Build();

        var p = Parse(frame);

        Assert.Equal(Ip("198.51.100.2"), p.Dst);
        Assert.Equal((ushort)2152, p.SrcPort);
        Assert.Equal(0u, p.TunnelId);
    }

    [Fact]
    public void Ipv6_in_ipv4_exposes_the_inner_ipv6_flow_and_where_its_header_starts()
    {
        var inner = new FrameBuilder().Ipv6(Ip("2001:db8::1"), Ip("2001:db8::2")).Tcp(40000, 443, TcpFlags.Syn).Payload(Data).BuildIp();
        var frame = Outer().IpPayload(41).Payload(inner).Build();

        var p = Parse(frame);

        Assert.Equal(Ip("2001:db8::1"), p.Src);
        Assert.Equal((ushort)443, p.DstPort);
        Assert.Equal((byte)6, p.Protocol);
        Assert.Equal((byte)6, p.IpVersion);
        Assert.Equal(14 + 20, p.L3Offset); // the inner IPv6 header: what an IP-level engine (nDPI) reads
        Assert.Equal(frame.Length - 14, p.IpLength);
        Assert.Equal(Data, PayloadOf(frame, p));
    }

    [Fact]
    public void Ipv4_in_ipv4_exposes_the_inner_flow_and_a_broken_inner_packet_leaves_the_outer_one()
    {
        var frame = Outer().IpPayload(4).Payload(InnerTcp().BuildIp()).Build();
        var p = Parse(frame);
        Assert.Equal(Ip("10.200.0.1"), p.Src);
        Assert.Equal((ushort)22, p.DstPort);
        Assert.Equal(14 + 20, p.L3Offset);

        var broken = Parse(Outer().IpPayload(4).Payload([0x45, 0, 0]).Build());
        Assert.Equal(Ip("198.51.100.1"), broken.Src);
        Assert.Equal((byte)4, broken.Protocol);
        Assert.Equal(14, broken.L3Offset);
    }
}
