using Flowhive.Shared.Flows;
using Flowhive.Shared.Net;
using Flowhive.Shared.Wire.NetFlow;

namespace Flowhive.Shared.Messages.Tests.Wire.NetFlow;

/// <summary>Malformed and unusual datagrams: each problem counted under its reason, never an exception, good parts still read.</summary>
public sealed class NetFlowDecoderTests
{
    private static readonly NetFlowExporterId Exporter = new(IpAddr.Parse("192.0.2.1"), 2055);

    private readonly NetFlowDecoder _decoder = new();
    private readonly List<FlowRecord> _records = [];

    private NetFlowDecodeResult Decode(byte[] datagram, NetFlowExporterId? exporter = null, int maxRecords = NetFlowDecoder.DefaultMaxRecords) =>
        _decoder.Decode(datagram, exporter ?? Exporter, _records, maxRecords);

    /// <summary>A v9 template flowset: template 300 with IPV4_SRC_ADDR, IPV4_DST_ADDR, IN_BYTES, IN_PKTS.</summary>
    private static DatagramBuilder AddressTemplate(DatagramBuilder b, int templateId = 300, int srcLength = 4)
    {
        var set = b.OpenSet(0);
        b.U16(templateId).U16(4).U16(8).U16(srcLength).U16(12).U16(4).U16(1).U16(4).U16(2).U16(4);
        return b.CloseSet(set);
    }

    private static DatagramBuilder AddressRecord(DatagramBuilder b, int templateId = 300, uint src = 0x0A000001)
    {
        var set = b.OpenSet(templateId);
        b.U32(src).U32(0xC0000201).U32(1500).U32(3);
        return b.CloseSet(set);
    }

    [Theory]
    [InlineData(new byte[] { })]
    [InlineData(new byte[] { 0x00 })]
    [InlineData(new byte[] { 0x00, 0x05, 0x00, 0x01 })]
    [InlineData(new byte[] { 0x00, 0x09, 0x00, 0x01, 0x00 })]
    [InlineData(new byte[] { 0x00, 0x0A, 0x00, 0x10 })]
    public void Datagrams_shorter_than_their_header_are_truncated(byte[] datagram)
    {
        Assert.Equal(NetFlowDecodeStatus.Truncated, Decode(datagram).Status);
        Assert.Equal(1, _decoder.Counters[NetFlowDecodeStatus.Truncated]);
    }

    [Fact]
    public void A_v5_count_beyond_the_records_present_keeps_the_whole_records()
    {
        var b = new DatagramBuilder().U16(5).U16(3).U32(600_000).U32(1_767_225_610).U32(0).U32(0).U32(0);
        for (var i = 0; i < 2; i++)
        {
            b.U32(0x0A000001 + (uint)i).U32(0x08080808).U32(0).U16(0).U16(0).U32(2).U32(120).U32(1000).U32(2000)
                .U16(5353).U16(53).U8(0).U8(0).U8(17).U8(0).U16(0).U16(0).U8(0).U8(0).U16(0);
        }

        var result = Decode(b.Bytes(1, 2, 3).ToArray());

        Assert.Equal(NetFlowDecodeStatus.Truncated, result.Status);
        Assert.Equal(2, result.RecordsDecoded);

        // Boot = 1767225610 s - 600 s of uptime: FIRST_SWITCHED 1000 ms is 1 s after boot.
        Assert.Equal((1_767_225_010_000L + 1000) * 1000, _records[0].FirstSwitchedUs);
        Assert.Equal(IpAddr.Parse("10.0.0.2"), _records[1].SrcAddr);
        Assert.All(_records, r => Assert.Equal(IpAddr.Parse("192.0.2.1").V4, r.ExporterIpv4)); // the datagram's sender
        Assert.Equal(120UL, _records[1].InBytes);
    }

    [Fact]
    public void Unknown_versions_are_counted()
    {
        var result = Decode(new DatagramBuilder().U16(7).U16(1).U32(0).U32(0).U32(0).U32(0).U32(0).ToArray());

        Assert.Equal(NetFlowDecodeStatus.UnknownVersion, result.Status);
        Assert.Equal(7, result.Version);
        Assert.Equal(1, _decoder.Counters[NetFlowDecodeStatus.UnknownVersion]);
    }

    [Fact]
    public void A_template_and_its_data_in_one_datagram()
    {
        var b = DatagramBuilder.V9();
        AddressTemplate(b);
        AddressRecord(b);

        var result = Decode(b.ToArray());

        Assert.Equal(NetFlowDecodeStatus.Ok, result.Status);
        Assert.Equal(1, result.TemplatesLearned);
        var record = Assert.Single(_records);
        Assert.Equal(IpAddr.Parse("10.0.0.1"), record.SrcAddr);
        Assert.Equal(IpAddr.Parse("192.0.2.1"), record.DstAddr);
        Assert.Equal(1500UL, record.InBytes);
        Assert.Equal(3UL, record.InPkts);
        Assert.Equal(4, record.IpVersion);
    }

    [Fact]
    public void Data_for_a_template_never_sent_is_skipped_and_counted()
    {
        var result = Decode(AddressRecord(DatagramBuilder.V9()).ToArray());

        Assert.Equal(NetFlowDecodeStatus.UnknownTemplate, result.Status);
        Assert.Empty(_records);
        Assert.Equal(1, _decoder.Counters[NetFlowDecodeStatus.UnknownTemplate]);
    }

    [Fact]
    public void Templates_belong_to_one_exporter_and_source_id()
    {
        Decode(AddressTemplate(DatagramBuilder.V9(sourceId: 1)).ToArray());

        Assert.Equal(NetFlowDecodeStatus.UnknownTemplate, Decode(AddressRecord(DatagramBuilder.V9(sourceId: 2)).ToArray()).Status);
        Assert.Equal(NetFlowDecodeStatus.UnknownTemplate, Decode(AddressRecord(DatagramBuilder.V9(sourceId: 1)).ToArray(), Exporter with { Port = 2056 }).Status);
        Assert.Equal(NetFlowDecodeStatus.Ok, Decode(AddressRecord(DatagramBuilder.V9(sourceId: 1)).ToArray()).Status);
        Assert.Single(_records);
    }

    [Fact]
    public void A_template_whose_fields_run_past_its_set_is_ignored()
    {
        var b = DatagramBuilder.V9();
        var set = b.OpenSet(0);
        b.U16(300).U16(6).U16(8).U16(4).U16(12).U16(4); // six fields announced, two present
        b.CloseSet(set);
        AddressRecord(b);

        var result = Decode(b.ToArray());

        Assert.Equal(NetFlowDecodeStatus.TemplateLengthOverflow, result.Status);
        Assert.Equal(1, _decoder.Counters[NetFlowDecodeStatus.TemplateLengthOverflow]);
        Assert.Equal(1, _decoder.Counters[NetFlowDecodeStatus.UnknownTemplate]);
        Assert.Equal(0, _decoder.TemplateCount);
    }

    [Fact]
    public void A_template_with_too_many_fields_or_records_over_64_KiB_is_ignored()
    {
        var b = DatagramBuilder.V9();
        var set = b.OpenSet(0);
        b.U16(300).U16(NetFlowDecoder.MaxTemplateFields + 1);
        b.CloseSet(set);
        Assert.Equal(NetFlowDecodeStatus.TemplateLengthOverflow, Decode(b.ToArray()).Status);

        b = DatagramBuilder.V9();
        set = b.OpenSet(0);
        b.U16(301).U16(2).U16(8).U16(40_000).U16(12).U16(40_000);
        b.CloseSet(set);
        Assert.Equal(NetFlowDecodeStatus.TemplateLengthOverflow, Decode(b.ToArray()).Status);
        Assert.Equal(0, _decoder.TemplateCount);
    }

    [Fact]
    public void A_zero_length_field_makes_the_template_unusable_but_not_the_next_one()
    {
        var b = DatagramBuilder.V9();
        var set = b.OpenSet(0);
        b.U16(300).U16(2).U16(8).U16(0).U16(12).U16(4);
        b.U16(301).U16(4).U16(8).U16(4).U16(12).U16(4).U16(1).U16(4).U16(2).U16(4);
        b.CloseSet(set);
        AddressRecord(b, 300);
        AddressRecord(b, 301);

        var result = Decode(b.ToArray());

        Assert.Equal(NetFlowDecodeStatus.ZeroLengthField, result.Status);
        Assert.Equal(1, result.TemplatesLearned);
        Assert.Equal(1, _decoder.Counters[NetFlowDecodeStatus.ZeroLengthField]);
        Assert.Equal(1, _decoder.Counters[NetFlowDecodeStatus.UnknownTemplate]);
        Assert.Single(_records);
    }

    [Fact]
    public void Template_ids_below_256_are_refused()
    {
        Assert.Equal(NetFlowDecodeStatus.ReservedTemplateId, Decode(AddressTemplate(DatagramBuilder.V9(), templateId: 17).ToArray()).Status);
        Assert.Equal(0, _decoder.TemplateCount);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4000)]
    public void A_bad_set_length_stops_the_datagram(int length)
    {
        var b = DatagramBuilder.V9();
        AddressTemplate(b);
        AddressRecord(b);
        var bytes = b.ToArray();
        bytes[20 + 2] = (byte)(length >> 8); // the template flowset's length
        bytes[20 + 3] = (byte)length;

        var result = Decode(bytes);

        Assert.Equal(length < 4 ? NetFlowDecodeStatus.MalformedSet : NetFlowDecodeStatus.Truncated, result.Status);
        Assert.Empty(_records);
    }

    [Fact]
    public void Fields_of_the_wrong_width_are_ignored_and_records_without_addresses_dropped()
    {
        var b = DatagramBuilder.V9();
        AddressTemplate(b, srcLength: 3);
        var set = b.OpenSet(300);
        b.Bytes(10, 0, 0).U32(0xC0000201).U32(1500).U32(3);
        b.CloseSet(set);

        var result = Decode(b.ToArray());

        Assert.Equal(NetFlowDecodeStatus.InvalidValue, result.Status);
        Assert.Equal(1, result.RecordsDropped);
        Assert.Equal(1, _decoder.Counters[NetFlowDecodeStatus.InvalidValue]);
        Assert.Equal(1, _decoder.Counters[NetFlowDecodeStatus.MissingAddresses]);
    }

    [Fact]
    public void The_record_limit_stops_decoding()
    {
        var encoder = NetFlowEncoder.Create(new NetFlowEncoderOptions { Version = NetFlowVersion.V5 });
        var sink = new DatagramCollector();
        for (var i = 0; i < 14; i++)
        {
            encoder.Add(SampleFlows.Ipv4(i) with { OutBytes = 10 }, 1_800_000_000_000, sink);
        }

        encoder.Flush(1_800_000_000_000, sink);

        var result = Decode(Assert.Single(sink.Datagrams), maxRecords: 5);

        Assert.Equal(NetFlowDecodeStatus.TooManyRecords, result.Status);
        Assert.Equal(5, result.RecordsDecoded);
        Assert.Equal(23, result.RecordsDropped);
    }

    [Fact]
    public void Ipfix_message_lengths_are_checked()
    {
        var b = DatagramBuilder.Ipfix();
        var set = b.OpenSet(2);
        b.U16(300).U16(1).U16(8).U16(4);
        b.CloseSet(set);
        var message = b.FinishIpfix();

        var longer = (byte[])message.Clone();
        longer[3] += 10;
        Assert.Equal(NetFlowDecodeStatus.Truncated, Decode(longer).Status);

        var shorter = (byte[])message.Clone();
        shorter[3] = 8;
        Assert.Equal(NetFlowDecodeStatus.MalformedSet, Decode(shorter).Status);

        // Bytes after the stated length are not part of the message.
        Assert.Equal(NetFlowDecodeStatus.Ok, Decode([.. message, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]).Status);
    }

    [Fact]
    public void Ipfix_variable_length_fields_are_bounds_checked()
    {
        var b = DatagramBuilder.Ipfix();
        var set = b.OpenSet(2);
        b.U16(300).U16(3).U16(8).U16(4).U16(12).U16(4).U16(0x8000 | 205).U16(0xFFFF).U32(35632); // DNS_QUERY, variable
        b.CloseSet(set);
        set = b.OpenSet(300);
        b.U32(0x0A000001).U32(0x0A000002).U8(5).Bytes("a.com"u8.ToArray());
        b.U32(0x0A000003).U32(0x0A000004).U8(255).U16(300).Bytes("b.com"u8.ToArray()); // says 300 bytes, has 5
        b.CloseSet(set);

        var result = Decode(b.FinishIpfix());

        Assert.Equal(NetFlowDecodeStatus.Truncated, result.Status);
        Assert.Equal("a.com", Assert.Single(_records).Metadata!.DnsQuery);
        Assert.Equal(1, result.RecordsDropped);
    }

    [Fact]
    public void Ipfix_withdrawal_forgets_a_template()
    {
        var b = DatagramBuilder.Ipfix();
        var set = b.OpenSet(2);
        b.U16(300).U16(2).U16(8).U16(4).U16(12).U16(4);
        b.CloseSet(set);
        Decode(b.FinishIpfix());
        Assert.Equal(1, _decoder.TemplateCount);

        b = DatagramBuilder.Ipfix();
        set = b.OpenSet(2);
        b.U16(300).U16(0);
        b.CloseSet(set);
        set = b.OpenSet(300);
        b.U32(1).U32(2);
        b.CloseSet(set);
        var result = Decode(b.FinishIpfix());

        Assert.Equal(0, _decoder.TemplateCount);
        Assert.Equal(1, _decoder.Counters.TemplatesWithdrawn);
        Assert.Equal(NetFlowDecodeStatus.UnknownTemplate, result.Status);
    }

    [Fact]
    public void Options_templates_and_their_records_are_read_past()
    {
        // v9 options template 400: scope system (1) of 4 bytes, SAMPLING_INTERVAL (34) of 4 bytes; then a flow template and record.
        var b = DatagramBuilder.V9();
        var set = b.OpenSet(1);
        b.U16(400).U16(4).U16(4).U16(1).U16(4).U16(34).U16(4).U16(0); // two bytes of padding
        b.CloseSet(set);
        set = b.OpenSet(400);
        b.U32(0).U32(100).U32(0).U32(100);
        b.CloseSet(set);
        AddressTemplate(b);
        AddressRecord(b);

        var ipfix = DatagramBuilder.Ipfix();
        set = ipfix.OpenSet(3);
        ipfix.U16(401).U16(2).U16(1).U16(149).U16(4).U16(34).U16(4); // scope observationDomainId, samplingInterval
        ipfix.CloseSet(set);
        set = ipfix.OpenSet(401);
        ipfix.U32(1).U32(100);
        ipfix.CloseSet(set);

        Assert.Equal(NetFlowDecodeStatus.Ok, Decode(b.ToArray()).Status);
        Assert.Equal(NetFlowDecodeStatus.Ok, Decode(ipfix.FinishIpfix()).Status);
        Assert.Single(_records);
        Assert.Equal(3, _decoder.Counters.OptionsRecords);
        Assert.Empty(_decoder.Counters.Problems);
    }

    [Fact]
    public void Ipfix_uptime_times_count_from_system_init_time()
    {
        var b = DatagramBuilder.Ipfix();
        var set = b.OpenSet(2);
        b.U16(300).U16(5).U16(8).U16(4).U16(12).U16(4).U16(160).U16(8).U16(22).U16(4).U16(21).U16(4);
        b.CloseSet(set);
        set = b.OpenSet(300);
        b.U32(0x0A000001).U32(0x0A000002).U64(1_767_225_000_000).U32(2_500).U32(7_250);
        b.CloseSet(set);

        Decode(b.FinishIpfix());

        var record = Assert.Single(_records);
        Assert.Equal(1_767_225_002_500_000L, record.FirstSwitchedUs);
        Assert.Equal(1_767_225_007_250_000L, record.LastSwitchedUs);
    }

    [Fact]
    public void Fields_of_unknown_ids_and_enterprises_are_skipped()
    {
        var b = DatagramBuilder.Ipfix();
        var set = b.OpenSet(2);
        b.U16(300).U16(4).U16(8).U16(4).U16(0x8000 | 7).U16(2).U32(9).U16(999).U16(0xFFFF).U16(12).U16(4);
        b.CloseSet(set);
        set = b.OpenSet(300);
        b.U32(0x0A000001).U16(0xBEEF).U8(3).Bytes(1, 2, 3).U32(0x0A000002);
        b.CloseSet(set);

        Assert.Equal(NetFlowDecodeStatus.Ok, Decode(b.FinishIpfix()).Status);
        var record = Assert.Single(_records);
        Assert.Equal(IpAddr.Parse("10.0.0.2"), record.DstAddr);
        Assert.Equal(0, record.SrcPort); // enterprise 9's element 7 is not L4_SRC_PORT
    }

    [Fact]
    public void A_full_template_cache_forgets_the_least_recently_used()
    {
        var decoder = new NetFlowDecoder(maxTemplates: 4);
        for (var id = 300; id < 310; id++)
        {
            decoder.Decode(AddressTemplate(DatagramBuilder.V9(), id).ToArray(), Exporter, _records);
        }

        Assert.Equal(4, decoder.TemplateCount);
        Assert.Equal(6, decoder.Counters.TemplatesEvicted);
        Assert.Equal(NetFlowDecodeStatus.Ok, decoder.Decode(AddressRecord(DatagramBuilder.V9(), 309).ToArray(), Exporter, _records).Status);
        Assert.Equal(NetFlowDecodeStatus.UnknownTemplate, decoder.Decode(AddressRecord(DatagramBuilder.V9(), 300).ToArray(), Exporter, _records).Status);
    }

    [Fact]
    public void Repeated_identical_templates_are_learned_once()
    {
        var datagram = AddressTemplate(DatagramBuilder.V9()).ToArray();
        Assert.Equal(1, Decode(datagram).TemplatesLearned);
        Assert.Equal(0, Decode(datagram).TemplatesLearned);
        Assert.Equal(1, _decoder.Counters.TemplatesLearned);
    }
}
