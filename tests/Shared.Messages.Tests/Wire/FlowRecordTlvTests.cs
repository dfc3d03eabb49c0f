using System.Text;
using Flowhive.Shared.Flows;
using Flowhive.Shared.Net;
using Flowhive.Shared.Wire;

namespace Flowhive.Shared.Messages.Tests.Wire;

public sealed class FlowRecordTlvTests
{
    private static byte[] EncodeAll(params FlowRecord[] records)
    {
        var buffer = new byte[FlowRecordTlv.DefaultMaxPayloadBytes];
        var result = FlowRecordTlv.Encode(records, buffer);
        Assert.Equal(FlowEncodeStatus.Ok, result.Status);
        Assert.Equal(records.Length, result.RecordsWritten);
        return buffer[..result.BytesWritten];
    }

    private static (FlowDecodeResult Result, List<FlowRecord> Records) DecodeAll(ReadOnlySpan<byte> payload, int maxRecords = FlowRecordTlv.MaxRecordsPerPayload)
    {
        var records = new List<FlowRecord>();
        var result = FlowRecordTlv.Decode(payload, records, maxRecords);
        Assert.Equal(result.RecordsDecoded, records.Count);
        return (result, records);
    }

    private delegate void Build(ref TlvWriter writer);

    private static byte[] Tlv(Build build)
    {
        var buffer = new byte[64 * 1024];
        var writer = new TlvWriter(buffer);
        writer.TryWriteHeader();
        build(ref writer);
        Assert.False(writer.HasOverflowed);
        return buffer[..writer.Position];
    }

    [Fact]
    public void Ipv4_record_round_trips()
    {
        var record = SampleFlows.Ipv4();
        var (result, decoded) = DecodeAll(EncodeAll(record));
        Assert.Equal(new FlowDecodeResult(FlowDecodeStatus.Ok, 1, 0, 0, 0, result.BytesRead), result);
        SampleFlows.AssertEqual(record, decoded[0]);
    }

    [Fact]
    public void Dns_query_type_and_return_code_round_trip()
    {
        var record = SampleFlows.Ipv4();
        record.Metadata = new FlowMetadata { DnsQuery = "www.example.com", DnsQueryType = 28, DnsReturnCode = 3 };

        var (_, decoded) = DecodeAll(EncodeAll(record));

        Assert.Equal((28, 3), (decoded[0].Metadata!.DnsQueryType, decoded[0].Metadata!.DnsReturnCode));
    }

    [Fact]
    public void Ipv6_record_round_trips()
    {
        var record = SampleFlows.Ipv6(0x1234);
        var (result, decoded) = DecodeAll(EncodeAll(record));
        Assert.Equal(FlowDecodeStatus.Ok, result.Status);
        SampleFlows.AssertEqual(record, decoded[0]);
    }

    [Fact]
    public void Records_with_metadata_round_trip()
    {
        var v4 = SampleFlows.WithMetadata(SampleFlows.Ipv4(1));
        var v6 = SampleFlows.WithMetadata(SampleFlows.Ipv6(2));
        var (result, decoded) = DecodeAll(EncodeAll(v4, v6));
        Assert.Equal((FlowDecodeStatus.Ok, 2, 0, 0), (result.Status, result.RecordsDecoded, result.UnknownFields, result.InvalidValues));
        SampleFlows.AssertEqual(v4, decoded[0]);
        SampleFlows.AssertEqual(v6, decoded[1]);
    }

    [Fact]
    public void Partial_metadata_round_trips_and_empty_metadata_adds_nothing()
    {
        var record = SampleFlows.Ipv4();
        record.Metadata = new FlowMetadata { DnsQuery = "example.com" };
        SampleFlows.AssertEqual(record, DecodeAll(EncodeAll(record)).Records[0]);

        var bare = SampleFlows.Ipv4();
        var withEmpty = SampleFlows.Ipv4();
        withEmpty.Metadata = new FlowMetadata { HttpUrl = "" };
        Assert.Equal(EncodeAll(bare), EncodeAll(withEmpty));
    }

    [Fact]
    public void A_bittorrent_info_hash_travels_as_nprobe_bittorrent_hash()
    {
        var record = SampleFlows.Ipv4();
        record.Metadata = new FlowMetadata { BittorrentHash = "f7f601d8a6276f762c2c3df274af2827f8d1f1de" };

        var (result, decoded) = DecodeAll(EncodeAll(record));

        Assert.Equal((FlowDecodeStatus.Ok, 0, 0), (result.Status, result.UnknownFields, result.InvalidValues));
        Assert.Equal("f7f601d8a6276f762c2c3df274af2827f8d1f1de", decoded[0].Metadata?.BittorrentHash);
        Assert.True(NtopFieldLabels.TryGetId("BITTORRENT_HASH", out var id) && id == NtopFieldId.BittorrentHash);
    }

    [Fact]
    public void A_default_record_round_trips()
    {
        // Nothing set at all: addresses go out as "::" and come back unset-equal.
        var (result, decoded) = DecodeAll(EncodeAll(default(FlowRecord)));
        Assert.Equal(FlowDecodeStatus.Ok, result.Status);
        var expected = default(FlowRecord);
        expected.IpVersion = 6;
        SampleFlows.AssertEqual(expected, decoded[0]);
    }

    [Fact]
    public void Encodes_a_minimal_record_to_the_exact_expected_bytes()
    {
        var record = new FlowRecord
        {
            SrcAddr = IpAddr.Parse("10.0.0.1"),
            DstAddr = IpAddr.Parse("10.0.0.2"),
            SrcPort = 1234,
            DstPort = 80,
            Protocol = 6,
            IpVersion = 4,
            InBytes = 100,
            InPkts = 1,
            FirstSwitchedUs = 1_000_000_000,
            LastSwitchedUs = 1_000_000_000,
        };

        byte[] expected =
        [
            0x01, 0x01,
            0x2B, 0x08, 0x00, 0x08, .. "10.0.0.1"u8.ToArray(), // IPV4_SRC_ADDR as text
            0x2B, 0x0C, 0x00, 0x08, .. "10.0.0.2"u8.ToArray(), // IPV4_DST_ADDR
            0x23, 0x07, 0x04, 0xD2, // L4_SRC_PORT 1234 as u16
            0x22, 0x0B, 0x50, // L4_DST_PORT 80 as u8
            0x22, 0x3C, 0x04, // IP_PROTOCOL_VERSION
            0x22, 0x04, 0x06, // PROTOCOL
            0x22, 0x01, 0x64, // IN_BYTES
            0x22, 0x02, 0x01, // IN_PKTS
            0x22, 0x17, 0x00, // OUT_BYTES
            0x22, 0x18, 0x00, // OUT_PKTS
            0x23, 0x16, 0x03, 0xE8, // FIRST_SWITCHED 1000 s
            0x23, 0x15, 0x03, 0xE8, // LAST_SWITCHED
            0x24, 0x98, 0x00, 0x0F, 0x42, 0x40, // flowStartMilliseconds 1,000,000
            0x24, 0x99, 0x00, 0x0F, 0x42, 0x40, // flowEndMilliseconds
            0x01,
        ];
        Assert.Equal(expected, EncodeAll(record));
    }

    [Fact]
    public void Writes_optional_fields_with_the_expected_types()
    {
        var payload = EncodeAll(SampleFlows.WithMetadata(SampleFlows.Ipv4()));
        var types = new Dictionary<uint, TlvType>();
        var strings = new Dictionary<uint, string>();
        var reader = new TlvReader(payload);
        while (reader.Read() == TlvReadStatus.Item)
        {
            types[reader.Key] = reader.ValueType;
            if (reader.ValueType == TlvType.String)
            {
                strings[reader.Key] = Encoding.UTF8.GetString(reader.StringValue);
            }
        }

        Assert.Equal("00:11:22:33:44:55", strings[NtopFieldId.InSrcMac]);
        Assert.Equal("aa:bb:cc:dd:ee:ff", strings[NtopFieldId.OutDstMac]);
        Assert.Equal("91.124", strings[NtopFieldId.L7Proto]);
        Assert.Equal(TlvType.UInt8, types[NtopFieldId.TcpFlags]);
        Assert.Equal(TlvType.UInt64, types[NtopFieldId.OutBytes]);
        Assert.Equal(TlvType.UInt32, types[NtopFieldId.OutPkts]);
        Assert.Equal(TlvType.UInt32, types[NtopFieldId.RetransmittedOutPkts]);
        Assert.Equal(TlvType.Float, types[NtopFieldId.ClientNwLatencyMs]);
        Assert.Equal(TlvType.UInt8, types[NtopFieldId.FlowEndReason]);
        Assert.Equal(TlvType.UInt8, types[NtopFieldId.HttpRetCode]);
        Assert.Equal(TlvType.UInt8, types[NtopFieldId.SrcVlan]);
        Assert.Equal("TLS.YouTube", strings[NtopFieldId.L7ProtoName]);

        var tcpFlags = new TlvReader(payload);
        while (tcpFlags.Read() == TlvReadStatus.Item && tcpFlags.Key != NtopFieldId.TcpFlags)
        {
        }

        Assert.Equal(0x1BUL, tcpFlags.UInt64Value); // 0x1B | 0x12
    }

    [Fact]
    public void Flowhives_own_fields_are_string_keys_under_its_enterprise_number()
    {
        var record = SampleFlows.Ipv4();
        var keys = new List<string>();
        var reader = new TlvReader(EncodeAll(record));
        while (reader.Read() == TlvReadStatus.Item)
        {
            if (reader.HasStringKey)
            {
                keys.Add(System.Text.Encoding.UTF8.GetString(reader.KeyString));
            }
        }

        Assert.Equal(["32473.1", "32473.2"], keys); // nProbe's own fields all keep their numeric keys
    }

    [Fact]
    public void Zero_optional_fields_are_left_out()
    {
        var record = SampleFlows.Ipv4();
        record.SrcMac = 0;
        record.DstMac = 0;
        record.Vlan = 0;
        record.L7Master = 0;
        record.L7App = 0;
        record.ClientTcpFlags = 0;
        record.ServerTcpFlags = 0;
        record.RetransmittedInPkts = 0;
        record.RetransmittedOutPkts = 0;
        record.OutOfOrderInPkts = 0;
        record.OutOfOrderOutPkts = 0;
        record.ClientNwLatencyMs = 0;
        record.ServerNwLatencyMs = 0;
        record.EndReason = FlowEndReason.Unknown;
        record.Direction = FlowDirection.Unknown;
        record.TunnelId = 0;
        record.L7Category = 0;

        var keys = new List<uint>();
        var reader = new TlvReader(EncodeAll(record));
        while (reader.Read() == TlvReadStatus.Item)
        {
            keys.Add(reader.Key);
        }

        uint[] expected =
        [
            NtopFieldId.Ipv4SrcAddr, NtopFieldId.Ipv4DstAddr, NtopFieldId.L4SrcPort, NtopFieldId.L4DstPort,
            NtopFieldId.IpProtocolVersion, NtopFieldId.Protocol, NtopFieldId.InBytes, NtopFieldId.InPkts,
            NtopFieldId.OutBytes, NtopFieldId.OutPkts, NtopFieldId.FirstSwitched, NtopFieldId.LastSwitched,
            NtopFieldId.FlowStartMilliseconds, NtopFieldId.FlowEndMilliseconds,
        ];
        Assert.Equal(expected, keys);
    }

    [Fact]
    public void L7_halves_may_be_zero()
    {
        var record = SampleFlows.Ipv4();
        record.L7Master = 7;
        record.L7App = 0;
        SampleFlows.AssertEqual(record, DecodeAll(EncodeAll(record)).Records[0]);
        record.L7Master = 0;
        record.L7App = 126;
        SampleFlows.AssertEqual(record, DecodeAll(EncodeAll(record)).Records[0]);
    }

    [Fact]
    public void Timestamps_keep_millisecond_precision_and_seconds_are_floored()
    {
        var record = SampleFlows.Ipv4();
        record.FirstSwitchedUs = 1_795_341_600_123_456;
        record.LastSwitchedUs = 1_795_341_601_999_999;
        var payload = EncodeAll(record);
        var decoded = DecodeAll(payload).Records[0];
        Assert.Equal(1_795_341_600_123_000, decoded.FirstSwitchedUs);
        Assert.Equal(1_795_341_601_999_000, decoded.LastSwitchedUs);

        var seconds = new Dictionary<uint, ulong>();
        var reader = new TlvReader(payload);
        while (reader.Read() == TlvReadStatus.Item)
        {
            seconds[reader.Key] = reader.UInt64Value;
        }

        Assert.Equal(1_795_341_600UL, seconds[NtopFieldId.FirstSwitched]);
        Assert.Equal(1_795_341_601UL, seconds[NtopFieldId.LastSwitched]);
    }

    [Fact]
    public void Long_strings_are_cut_on_encode()
    {
        var record = SampleFlows.Ipv4();
        record.Metadata = new FlowMetadata { HttpUrl = "/" + new string('x', 10_000) };
        var decoded = DecodeAll(EncodeAll(record)).Records[0];
        Assert.Equal(FlowRecordTlv.MaxEncodedStringBytes, decoded.Metadata!.HttpUrl!.Length);
        Assert.StartsWith("/xxx", decoded.Metadata.HttpUrl, StringComparison.Ordinal);
    }

    [Fact]
    public void Batches_split_across_payloads_within_the_limit_and_recover_every_record()
    {
        const int limit = 8 * 1024;
        var records = Enumerable.Range(0, 3000)
            .Select(i =>
            {
                var r = i % 2 == 0 ? SampleFlows.Ipv4(i) : SampleFlows.Ipv6(i);
                return i % 3 == 0 ? SampleFlows.WithMetadata(r) : r;
            })
            .ToArray();

        var buffer = new byte[64 * 1024];
        var decoded = new List<FlowRecord>();
        var payloads = 0;
        for (var offset = 0; offset < records.Length;)
        {
            var result = FlowRecordTlv.Encode(records.AsSpan(offset), buffer, limit);
            Assert.Equal(FlowEncodeStatus.Ok, result.Status);
            Assert.InRange(result.RecordsWritten, 1, records.Length - offset);
            Assert.InRange(result.BytesWritten, 1, limit);
            var decodeResult = FlowRecordTlv.Decode(buffer.AsSpan(0, result.BytesWritten), decoded);
            Assert.Equal(FlowDecodeStatus.Ok, decodeResult.Status);
            Assert.Equal(result.RecordsWritten, decodeResult.RecordsDecoded);
            Assert.Equal(result.BytesWritten, decodeResult.BytesRead);
            offset += result.RecordsWritten;
            payloads++;
        }

        Assert.True(payloads > 10, $"only {payloads} payloads");
        Assert.Equal(records.Length, decoded.Count);
        for (var i = 0; i < records.Length; i++)
        {
            SampleFlows.AssertEqual(records[i], decoded[i]);
        }
    }

    [Fact]
    public void The_default_limit_stays_below_ntopngs_receive_buffer()
    {
        var records = Enumerable.Range(0, 5000).Select(i => SampleFlows.WithMetadata(SampleFlows.Ipv6(i))).ToArray();
        var buffer = new byte[ZmqHeaderCodec.MaxPayloadLength * 2];
        var first = FlowRecordTlv.Encode(records, buffer);
        Assert.Equal(FlowEncodeStatus.Ok, first.Status);
        Assert.InRange(first.RecordsWritten, 2, records.Length - 1);
        Assert.InRange(first.BytesWritten, FlowRecordTlv.DefaultMaxPayloadBytes - 1024, FlowRecordTlv.DefaultMaxPayloadBytes);
        Assert.True(first.BytesWritten < ZmqHeaderCodec.MaxPayloadLength);
    }

    [Fact]
    public void A_short_destination_bounds_the_payload_too()
    {
        var records = Enumerable.Range(0, 100).Select(i => SampleFlows.Ipv4(i)).ToArray();
        var buffer = new byte[1000];
        var result = FlowRecordTlv.Encode(records, buffer, maxPayloadBytes: 1_000_000);
        Assert.Equal(FlowEncodeStatus.Ok, result.Status);
        Assert.InRange(result.BytesWritten, 1, 1000);
        Assert.Equal(result.RecordsWritten, DecodeAll(buffer.AsSpan(0, result.BytesWritten)).Records.Count);
    }

    [Fact]
    public void A_record_larger_than_the_limit_is_reported_and_nothing_is_written()
    {
        var buffer = new byte[1024];
        var result = FlowRecordTlv.Encode([SampleFlows.WithMetadata(SampleFlows.Ipv6())], buffer, maxPayloadBytes: 100);
        Assert.Equal(new FlowEncodeResult(FlowEncodeStatus.RecordTooLarge, 0, 0), result);
        Assert.Equal(new FlowEncodeResult(FlowEncodeStatus.RecordTooLarge, 0, 0), FlowRecordTlv.Encode([SampleFlows.Ipv4()], buffer.AsSpan(0, 1)));
    }

    [Fact]
    public void Nothing_to_encode_is_an_empty_payload()
    {
        Assert.Equal(new FlowEncodeResult(FlowEncodeStatus.Ok, 0, 0), FlowRecordTlv.Encode([], new byte[100]));
    }

    [Fact]
    public void Decodes_every_key_form_and_value_type()
    {
        var payload = Tlv((ref TlvWriter w) =>
        {
            w.TryWriteString("IPV4_SRC_ADDR"u8, "192.168.1.1"u8); // label key, text address
            w.TryWriteUInt(NtopFieldId.Ipv4DstAddr, 0xC0A80102); // numeric IPv4 (u32)
            w.TryWriteInt("0.7"u8, 5353); // dotted PEN-0 key, i16
            w.TryWriteInt(NtopFieldId.L4DstPort, 53); // i8
            w.TryWriteUInt(NtopFieldId.Protocol, 17); // u8
            w.TryWriteUInt(NtopFieldId.InBytes, 300); // u16
            w.TryWriteString(NtopFieldId.InPkts, "42"u8); // number as text
            w.TryWriteUInt(NtopFieldId.OutBytes, 1UL << 40); // u64
            w.TryWriteInt(NtopFieldId.OutPkts, 100_000); // i32
            w.TryWriteInt(NtopFieldId.FirstSwitched, 1_795_341_600); // i32 seconds
            w.TryWriteUInt(NtopFieldId.LastSwitched, 1_795_341_601); // u32 seconds
            w.TryWriteInt(NtopFieldId.FlowStartMilliseconds, 1_795_341_600_123); // i64 ms, wins over seconds
            w.TryWriteFloat("35632.123"u8, 3.5f); // ntop PEN dotted key, float latency
            w.TryWriteInt("SERVER_NW_LATENCY_MS"u8, 7); // integer latency
            w.TryWriteString("35632.118"u8, "7.126"u8);
            w.TryWriteString(NtopFieldId.HttpUserAgent, "curl/8.0"u8);
            w.TryWriteString("HTTP_SITE"u8, "example.org"u8);
            w.TryWriteString("57653"u8, "404"u8); // numeric string key, numeric text value
            w.TryWriteString("FLOW_END_REASON"u8, "1"u8);
            w.TryWriteString(NtopFieldId.InputSnmp, "eth0"u8); // known to ntopng, not carried by FlowRecord
            w.TryWriteUInt("NOT_A_FIELD"u8, 1);
            w.TryWriteUInt("9.1"u8, 1); // another enterprise
            w.TryWriteEndOfRecord();
        });

        var (result, records) = DecodeAll(payload);
        Assert.Equal((FlowDecodeStatus.Ok, 1, 0, 3, 0), (result.Status, result.RecordsDecoded, result.RecordsDropped, result.UnknownFields, result.InvalidValues));
        var r = records[0];
        Assert.Equal(IpAddr.Parse("192.168.1.1"), r.SrcAddr);
        Assert.Equal(IpAddr.Parse("192.168.1.2"), r.DstAddr);
        Assert.Equal((5353, 53, 17, 4), (r.SrcPort, r.DstPort, r.Protocol, r.IpVersion));
        Assert.Equal((300UL, 42UL, 1UL << 40, 100_000UL), (r.InBytes, r.InPkts, r.OutBytes, r.OutPkts));
        Assert.Equal(1_795_341_600_123_000, r.FirstSwitchedUs);
        Assert.Equal(1_795_341_601_000_000, r.LastSwitchedUs);
        Assert.Equal((3.5f, 7f), (r.ClientNwLatencyMs, r.ServerNwLatencyMs));
        Assert.Equal((7, 126), (r.L7Master, r.L7App));
        Assert.Equal(FlowEndReason.IdleTimeout, r.EndReason);
        Assert.NotNull(r.Metadata);
        Assert.Equal("curl/8.0", r.Metadata.HttpUserAgent);
        Assert.Equal("example.org", r.Metadata.HttpSite);
        Assert.Equal(404, r.Metadata.HttpReturnCode);
    }

    [Fact]
    public void Bare_ntop_field_numbers_fall_through_as_in_ntopng()
    {
        var payload = Tlv((ref TlvWriter w) =>
        {
            w.TryWriteString(NtopFieldId.Ipv6SrcAddr, "::1"u8);
            w.TryWriteString(NtopFieldId.Ipv6DstAddr, "::2"u8);
            w.TryWriteUInt(118, 5); // L7_PROTO as an integer: the app id alone
            w.TryWriteFloat(124, 2f); // SERVER_NW_LATENCY_MS
            w.TryWriteUInt(78, 0x02); // CLIENT_TCP_FLAGS
            w.TryWriteString(80, "00:00:5e:00:53:01"u8); // IN_DST_MAC keeps its PEN-0 meaning
        });

        var r = DecodeAll(payload).Records.Single();
        Assert.Equal((0, 5), (r.L7Master, r.L7App));
        Assert.Equal(2f, r.ServerNwLatencyMs);
        Assert.Equal(0x02, r.ClientTcpFlags);
        Assert.Equal(0x00005E005301UL, r.DstMac);
        Assert.Equal(6, r.IpVersion);
    }

    [Fact]
    public void A_plain_tcp_flags_field_goes_to_the_client_side()
    {
        var payload = Tlv((ref TlvWriter w) =>
        {
            w.TryWriteString(NtopFieldId.Ipv4SrcAddr, "1.1.1.1"u8);
            w.TryWriteString(NtopFieldId.Ipv4DstAddr, "2.2.2.2"u8);
            w.TryWriteUInt(NtopFieldId.TcpFlags, 0x1B);
            w.TryWriteEndOfRecord();
            w.TryWriteString(NtopFieldId.Ipv4SrcAddr, "1.1.1.1"u8);
            w.TryWriteString(NtopFieldId.Ipv4DstAddr, "2.2.2.2"u8);
            w.TryWriteUInt(NtopFieldId.TcpFlags, 0x1B);
            w.TryWriteUInt(NtopFieldId.ServerTcpFlags, 0x12);
            w.TryWriteEndOfRecord();
        });

        var records = DecodeAll(payload).Records;
        Assert.Equal((0x1B, 0), (records[0].ClientTcpFlags, records[0].ServerTcpFlags));
        Assert.Equal((0, 0x12), (records[1].ClientTcpFlags, records[1].ServerTcpFlags));
    }

    [Fact]
    public void Seconds_only_timestamps_are_scaled_to_microseconds()
    {
        var payload = Tlv((ref TlvWriter w) =>
        {
            w.TryWriteString(NtopFieldId.Ipv4SrcAddr, "1.1.1.1"u8);
            w.TryWriteString(NtopFieldId.Ipv4DstAddr, "2.2.2.2"u8);
            w.TryWriteString(NtopFieldId.FirstSwitched, "1700000000"u8);
            w.TryWriteUInt(NtopFieldId.LastSwitched, 1_700_000_005);
            w.TryWriteUInt(NtopFieldId.FlowEndMilliseconds, ulong.MaxValue); // saturates rather than wraps
        });

        var r = DecodeAll(payload).Records.Single();
        Assert.Equal(1_700_000_000_000_000, r.FirstSwitchedUs);
        Assert.Equal(long.MaxValue, r.LastSwitchedUs);
    }

    [Fact]
    public void Addresses_follow_ntopngs_first_non_empty_rule()
    {
        var payload = Tlv((ref TlvWriter w) =>
        {
            w.TryWriteString(NtopFieldId.Ipv4SrcAddr, "0.0.0.0"u8);
            w.TryWriteString(NtopFieldId.Ipv6SrcAddr, "2001:db8::1"u8); // replaces the empty IPv4
            w.TryWriteString(NtopFieldId.Ipv4DstAddr, "10.1.1.1"u8);
            w.TryWriteString(NtopFieldId.Ipv6DstAddr, "::"u8); // empty: does not replace
            w.TryWriteString(NtopFieldId.Ipv6SrcAddr, "2001:db8::2"u8); // already set: ignored
            w.TryWriteEndOfRecord();
            w.TryWriteString(NtopFieldId.Ipv4SrcAddr, "0.0.0.0"u8); // DHCP discover: 0.0.0.0 is a real source
            w.TryWriteString(NtopFieldId.Ipv6SrcAddr, "::"u8);
            w.TryWriteString(NtopFieldId.Ipv4DstAddr, "255.255.255.255"u8);
            w.TryWriteEndOfRecord();
        });

        var records = DecodeAll(payload).Records;
        Assert.Equal(IpAddr.Parse("2001:db8::1"), records[0].SrcAddr);
        Assert.Equal(IpAddr.Parse("10.1.1.1"), records[0].DstAddr);
        Assert.Equal(IpAddr.FromV4(0), records[1].SrcAddr);
        Assert.Equal(4, records[1].IpVersion);
    }

    [Fact]
    public void Invalid_values_are_counted_and_skipped()
    {
        var payload = Tlv((ref TlvWriter w) =>
        {
            w.TryWriteString(NtopFieldId.Ipv4SrcAddr, "1.1.1.1"u8);
            w.TryWriteString(NtopFieldId.Ipv4DstAddr, "2.2.2.2"u8);
            w.TryWriteString(NtopFieldId.Ipv4SrcAddr, "not an address"u8);
            w.TryWriteFloat(NtopFieldId.Ipv4DstAddr, 1f);
            w.TryWriteInt(NtopFieldId.InBytes, -5);
            w.TryWriteUInt(NtopFieldId.Protocol, 256);
            w.TryWriteUInt(NtopFieldId.IpProtocolVersion, 5);
            w.TryWriteString(NtopFieldId.InSrcMac, "00:11:22:33:44"u8);
            w.TryWriteString(NtopFieldId.L7Proto, "TLS.YouTube"u8);
            w.TryWriteFloat(NtopFieldId.ClientNwLatencyMs, float.NaN);
            w.TryWriteFloat(NtopFieldId.ServerNwLatencyMs, -1f);
            w.TryWriteUInt(NtopFieldId.FlowEndReason, 99);
            w.TryWriteUInt(NtopFieldId.HttpUrl, 5);
            w.TryWriteUInt(NtopFieldId.SrcVlan, 5000); // valid, but ntopng's sanity check zeroes it
        });

        var (result, records) = DecodeAll(payload);
        Assert.Equal((FlowDecodeStatus.Ok, 1, 11), (result.Status, result.RecordsDecoded, result.InvalidValues));
        var r = records[0];
        Assert.Equal(IpAddr.Parse("1.1.1.1"), r.SrcAddr);
        Assert.Equal((0UL, 0, 4, 0UL, 0, 0), (r.InBytes, r.Protocol, r.IpVersion, r.SrcMac, r.L7App, r.Vlan));
        Assert.Equal((0f, 0f), (r.ClientNwLatencyMs, r.ServerNwLatencyMs));
        Assert.Equal(FlowEndReason.Unknown, r.EndReason);
        Assert.Null(r.Metadata);
    }

    [Fact]
    public void Records_without_addresses_are_dropped_and_decoding_continues()
    {
        var payload = Tlv((ref TlvWriter w) =>
        {
            w.TryWriteString(NtopFieldId.Ipv4SrcAddr, "1.1.1.1"u8);
            w.TryWriteUInt(NtopFieldId.InBytes, 1);
            w.TryWriteEndOfRecord();
            w.TryWriteString(NtopFieldId.Ipv4SrcAddr, "1.1.1.1"u8);
            w.TryWriteString(NtopFieldId.Ipv4DstAddr, "2.2.2.2"u8);
            w.TryWriteEndOfRecord();
        });

        var (result, records) = DecodeAll(payload);
        Assert.Equal((FlowDecodeStatus.MissingAddresses, 1, 1), (result.Status, result.RecordsDecoded, result.RecordsDropped));
        Assert.Equal(IpAddr.Parse("2.2.2.2"), records[0].DstAddr);
    }

    [Fact]
    public void A_truncated_payload_keeps_the_complete_records()
    {
        var full = EncodeAll(SampleFlows.Ipv4(1), SampleFlows.Ipv4(2), SampleFlows.WithMetadata(SampleFlows.Ipv4(3)));
        var secondEnd = EncodeAll(SampleFlows.Ipv4(1), SampleFlows.Ipv4(2)).Length;
        // The third record starts with its MAC strings (21 bytes each): cut inside the second one.
        var (result, records) = DecodeAll(full[..(secondEnd + 25)]);
        Assert.Equal((FlowDecodeStatus.TruncatedItem, 2, 1), (result.Status, result.RecordsDecoded, result.RecordsDropped));
        Assert.Equal(secondEnd + 21, result.BytesRead);
        SampleFlows.AssertEqual(SampleFlows.Ipv4(2), records[1]);

        // Cut inside its first item, nothing of the third record was read, so nothing counts as dropped.
        (result, records) = DecodeAll(full[..(secondEnd + 3)]);
        Assert.Equal((FlowDecodeStatus.TruncatedItem, 2, 0), (result.Status, result.RecordsDecoded, result.RecordsDropped));
        Assert.Equal(secondEnd, result.BytesRead);
    }

    [Fact]
    public void A_last_record_without_its_end_marker_is_still_taken()
    {
        var payload = EncodeAll(SampleFlows.Ipv4(1), SampleFlows.Ipv4(2));
        var (result, records) = DecodeAll(payload.AsSpan(0, payload.Length - 1));
        Assert.Equal((FlowDecodeStatus.Ok, 2), (result.Status, result.RecordsDecoded));
        SampleFlows.AssertEqual(SampleFlows.Ipv4(2), records[1]);
    }

    [Fact]
    public void A_zero_type_byte_stops_decoding_like_ntopng()
    {
        var one = EncodeAll(SampleFlows.Ipv4(1));
        var two = EncodeAll(SampleFlows.Ipv4(2));
        byte[] payload = [.. one, 0x00, .. two.AsSpan(2)];
        var (result, records) = DecodeAll(payload);
        Assert.Equal((FlowDecodeStatus.Ok, 1), (result.Status, records.Count));
        Assert.Equal(one.Length, result.BytesRead);
    }

    [Fact]
    public void A_block_in_the_second_record_keeps_the_first()
    {
        var one = EncodeAll(SampleFlows.Ipv4(1));
        byte[] payload = [.. one, 0x2B, 0x08, 0x00, 0x07, .. "1.1.1.1"u8.ToArray(), 0xBC, 0x00, 0x01, (byte)'b', 0x00, 0x00, 0x01];
        var (result, records) = DecodeAll(payload);
        Assert.Equal((FlowDecodeStatus.UnsupportedValueType, 1, 1), (result.Status, result.RecordsDecoded, result.RecordsDropped));
        SampleFlows.AssertEqual(SampleFlows.Ipv4(1), records[0]);
    }

    [Fact]
    public void Key_types_other_than_uint_and_string_stop_decoding()
    {
        var one = EncodeAll(SampleFlows.Ipv4(1));
        byte[] payload = [.. one, 0xC2, 0x00, 0x01, (byte)'b', 0x05, 0x01];
        var (result, records) = DecodeAll(payload);
        Assert.Equal((FlowDecodeStatus.UnsupportedKeyType, 1, 0), (result.Status, records.Count, result.RecordsDropped));
    }

    [Fact]
    public void The_record_limit_bounds_the_output()
    {
        var payload = EncodeAll(Enumerable.Range(0, 5).Select(i => SampleFlows.Ipv4(i)).ToArray());
        var (result, records) = DecodeAll(payload, maxRecords: 3);
        Assert.Equal((FlowDecodeStatus.TooManyRecords, 3, 1), (result.Status, result.RecordsDecoded, result.RecordsDropped));
        Assert.Equal(3, records.Count);
    }

    [Fact]
    public void Overlong_strings_are_ignored_but_the_record_is_kept()
    {
        var url = new byte[FlowRecordTlv.MaxStringBytes + 1];
        url.AsSpan().Fill((byte)'u');
        var payload = Tlv((ref TlvWriter w) =>
        {
            w.TryWriteString(NtopFieldId.Ipv4SrcAddr, "1.1.1.1"u8);
            w.TryWriteString(NtopFieldId.Ipv4DstAddr, "2.2.2.2"u8);
            w.TryWriteString(NtopFieldId.HttpUrl, url);
            w.TryWriteString(NtopFieldId.HttpSite, "ok.example"u8);
            w.TryWriteEndOfRecord();
        });

        var (result, records) = DecodeAll(payload);
        Assert.Equal((FlowDecodeStatus.StringTooLong, 1, 1), (result.Status, result.RecordsDecoded, result.InvalidValues));
        Assert.Null(records[0].Metadata!.HttpUrl);
        Assert.Equal("ok.example", records[0].Metadata!.HttpSite);
    }

    [Theory]
    [InlineData(new byte[0], FlowDecodeStatus.BadHeader)]
    [InlineData(new byte[] { 0x01 }, FlowDecodeStatus.BadHeader)]
    [InlineData(new byte[] { 0x02, 0x01, 0x22, 0x08, 0x01, 0x01 }, FlowDecodeStatus.UnsupportedSerializerVersion)]
    [InlineData(new byte[] { 0x01, 0x02, (byte)'{', (byte)'}' }, FlowDecodeStatus.UnsupportedFormat)]
    [InlineData(new byte[] { 0x01, 0x01, 0x2B, 0x08, 0x00 }, FlowDecodeStatus.TruncatedItem)]
    [InlineData(new byte[] { 0x01, 0x01, 0x2B, 0x08, 0x00, 0x10, 0x31 }, FlowDecodeStatus.TruncatedItem)]
    public void Malformed_payloads_report_why(byte[] payload, FlowDecodeStatus expected)
    {
        var (result, records) = DecodeAll(payload);
        Assert.Equal(expected, result.Status);
        Assert.Empty(records);
    }

    [Fact]
    public void Empty_records_and_an_empty_body_decode_to_nothing()
    {
        var (result, records) = DecodeAll([0x01, 0x01, 0x01, 0x01]);
        Assert.Equal((FlowDecodeStatus.Ok, 0, 0), (result.Status, records.Count, result.RecordsDropped));
        Assert.Equal(FlowDecodeStatus.Ok, DecodeAll([0x01, 0x01]).Result.Status);
    }

    [Fact]
    public void Decoding_appends_to_the_callers_list()
    {
        var list = new List<FlowRecord> { SampleFlows.Ipv6() };
        var result = FlowRecordTlv.Decode(EncodeAll(SampleFlows.Ipv4()), list);
        Assert.Equal(1, result.RecordsDecoded);
        Assert.Equal(2, list.Count);
    }

    [Fact]
    public void Encoding_records_without_metadata_does_not_allocate()
    {
        var records = Enumerable.Range(0, 1000).Select(i => i % 2 == 0 ? SampleFlows.Ipv4(i) : SampleFlows.Ipv6(i)).ToArray();
        var buffer = new byte[FlowRecordTlv.DefaultMaxPayloadBytes];
        EncodeBatch(records, buffer); // JIT and static initialisation happen outside the measurement

        var before = GC.GetAllocatedBytesForCurrentThread();
        var payloads = EncodeBatch(records, buffer);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(payloads >= 1);
        Assert.Equal(0, allocated);
    }

    [Fact]
    public void Decoding_records_without_metadata_does_not_allocate()
    {
        var records = Enumerable.Range(0, 500).Select(i => i % 2 == 0 ? SampleFlows.Ipv4(i) : SampleFlows.Ipv6(i)).ToArray();
        var payload = EncodeAll(records);
        var list = new List<FlowRecord>(records.Length);
        FlowRecordTlv.Decode(payload, list);
        list.Clear();

        var before = GC.GetAllocatedBytesForCurrentThread();
        var result = FlowRecordTlv.Decode(payload, list);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(records.Length, result.RecordsDecoded);
        Assert.Equal(0, allocated);
    }

    private static int EncodeBatch(FlowRecord[] records, byte[] buffer)
    {
        var payloads = 0;
        for (var offset = 0; offset < records.Length; payloads++)
        {
            offset += FlowRecordTlv.Encode(records.AsSpan(offset), buffer).RecordsWritten;
        }

        return payloads;
    }
}
