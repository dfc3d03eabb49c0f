using System.Buffers.Binary;
using Flowhive.Probe.Engine.Capture;
using Flowhive.Probe.Engine.Decode;
using Flowhive.Probe.Engine.Tests.Support;
using static Flowhive.Probe.Engine.Tests.Support.Addr;
using static Flowhive.Probe.Engine.Tests.Support.Decoding;

namespace Flowhive.Probe.Engine.Tests.Decode;

public sealed class LinkLayerDecodingTests
{
    private static readonly byte[] Data = [0xC0, 0xFF, 0xEE];

    private static FrameBuilder Udp4() => new FrameBuilder().Ethernet(1, 2).Ipv4(Ip("172.16.0.1"), Ip("172.16.0.2")).Udp(1111, 2222).Payload(Data);

    private static FrameBuilder Udp6() => new FrameBuilder().Ethernet(1, 2).Ipv6(Ip("2001:db8::a"), Ip("2001:db8::b")).Udp(3333, 4444).Payload(Data);

    private static void AssertUdp4(byte[] frame, in DecodedPacket p)
    {
        Assert.Equal(Ip("172.16.0.1"), p.Src);
        Assert.Equal(Ip("172.16.0.2"), p.Dst);
        Assert.Equal((ushort)1111, p.SrcPort);
        Assert.Equal((ushort)2222, p.DstPort);
        Assert.Equal(28 + Data.Length, p.IpLength);
        Assert.Equal(Data, PayloadOf(frame, p));
    }

    [Fact]
    public void Single_vlan_tag()
    {
        var frame = Udp4().Vlan(10).Build();

        var p = Parse(frame);

        Assert.Equal((ushort)10, p.Vlan);
        AssertUdp4(frame, p);
    }

    [Fact]
    public void Qinq_keeps_the_innermost_vlan()
    {
        var frame = Udp4().Vlan(100, priority: 5).Vlan(20).Build();
        Assert.Equal(0x88A8, BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(12)));

        var p = Parse(frame);

        Assert.Equal((ushort)20, p.Vlan);
        AssertUdp4(frame, p);
    }

    [Fact]
    public void Old_9100_outer_tag_is_understood()
    {
        var frame = Udp4().Vlan(300).Vlan(30).Build();
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), 0x9100);

        var p = Parse(frame);

        Assert.Equal((ushort)30, p.Vlan);
        AssertUdp4(frame, p);
    }

    [Fact]
    public void Mpls_label_stack()
    {
        var ip = Udp4().BuildIp();
        var frame = LinkHeaders.Mpls(ip, 16, 17, 18);

        var p = Parse(frame);

        AssertUdp4(frame, p);
    }

    [Fact]
    public void Mpls_with_ipv6_under_the_stack()
    {
        var ip = Udp6().BuildIp();
        var frame = LinkHeaders.Mpls(ip, 1000);

        var p = Parse(frame);

        Assert.Equal((byte)6, p.IpVersion);
        Assert.Equal((ushort)3333, p.SrcPort);
    }

    [Fact]
    public void Mpls_pseudowire_payload_is_not_ip()
    {
        var frame = LinkHeaders.Mpls([0x00, 0x00, 0x00, 0x00, 0x02, 0x02], 1000); // control word, then Ethernet

        Parse(frame, expected: DecodeStatus.NotIp);
    }

    [Fact]
    public void Pppoe_session_ipv4_and_ipv6()
    {
        var v4 = LinkHeaders.Pppoe(Udp4().BuildIp(), sessionId: 0x1234, pppProtocol: 0x0021);
        AssertUdp4(v4, Parse(v4));

        var v6 = LinkHeaders.Pppoe(Udp6().BuildIp(), sessionId: 0x1234, pppProtocol: 0x0057);
        Assert.Equal((ushort)4444, Parse(v6).DstPort);

        var lcp = LinkHeaders.Pppoe(new byte[8], sessionId: 1, pppProtocol: 0xC021);
        Parse(lcp, expected: DecodeStatus.NotIp);
    }

    [Fact]
    public void Linux_cooked_v1()
    {
        var frame = LinkHeaders.Sll(Udp4().BuildIp(), 0x0800);

        var p = Parse(frame, LinkType.LinuxSll);

        AssertUdp4(frame, p);
        Assert.Equal(0ul, p.SrcMac);
    }

    [Fact]
    public void Linux_cooked_v2()
    {
        var frame = LinkHeaders.Sll2(Udp6().BuildIp(), 0x86DD);

        var p = Parse(frame, LinkType.LinuxSll2);

        Assert.Equal((ushort)3333, p.SrcPort);
        Assert.Equal(Data, PayloadOf(frame, p));
    }

    [Fact]
    public void Linux_cooked_with_vlan_protocol()
    {
        var ip = Udp4().BuildIp();
        var tagged = new byte[4 + ip.Length];
        BinaryPrimitives.WriteUInt16BigEndian(tagged, 42);
        BinaryPrimitives.WriteUInt16BigEndian(tagged.AsSpan(2), 0x0800);
        ip.CopyTo(tagged.AsSpan(4));

        var p = Parse(LinkHeaders.Sll(tagged, 0x8100), LinkType.LinuxSll);

        Assert.Equal((ushort)42, p.Vlan);
    }

    [Theory]
    [InlineData(LinkType.Raw)]
    [InlineData(LinkType.RawBsd)]
    [InlineData(LinkType.RawOpenBsd)]
    public void Raw_ip_picks_the_version_from_the_first_nibble(LinkType link)
    {
        var v4 = Udp4().BuildIp();
        AssertUdp4(v4, Parse(v4, link));
        Assert.Equal((byte)6, Parse(Udp6().BuildIp(), link).IpVersion);
    }

    [Fact]
    public void Ipv4_and_ipv6_link_types()
    {
        var v4 = Udp4().BuildIp();
        AssertUdp4(v4, Parse(v4, LinkType.Ipv4));
        Assert.Equal((ushort)3333, Parse(Udp6().BuildIp(), LinkType.Ipv6).SrcPort);
        Parse(Udp6().BuildIp(), LinkType.Ipv4, DecodeStatus.BadIpVersion);
    }

    [Fact]
    public void Bsd_loopback_in_host_order_and_openbsd_loopback_in_network_order()
    {
        var v4 = LinkHeaders.Prefix([2, 0, 0, 0], Udp4().BuildIp());
        AssertUdp4(v4, Parse(v4, LinkType.Null));

        foreach (var family in new byte[] { 24, 28, 30 })
        {
            var v6 = LinkHeaders.Prefix([0, 0, 0, family], Udp6().BuildIp());
            Assert.Equal((ushort)3333, Parse(v6, LinkType.Loop).SrcPort);
        }

        Parse(LinkHeaders.Prefix([7, 0, 0, 0], Udp4().BuildIp()), LinkType.Null, DecodeStatus.NotIp);
    }

    [Fact]
    public void Cisco_hdlc()
    {
        var frame = LinkHeaders.Prefix([0x0F, 0x00, 0x08, 0x00], Udp4().BuildIp());

        AssertUdp4(frame, Parse(frame, LinkType.CiscoHdlc));
    }

    [Fact]
    public void Ppp_with_and_without_address_control_and_with_protocol_compression()
    {
        var ip = Udp4().BuildIp();
        var full = LinkHeaders.Prefix([0xFF, 0x03, 0x00, 0x21], ip);
        AssertUdp4(full, Parse(full, LinkType.Ppp));

        var noAddress = LinkHeaders.Prefix([0x00, 0x21], ip);
        AssertUdp4(noAddress, Parse(noAddress, LinkType.Ppp));

        var compressed = LinkHeaders.Prefix([0x21], ip);
        AssertUdp4(compressed, Parse(compressed, LinkType.Ppp));

        var v6 = LinkHeaders.Prefix([0xFF, 0x03, 0x00, 0x57], Udp6().BuildIp());
        Assert.Equal((ushort)4444, Parse(v6, LinkType.Ppp).DstPort);
    }

    [Fact]
    public void Arp_is_not_ip_and_unknown_link_types_are_refused()
    {
        var arp = new FrameBuilder().Ethernet(1, 0xFFFF_FFFF_FFFF).EtherType(0x0806).Payload(new byte[28]).Build();
        Parse(arp, expected: DecodeStatus.NotIp);

        Parse(Udp4().Build(), (LinkType)147, DecodeStatus.UnsupportedLinkType);
    }
}
