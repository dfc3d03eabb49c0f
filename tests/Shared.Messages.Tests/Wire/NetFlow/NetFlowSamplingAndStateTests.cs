using Flowhive.Shared.Flows;
using Flowhive.Shared.Net;
using Flowhive.Shared.Wire.NetFlow;

namespace Flowhive.Shared.Messages.Tests.Wire.NetFlow;

/// <summary>Sampling intervals (v5 header, v9/IPFIX options data, per-record fields) scale packets and bytes; templates and intervals survive a save and load.</summary>
public sealed class NetFlowSamplingAndStateTests
{
    private static readonly NetFlowExporterId Exporter = new(IpAddr.Parse("192.0.2.1"), 2055);

    private readonly List<FlowRecord> _records = [];

    /// <summary>Template 300: IPV4_SRC_ADDR, IPV4_DST_ADDR, IN_BYTES, IN_PKTS, and a record of 1500 bytes in 3 packets.</summary>
    private static DatagramBuilder TemplateAndRecord(DatagramBuilder b, bool template = true)
    {
        if (template)
        {
            var t = b.OpenSet(0);
            b.U16(300).U16(4).U16(8).U16(4).U16(12).U16(4).U16(1).U16(4).U16(2).U16(4);
            b.CloseSet(t);
        }

        var set = b.OpenSet(300);
        b.U32(0x0A000001).U32(0xC0000201).U32(1500).U32(3);
        return b.CloseSet(set);
    }

    /// <summary>v9 options template 400 (scope system, SAMPLING_INTERVAL or another option id) and its record.</summary>
    private static DatagramBuilder SamplingOptions(DatagramBuilder b, uint interval, int optionId = 34)
    {
        var set = b.OpenSet(1);
        b.U16(400).U16(4).U16(4).U16(1).U16(4).U16(optionId).U16(4).U16(0);
        b.CloseSet(set);
        set = b.OpenSet(400);
        b.U32(0).U32(interval);
        return b.CloseSet(set);
    }

    [Theory]
    [InlineData(34)]  // SAMPLING_INTERVAL (softflowd, Cisco)
    [InlineData(50)]  // FLOW_SAMPLER_RANDOM_INTERVAL (Cisco sampler options)
    [InlineData(305)] // samplingPacketInterval
    public void An_announced_sampling_interval_scales_later_records_of_that_exporter_and_source_id(int optionId)
    {
        var decoder = new NetFlowDecoder();
        decoder.Decode(SamplingOptions(DatagramBuilder.V9(), 100, optionId).ToArray(), Exporter, _records);
        decoder.Decode(TemplateAndRecord(DatagramBuilder.V9()).ToArray(), Exporter, _records);
        decoder.Decode(TemplateAndRecord(DatagramBuilder.V9(sourceId: 2)).ToArray(), Exporter, _records);

        Assert.Equal(1, decoder.Counters.SamplingOptions);
        Assert.Equal((150_000UL, 300UL), (_records[0].InBytes, _records[0].InPkts));
        Assert.Equal((1500UL, 3UL), (_records[1].InBytes, _records[1].InPkts)); // another source id: unsampled
    }

    [Fact]
    public void A_sampling_interval_in_the_record_itself_wins()
    {
        var decoder = new NetFlowDecoder();
        var b = DatagramBuilder.V9();
        var t = b.OpenSet(0);
        b.U16(301).U16(5).U16(8).U16(4).U16(12).U16(4).U16(1).U16(4).U16(2).U16(4).U16(34).U16(4);
        b.CloseSet(t);
        var set = b.OpenSet(301);
        b.U32(0x0A000001).U32(0xC0000201).U32(1000).U32(2).U32(7);
        b.CloseSet(set);
        decoder.Decode(SamplingOptions(DatagramBuilder.V9(), 100).ToArray(), Exporter, _records);
        decoder.Decode(b.ToArray(), Exporter, _records);

        Assert.Equal((7000UL, 14UL), (_records[0].InBytes, _records[0].InPkts));
    }

    [Fact]
    public void The_v5_header_sampling_interval_scales_its_records()
    {
        var b = new DatagramBuilder().U16(5).U16(1).U32(600_000).U32(1_767_225_610).U32(0).U32(0).U8(0).U8(0).U16(0x4000 | 512);
        b.U32(0x0A000001).U32(0xC0000201).U32(0).U16(0).U16(0).U32(4).U32(400).U32(0).U32(0).U16(1).U16(2).U8(0).U8(0).U8(6).U8(0).U32(0).U32(0);
        new NetFlowDecoder().Decode(b.ToArray(), Exporter, _records);

        Assert.Equal((204_800UL, 2048UL), (_records[0].InBytes, _records[0].InPkts));
    }

    [Fact]
    public void Huge_intervals_saturate_instead_of_wrapping()
    {
        var decoder = new NetFlowDecoder();
        decoder.Decode(SamplingOptions(DatagramBuilder.V9(), uint.MaxValue).ToArray(), Exporter, _records);
        decoder.Decode(TemplateAndRecord(DatagramBuilder.V9()).ToArray(), Exporter, _records);

        Assert.Equal(1500UL * uint.MaxValue, _records[0].InBytes);
    }

    [Fact]
    public void Saved_templates_and_intervals_decode_data_in_a_new_decoder()
    {
        var first = new NetFlowDecoder();
        first.Decode(SamplingOptions(DatagramBuilder.V9(), 10).ToArray(), Exporter, _records);
        first.Decode(TemplateAndRecord(DatagramBuilder.V9()).ToArray(), Exporter, _records);
        using var file = new MemoryStream();
        first.SaveState(file);

        var second = new NetFlowDecoder();
        file.Position = 0;
        Assert.Equal(2, second.LoadState(file));
        _records.Clear();
        var result = second.Decode(TemplateAndRecord(DatagramBuilder.V9(), template: false).ToArray(), Exporter, _records);

        Assert.Equal(NetFlowDecodeStatus.Ok, result.Status);
        Assert.Equal((15_000UL, 30UL), (_records[0].InBytes, _records[0].InPkts));
        Assert.Equal(1, second.SamplingRateCount);

        // Another exporter port is another transport session: its data needs its own template.
        result = second.Decode(TemplateAndRecord(DatagramBuilder.V9(), template: false).ToArray(), Exporter with { Port = 2056 }, _records);
        Assert.Equal(NetFlowDecodeStatus.UnknownTemplate, result.Status);
    }

    [Fact]
    public void A_damaged_state_file_is_refused_not_half_loaded_into_a_crash()
    {
        var decoder = new NetFlowDecoder();
        decoder.Decode(TemplateAndRecord(DatagramBuilder.V9()).ToArray(), Exporter, _records);
        using var file = new MemoryStream();
        decoder.SaveState(file);
        var bytes = file.ToArray();
        var random = new Random(7);
        var refused = 0;

        for (var i = 0; i < 2000; i++)
        {
            var damaged = i % 2 == 0 ? bytes[..random.Next(bytes.Length)] : Mutate(bytes, random);
            try
            {
                new NetFlowDecoder().LoadState(new MemoryStream(damaged));
            }
            catch (InvalidDataException)
            {
                refused++;
            }
        }

        Assert.True(refused >= 1000, $"{refused} damaged files refused"); // every cut file, and mutated ones whose counts or lengths broke
    }

    private static byte[] Mutate(byte[] bytes, Random random)
    {
        var copy = (byte[])bytes.Clone();
        copy[random.Next(copy.Length)] = (byte)random.Next(256);
        return copy;
    }
}
