using System.Buffers.Binary;
using Flowhive.Probe.Engine.Tests.Classification.Corpus;

namespace Flowhive.Probe.Engine.Tests.Classification.Micro;

/// <summary>IPsec key exchange: IKEv1 and IKEv2 headers on UDP 500, and on 4500 behind the non-ESP marker.</summary>
public sealed class IkeDissectorTests
{
    [Fact]
    public void An_ikev1_main_mode_proposal_on_port_500_is_ipsec()
    {
        var flow = MicroConversation.Udp(500, 500).FromClient(Header(version: 0x10, exchange: 2, nextPayload: 1, body: 52));

        Assert.Equal("IPsec", flow.Name);
        Assert.Equal((ushort)79, flow.App);
    }

    [Fact]
    public void An_ikev2_auth_on_port_4500_after_the_non_esp_marker_is_ipsec()
    {
        var flow = MicroConversation.Udp(14500, 4500).FromClient([0, 0, 0, 0, .. Header(version: 0x20, exchange: 35, nextPayload: 46, body: 80)]);

        Assert.Equal("IPsec", flow.Name);
    }

    [Fact]
    public void Every_corpus_ike_flow_is_ipsec()
    {
        var ike = CorpusFlows.Of("ipsec_isakmp_esp.pcap").Concat(CorpusFlows.Of("esp.pcapng"))
            .Where(r => r.Protocol == 17 && (r.SrcPort is 500 or 4500 || r.DstPort is 500 or 4500)).ToList();

        // The 25 conversations nDPI 4.2 labels IPsec (by port); some are exported as more than one record.
        Assert.Equal(25, ike.Select(r => CorpusRun.Key(r)).Distinct().Count());
        Assert.All(ike, r => Assert.Equal("IPsec", CorpusFlows.NameOf(r)));
    }

    [Fact]
    public void Headers_that_do_not_hold_together_are_not_ipsec()
    {
        var wrongLength = Header(version: 0x20, exchange: 34, nextPayload: 33, body: 40);
        BinaryPrimitives.WriteUInt32BigEndian(wrongLength.AsSpan(24), 1000);
        var version3 = Header(version: 0x30, exchange: 34, nextPayload: 33, body: 40);
        var v1ExchangeInV2 = Header(version: 0x20, exchange: 2, nextPayload: 33, body: 40);

        Assert.Equal("Unknown", MicroConversation.Udp(500, 500).FromClient(wrongLength).Name);
        Assert.Equal("Unknown", MicroConversation.Udp(500, 500).FromClient(version3).Name);
        Assert.Equal("Unknown", MicroConversation.Udp(500, 500).FromClient(v1ExchangeInV2).Name);
        Assert.Equal("Unknown", MicroConversation.Udp(40000, 4500).FromClient(Header(version: 0x20, exchange: 34, nextPayload: 33, body: 40)).Name);
    }

    /// <summary>An ISAKMP header (initiator SPI, zero responder SPI, payload, version, exchange, flags, message id, length) and <paramref name="body"/> payload bytes.</summary>
    private static byte[] Header(byte version, byte exchange, byte nextPayload, int body)
    {
        var packet = new byte[28 + body];
        BinaryPrimitives.WriteUInt64BigEndian(packet, 0xB64EF32131A48952);
        packet[16] = nextPayload;
        packet[17] = version;
        packet[18] = exchange;
        packet[19] = 0x08; // initiator
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(24), (uint)packet.Length);
        return packet;
    }
}
