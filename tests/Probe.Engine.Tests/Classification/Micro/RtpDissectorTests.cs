using System.Buffers.Binary;

namespace Flowhive.Probe.Engine.Tests.Classification.Micro;

/// <summary>RTP by two consistent headers of one stream; RTCP by a compound packet whose lengths add up.</summary>
public sealed class RtpDissectorTests
{
    [Fact]
    public void Two_packets_of_one_stream_are_rtp()
    {
        var flow = MicroConversation.Udp(30000, 40392).FromClient(Rtp(sequence: 100, ssrc: 0x3796CB71));
        Assert.Equal("Unknown", flow.Name);

        flow.FromClient(Rtp(sequence: 101, ssrc: 0x3796CB71));

        Assert.Equal("RTP", flow.Name);
        Assert.Equal((ushort)87, flow.App);
    }

    [Fact]
    public void Packets_of_different_sources_or_far_apart_sequence_numbers_are_not_rtp()
    {
        var otherSource = MicroConversation.Udp(30000, 40392).FromClient(Rtp(100, 1)).FromClient(Rtp(101, 2));
        var farApart = MicroConversation.Udp(30000, 40392).FromClient(Rtp(100, 1)).FromClient(Rtp(9000, 1));

        Assert.Equal("Unknown", otherSource.Name);
        Assert.Equal("Unknown", farApart.Name);
    }

    [Fact]
    public void A_receiver_report_with_a_source_description_is_rtcp()
    {
        var flow = MicroConversation.Udp(30001, 40393).FromClient(ReceiverReportWithSourceDescription());

        Assert.Equal("RTCP", flow.Name);
        Assert.Equal((ushort)165, flow.App);
    }

    [Fact]
    public void An_rtcp_compound_whose_lengths_do_not_add_up_is_not_rtcp()
    {
        byte[] report = [0x81, 201, 0, 7, .. new byte[28], 0xFF];

        Assert.Equal("Unknown", MicroConversation.Udp(30001, 40393).FromClient(report).Name);
    }

    [Fact]
    public void The_corpus_sip_call_media_is_rtp_and_its_control_rtcp()
    {
        Assert.Equal("RTP", CorpusFlows.NameOf(CorpusFlows.WithPort("sip.pcap", 40392)));
        Assert.Equal("RTCP", CorpusFlows.NameOf(CorpusFlows.WithPort("sip.pcap", 40393)));
    }

    /// <summary>A compound RTCP packet: a receiver report with one report block, then a source description (CNAME "abc").</summary>
    internal static byte[] ReceiverReportWithSourceDescription() =>
        [0x81, 201, 0, 7, .. new byte[28], 0x81, 202, 0, 3, 0, 0, 0, 1, 1, 3, (byte)'a', (byte)'b', (byte)'c', 0, 0, 0];

    /// <summary>An RTP packet: version 2, PCMA (payload type 8), 160 bytes of audio.</summary>
    internal static byte[] Rtp(ushort sequence, uint ssrc)
    {
        var packet = new byte[12 + 160];
        packet[0] = 0x80;
        packet[1] = 8;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), sequence);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), sequence * 160u);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), ssrc);
        packet.AsSpan(12).Fill(0xD5);
        return packet;
    }
}
