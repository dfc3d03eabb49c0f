using Flowhive.Shared.Flows;
using Flowhive.Shared.Net;
using Flowhive.Shared.Wire.SFlow;

namespace Flowhive.Shared.Messages.Tests.Wire.SFlow;

/// <summary>sFlow v5 datagrams built from the spec: flow samples become flows with the sampling rate applied, counter samples interface counters, and lies in lengths are counted by reason.</summary>
public sealed class SFlowDecoderTests
{
    private const long NowUs = 1_767_225_600_000_000;

    private readonly SFlowDecoder _decoder = new();
    private readonly List<FlowRecord> _flows = [];
    private readonly List<SFlowInterfaceCounters> _interfaces = [];

    private SFlowDecodeResult Decode(byte[] datagram) => _decoder.Decode(datagram, NowUs, _flows, _interfaces);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_flow_sample_becomes_a_flow_scaled_by_its_sampling_rate(bool expanded)
    {
        var datagram = SFlowDatagrams.FlowSample(SFlowDatagrams.Header(1), SFlowDatagrams.TcpFrameHeader(), 1000, expanded: expanded).ToArray();

        var result = Decode(datagram);

        Assert.Equal(new SFlowDecodeResult(SFlowDecodeStatus.Ok, 1, 0), result);
        var f = Assert.Single(_flows);
        Assert.Equal((IpAddr.Parse("10.0.0.1"), (ushort)40000, IpAddr.Parse("192.0.2.80"), (ushort)443, (byte)6), (f.SrcAddr, f.SrcPort, f.DstAddr, f.DstPort, f.Protocol));
        Assert.Equal((SFlowDatagrams.SamplingRate, 1000UL * SFlowDatagrams.SamplingRate), (f.InPkts, f.InBytes));
        Assert.Equal(((ushort)42, (byte)0x12, (byte)4, 0x001122334455UL, 0x66778899AABBUL), (f.Vlan, f.ClientTcpFlags, f.IpVersion, f.DstMac, f.SrcMac));
        Assert.Equal((NowUs, NowUs), (f.FirstSwitchedUs, f.LastSwitchedUs));
        Assert.Equal(SFlowDatagrams.AgentV4, f.ExporterIpv4); // the agent is the flow's exporter
    }

    [Fact]
    public void Ipv6_headers_and_ipv6_agents_are_read()
    {
        var b = SFlowDatagrams.Header(1, ipv6Agent: true);
        SFlowDatagrams.FlowSample(b, SFlowDatagrams.Ipv6UdpHeader(), 60, headerProtocol: 12, rate: 1);

        Assert.Equal(SFlowDecodeStatus.Ok, Decode(b.ToArray()).Status);
        var f = Assert.Single(_flows);
        Assert.Equal((IpAddr.Parse("2001:db8::1"), (ushort)5353, IpAddr.Parse("2001:db8::2"), (ushort)53, (byte)17, (byte)6), (f.SrcAddr, f.SrcPort, f.DstAddr, f.DstPort, f.Protocol, f.IpVersion));
        Assert.Equal((1UL, 60UL), (f.InPkts, f.InBytes));
        Assert.Equal(0u, f.ExporterIpv4); // an IPv6 agent has no EXPORTER_IPV4_ADDRESS
    }

    [Fact]
    public void Counter_samples_become_interface_counters_beside_flow_samples()
    {
        var b = SFlowDatagrams.Header(3);
        SFlowDatagrams.CounterSample(b, 7, 123_456_789_012, 987_654_321);
        SFlowDatagrams.FlowSample(b, SFlowDatagrams.TcpFrameHeader(), 1000);
        SFlowDatagrams.CounterSample(b, 8, 1, 2);

        var result = Decode(b.ToArray());

        Assert.Equal(new SFlowDecodeResult(SFlowDecodeStatus.Ok, 1, 2), result);
        var c = _interfaces[0];
        Assert.Equal((IpAddr.Parse("192.0.2.1"), 7u, 10_000_000_000UL, 123_456_789_012UL, 1025UL, 1u, 2u), (c.Agent, c.IfIndex, c.IfSpeed, c.InOctets, c.InPackets, c.InDiscards, c.InErrors));
        Assert.Equal((987_654_321UL, 914UL, 3u, 4u, 3_600_000u), (c.OutOctets, c.OutPackets, c.OutDiscards, c.OutErrors, c.UptimeMs));
        Assert.Equal(8u, _interfaces[1].IfIndex);
        Assert.Equal(2, _decoder.Counters.CounterSamples);
    }

    [Fact]
    public void Unknown_sample_and_record_formats_are_skipped_by_their_length()
    {
        var b = SFlowDatagrams.Header(2);
        b.U32(0x1234).U32(8).U32(1).U32(2); // enterprise sample of 8 bytes
        SFlowDatagrams.FlowSample(b, SFlowDatagrams.TcpFrameHeader(), 1000);

        Assert.Equal(SFlowDecodeStatus.Ok, Decode(b.ToArray()).Status);
        Assert.Single(_flows);
        Assert.Equal(1, _decoder.Counters.SkippedUnknownFormats);
    }

    [Fact]
    public void A_sample_length_past_the_datagram_stops_it()
    {
        var bytes = SFlowDatagrams.FlowSample(SFlowDatagrams.Header(1), SFlowDatagrams.TcpFrameHeader(), 1000).ToArray();
        bytes[28 + 6] = 0xFF; // the sample's length, second-lowest byte: now past the end

        Assert.Equal(SFlowDecodeStatus.BadSampleLength, Decode(bytes).Status);
        Assert.Empty(_flows);
        Assert.Equal(1, _decoder.Counters[SFlowDecodeStatus.BadSampleLength]);
    }

    [Fact]
    public void A_record_length_that_lies_stops_the_sample()
    {
        var bytes = SFlowDatagrams.FlowSample(SFlowDatagrams.Header(1), SFlowDatagrams.TcpFrameHeader(), 1000).ToArray();
        bytes[28 + 8 + 32 + 4] = 0x7F; // the raw header record's length, high byte

        Assert.Equal(SFlowDecodeStatus.BadRecordLength, Decode(bytes).Status);
        Assert.Empty(_flows);
    }

    [Fact]
    public void A_header_length_past_its_record_is_unreadable()
    {
        var bytes = SFlowDatagrams.FlowSample(SFlowDatagrams.Header(1), SFlowDatagrams.TcpFrameHeader(), 1000).ToArray();
        bytes[28 + 8 + 32 + 8 + 12 + 3] = 0xF0; // the header length

        Assert.Equal(SFlowDecodeStatus.UnreadableHeader, Decode(bytes).Status);
        Assert.Empty(_flows);
    }

    [Fact]
    public void More_samples_promised_than_sent_and_zero_rates_are_counted()
    {
        var b = SFlowDatagrams.Header(5);
        SFlowDatagrams.FlowSample(b, SFlowDatagrams.TcpFrameHeader(), 1000, rate: 0);
        SFlowDatagrams.FlowSample(b, SFlowDatagrams.TcpFrameHeader(), 1000);

        var result = Decode(b.ToArray());

        Assert.Equal(SFlowDecodeStatus.ZeroSamplingRate, result.Status);
        Assert.Single(_flows);
        Assert.Equal(1, _decoder.Counters[SFlowDecodeStatus.BadSampleLength]);
        Assert.Equal(1, _decoder.Counters[SFlowDecodeStatus.ZeroSamplingRate]);
    }

    [Theory]
    [InlineData(new byte[] { 0, 0, 0, 5 }, SFlowDecodeStatus.Truncated)]
    [InlineData(new byte[] { 0, 0, 0, 4, 0, 0, 0, 1 }, SFlowDecodeStatus.UnknownVersion)]
    [InlineData(new byte[] { 0, 0, 0, 5, 0, 0, 0, 3, 1, 2, 3, 4 }, SFlowDecodeStatus.BadAgentAddress)]
    [InlineData(new byte[] { 0, 0, 0, 5, 0, 0, 0, 1, 1, 2, 3, 4, 0, 0, 0, 0 }, SFlowDecodeStatus.Truncated)]
    public void Broken_headers_are_counted(byte[] datagram, SFlowDecodeStatus expected)
    {
        Assert.Equal(expected, Decode(datagram).Status);
        Assert.Equal(1, _decoder.Counters[expected]);
    }

    [Fact]
    public void Only_sflow_v5_looks_like_sflow()
    {
        Assert.True(SFlowDecoder.LooksLikeSFlow([0, 0, 0, 5, 0, 0, 0, 1]));
        Assert.False(SFlowDecoder.LooksLikeSFlow([0, 9, 0, 1])); // NetFlow v9
        Assert.False(SFlowDecoder.LooksLikeSFlow([0, 10, 0, 16])); // IPFIX
        Assert.False(SFlowDecoder.LooksLikeSFlow([0, 5, 0, 1])); // NetFlow v5
    }
}
