using System.Buffers;
using System.Text;
using System.Text.Json;
using Flowhive.Shared.Flows;
using Flowhive.Shared.Net;
using Flowhive.Shared.Wire;

namespace Flowhive.Shared.Messages.Tests.Wire;

public sealed class FlowRecordJsonTests
{
    private static byte[] Encode(FlowJsonKeys keys, params FlowRecord[] records)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using var writer = new Utf8JsonWriter(buffer);
        FlowRecordJson.Encode(records, writer, keys);
        writer.Flush();
        return buffer.WrittenSpan.ToArray();
    }

    private static (FlowDecodeResult Result, List<FlowRecord> Records) Decode(string json, int maxRecords = FlowRecordTlv.MaxRecordsPerPayload) =>
        Decode(Encoding.UTF8.GetBytes(json), maxRecords);

    private static (FlowDecodeResult Result, List<FlowRecord> Records) Decode(byte[] json, int maxRecords = FlowRecordTlv.MaxRecordsPerPayload)
    {
        var records = new List<FlowRecord>();
        var result = FlowRecordJson.Decode(json, records, maxRecords);
        Assert.Equal(result.RecordsDecoded, records.Count);
        return (result, records);
    }

    [Fact]
    public void Flowhives_own_fields_use_its_enterprise_number_and_decode_from_every_key_form()
    {
        var record = new FlowRecord
        {
            SrcAddr = IpAddr.Parse("10.0.0.1"),
            DstAddr = IpAddr.Parse("10.0.0.2"),
            IpVersion = 4,
            TunnelId = 70000,
            L7Category = 21,
        };

        var numeric = Encoding.UTF8.GetString(Encode(FlowJsonKeys.Numeric, record));
        Assert.Contains("\"32473.1\":70000,\"32473.2\":21", numeric, StringComparison.Ordinal);
        var labels = Encoding.UTF8.GetString(Encode(FlowJsonKeys.Labels, record));
        Assert.Contains("\"FLOWHIVE_TUNNEL_ID\":70000,\"FLOWHIVE_L7_CATEGORY\":21", labels, StringComparison.Ordinal);

        foreach (var json in new[] { numeric, labels })
        {
            var decoded = new List<FlowRecord>();
            FlowRecordJson.Decode(Encoding.UTF8.GetBytes(json), decoded);
            Assert.Equal((70000u, (ushort)21), (Assert.Single(decoded).TunnelId, decoded[0].L7Category));
        }

        // Fields of that enterprise Flowhive does not define are unknown keys, and a category beyond 16 bits is an invalid value.
        var other = new List<FlowRecord>();
        var result = FlowRecordJson.Decode("""[{"8":"10.0.0.1","12":"10.0.0.2","32473.99":1,"32473.2":70000}]"""u8, other);
        Assert.Equal((ushort)0, Assert.Single(other).L7Category);
        Assert.Equal((1, 1), (result.UnknownFields, result.InvalidValues));
    }

    [Theory]
    [InlineData(FlowJsonKeys.Numeric, false)]
    [InlineData(FlowJsonKeys.Labels, false)]
    [InlineData(FlowJsonKeys.Numeric, true)]
    public void Metadata_without_an_nprobe_field_travels_under_flowhives_enterprise_number(FlowJsonKeys keys, bool tlv)
    {
        var record = new FlowRecord
        {
            SrcAddr = IpAddr.Parse("10.0.0.1"),
            DstAddr = IpAddr.Parse("10.0.0.2"),
            IpVersion = 4,
            Metadata = new FlowMetadata
            {
                SshClientBanner = "SSH-2.0-OpenSSH_9.2p1 Debian-2",
                SshServerBanner = "SSH-2.0-dropbear_2022.83",
                HasshClient = "472b5de3a7a4c43d58a1b3a8d6a5a2b1",
                HasshServer = "b12d2871a1189eff20364cf5333619ee",
                TlsAlpn = "h2,http/1.1",
                TlsCertificateSubject = "CN=*.example.org, O=Exämple",
                TlsCertificateIssuer = "CN=Example CA",
                TlsVersion = 0x0304,
                HttpContentType = "text/html; charset=utf-8",
                HostName = "printer-3",
                DhcpVendor = "MSFT 5.0",
                DnsAnswers = "192.0.2.10,2001:db8::10",
                BittorrentHash = "0123456789abcdef0123456789abcdef01234567",
            },
        };

        var decoded = new List<FlowRecord>();
        FlowDecodeResult result;
        if (tlv)
        {
            var payload = new byte[4096];
            var encoded = FlowRecordTlv.Encode([record], payload);
            result = FlowRecordTlv.Decode(payload.AsSpan(0, encoded.BytesWritten), decoded);
        }
        else
        {
            result = FlowRecordJson.Decode(Encode(keys, record), decoded);
        }

        Assert.Equal((0, 0), (result.UnknownFields, result.InvalidValues));
        var m = Assert.Single(decoded).Metadata!;
        var sent = record.Metadata;
        Assert.Equal(
            (sent.SshClientBanner, sent.SshServerBanner, sent.HasshClient, sent.HasshServer, sent.TlsAlpn, sent.TlsCertificateSubject, sent.TlsCertificateIssuer),
            (m.SshClientBanner, m.SshServerBanner, m.HasshClient, m.HasshServer, m.TlsAlpn, m.TlsCertificateSubject, m.TlsCertificateIssuer));
        Assert.Equal(
            (sent.TlsVersion, sent.HttpContentType, sent.HostName, sent.DhcpVendor, sent.DnsAnswers, sent.BittorrentHash),
            (m.TlsVersion, m.HttpContentType, m.HostName, m.DhcpVendor, m.DnsAnswers, m.BittorrentHash));
    }

    [Fact]
    public void Records_name_their_exporter_and_probe_as_ntopng_groups_them()
    {
        var captured = new FlowRecord { SrcAddr = IpAddr.Parse("10.0.0.1"), DstAddr = IpAddr.Parse("10.0.0.2"), IpVersion = 4 };
        var collected = captured with { ExporterIpv4 = IpAddr.Parse("192.0.2.254").V4 }; // from a router, through the -3 port
        var identity = new FlowExporterIdentity(IpAddr.Parse("198.51.100.7").V4, 42);

        var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            FlowRecordJson.Encode([captured, collected], writer, FlowJsonKeys.Labels, identity);
        }

        var json = Encoding.UTF8.GetString(stream.ToArray());
        Assert.Contains("\"EXPORTER_IPV4_ADDRESS\":\"198.51.100.7\",\"NPROBE_IPV4_ADDRESS\":\"198.51.100.7\",\"UNIQUE_SOURCE_ID\":42", json, StringComparison.Ordinal);
        Assert.Contains("\"EXPORTER_IPV4_ADDRESS\":\"192.0.2.254\",\"NPROBE_IPV4_ADDRESS\":\"198.51.100.7\"", json, StringComparison.Ordinal);

        var decoded = new List<FlowRecord>();
        FlowRecordJson.Decode(stream.ToArray(), decoded);
        Assert.Equal([IpAddr.Parse("198.51.100.7").V4, IpAddr.Parse("192.0.2.254").V4], decoded.Select(r => r.ExporterIpv4));

        // Without EXPORTER_IPV4_ADDRESS the probe's address names the exporter, as in ntopng; without either, none.
        decoded.Clear();
        FlowRecordJson.Decode("""[{"8":"10.0.0.1","12":"10.0.0.2","57943":"203.0.113.9"},{"8":"10.0.0.1","12":"10.0.0.2"}]"""u8, decoded);
        Assert.Equal([IpAddr.Parse("203.0.113.9").V4, 0u], decoded.Select(r => r.ExporterIpv4));

        // No identity and no exporter: the fields are left out.
        Assert.DoesNotContain("EXPORTER", Encoding.UTF8.GetString(Encode(FlowJsonKeys.Labels, captured)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(FlowJsonKeys.Numeric)]
    [InlineData(FlowJsonKeys.Labels)]
    public void Records_round_trip(FlowJsonKeys keys)
    {
        FlowRecord[] records =
        [
            SampleFlows.Ipv4(1),
            SampleFlows.WithMetadata(SampleFlows.Ipv4(2)),
            SampleFlows.Ipv6(3),
            SampleFlows.WithMetadata(SampleFlows.Ipv6(4)),
        ];
        var (result, decoded) = Decode(Encode(keys, records));
        Assert.Equal((FlowDecodeStatus.Ok, 4, 0, 0, 0), (result.Status, result.RecordsDecoded, result.RecordsDropped, result.UnknownFields, result.InvalidValues));
        for (var i = 0; i < records.Length; i++)
        {
            SampleFlows.AssertEqual(records[i], decoded[i]);
        }
    }

    [Fact]
    public void Writes_numeric_keys_by_default_and_labels_on_request()
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
            L7Master = 7,
        };

        Assert.Equal(
            """[{"8":"10.0.0.1","12":"10.0.0.2","7":1234,"11":80,"60":4,"4":6,"57590":"7.0","1":100,"2":1,"23":0,"24":0,"22":1000,"21":1000,"152":1000000,"153":1000000}]""",
            Encoding.UTF8.GetString(Encode(FlowJsonKeys.Numeric, record)));
        Assert.Equal(
            """[{"IPV4_SRC_ADDR":"10.0.0.1","IPV4_DST_ADDR":"10.0.0.2","L4_SRC_PORT":1234,"L4_DST_PORT":80,"IP_PROTOCOL_VERSION":4,"PROTOCOL":6,"L7_PROTO":"7.0","IN_BYTES":100,"IN_PKTS":1,"OUT_BYTES":0,"OUT_PKTS":0,"FIRST_SWITCHED":1000,"LAST_SWITCHED":1000,"FLOW_START_MILLISECONDS":1000000,"FLOW_END_MILLISECONDS":1000000}]""",
            Encoding.UTF8.GetString(Encode(FlowJsonKeys.Labels, record)));
    }

    [Theory]
    [InlineData(FlowJsonKeys.Numeric)]
    [InlineData(FlowJsonKeys.Labels)]
    public void A_single_object_holds_the_same_fields_as_an_array_element(FlowJsonKeys keys)
    {
        var record = SampleFlows.WithMetadata(SampleFlows.Ipv6(5));
        var buffer = new ArrayBufferWriter<byte>();
        using var writer = new Utf8JsonWriter(buffer);
        FlowRecordJson.EncodeObject(record, writer, keys);
        writer.Flush();

        var array = Encode(keys, record);
        Assert.Equal(array[1..^1], buffer.WrittenSpan.ToArray());
        var (result, decoded) = Decode(buffer.WrittenSpan.ToArray());
        Assert.Equal((FlowDecodeStatus.Ok, 1), (result.Status, result.RecordsDecoded));
        SampleFlows.AssertEqual(record, decoded[0]);
    }

    [Fact]
    public void Long_text_is_cut_like_the_tlv_encoder_does()
    {
        var record = SampleFlows.Ipv4();
        record.Metadata = new FlowMetadata { HttpUrl = "/" + new string('é', 5000) };
        var decoded = Decode(Encode(FlowJsonKeys.Numeric, record)).Records.Single();
        Assert.Equal(FlowRecordTlv.MaxEncodedStringBytes, Encoding.UTF8.GetByteCount(decoded.Metadata!.HttpUrl!) + 1);
    }

    [Fact]
    public void Decodes_a_single_object_with_every_key_form()
    {
        const string json = """
            {
              "IPV4_SRC_ADDR": "192.168.1.1",
              "12": 3232235778,
              "0.7": 5353,
              "L4_DST_PORT": 53,
              "PROTOCOL": 17,
              "IN_BYTES": "300",
              "IN_PKTS": 2,
              "FIRST_SWITCHED": 1795341600,
              "LAST_SWITCHED": 1795341601,
              "35632.118": "5.126",
              "57595": 1.5,
              "SERVER_NW_LATENCY_MS": 7,
              "IPV4_SRC\u005fMASK": 24,
              "HTTP\u005fURL": "/a\"b\\c\u00e9",
              "NOT_A_FIELD": {"nested": [1, 2, {"deep": true}]},
              "9.1": [1, 2],
              "HTTP_SITE": true,
              "DNS_QUERY": null
            }
            """;
        var (result, records) = Decode(json);
        Assert.Equal((FlowDecodeStatus.Ok, 1, 3, 2), (result.Status, result.RecordsDecoded, result.UnknownFields, result.InvalidValues));
        var r = records[0];
        Assert.Equal(IpAddr.Parse("192.168.1.1"), r.SrcAddr);
        Assert.Equal(IpAddr.Parse("192.168.1.2"), r.DstAddr);
        Assert.Equal((5353, 53, 17, 4), (r.SrcPort, r.DstPort, r.Protocol, r.IpVersion));
        Assert.Equal((300UL, 2UL), (r.InBytes, r.InPkts));
        Assert.Equal(1_795_341_600_000_000, r.FirstSwitchedUs);
        Assert.Equal((5, 126), (r.L7Master, r.L7App));
        Assert.Equal((1.5f, 7f), (r.ClientNwLatencyMs, r.ServerNwLatencyMs));
        Assert.Equal("/a\"b\\cé", r.Metadata!.HttpUrl);
        Assert.Null(r.Metadata.HttpSite);
    }

    /// <summary>The fact sheet's minimal valid JSON flow (ntop-interop.md §2.4), in nProbe's numeric form and with --json-labels.</summary>
    [Theory]
    [InlineData("""{"8":"10.0.0.1","12":"10.0.0.2","7":40000,"11":80,"4":6,"60":4,"1":1200,"2":10,"23":5400,"24":8,"22":1795341600,"21":1795341660,"57590":"7.126","130":"172.16.1.254"}""")]
    [InlineData("""{"IPV4_SRC_ADDR":"10.0.0.1","IPV4_DST_ADDR":"10.0.0.2","L4_SRC_PORT":40000,"L4_DST_PORT":80,"PROTOCOL":6,"IP_PROTOCOL_VERSION":4,"IN_BYTES":1200,"IN_PKTS":10,"OUT_BYTES":5400,"OUT_PKTS":8,"FIRST_SWITCHED":1795341600,"LAST_SWITCHED":1795341660,"L7_PROTO":"7.126","EXPORTER_IPV4_ADDRESS":"172.16.1.254"}""")]
    public void Decodes_the_minimal_flow_of_the_fact_sheet(string json)
    {
        var (result, records) = Decode(json);
        Assert.Equal((FlowDecodeStatus.Ok, 1, 0), (result.Status, result.RecordsDecoded, result.InvalidValues));
        var r = records[0];
        Assert.Equal((IpAddr.Parse("10.0.0.1"), IpAddr.Parse("10.0.0.2")), (r.SrcAddr, r.DstAddr));
        Assert.Equal((40000, 80, 6, 4), (r.SrcPort, r.DstPort, r.Protocol, r.IpVersion));
        Assert.Equal((1200UL, 10UL, 5400UL, 8UL), (r.InBytes, r.InPkts, r.OutBytes, r.OutPkts));
        Assert.Equal((1_795_341_600_000_000, 1_795_341_660_000_000), (r.FirstSwitchedUs, r.LastSwitchedUs));
        Assert.Equal((7, 126), (r.L7Master, r.L7App));
    }

    [Fact]
    public void Malformed_json_keeps_the_flows_before_it()
    {
        var valid = Encoding.UTF8.GetString(Encode(FlowJsonKeys.Numeric, SampleFlows.Ipv4(1)));
        var json = valid[..^1] + """,{"8":"1.1.1.1","12":"2.2.2.2","7":""";
        var (result, records) = Decode(json);
        Assert.Equal((FlowDecodeStatus.InvalidJson, 1, 1), (result.Status, result.RecordsDecoded, result.RecordsDropped));
        SampleFlows.AssertEqual(SampleFlows.Ipv4(1), records[0]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("42")]
    [InlineData("\"flow\"")]
    [InlineData("{")]
    [InlineData("[")]
    [InlineData("{\"8\":}")]
    [InlineData("[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]")]
    public void Bad_documents_are_reported_not_thrown(string json)
    {
        var (result, records) = Decode(json);
        Assert.Equal(FlowDecodeStatus.InvalidJson, result.Status);
        Assert.Empty(records);
    }

    [Fact]
    public void Non_object_array_elements_are_skipped_and_reported()
    {
        var (result, records) = Decode("""[1, {"8":"1.1.1.1","12":"2.2.2.2"}, "x", [2]]""");
        Assert.Equal((FlowDecodeStatus.InvalidJson, 1, 3), (result.Status, result.RecordsDecoded, result.RecordsDropped));
        Assert.Equal(IpAddr.Parse("2.2.2.2"), records[0].DstAddr);
    }

    [Fact]
    public void Flows_without_addresses_and_the_record_limit_behave_as_in_tlv()
    {
        var (result, records) = Decode("""[{"8":"1.1.1.1"},{"8":"1.1.1.1","12":"2.2.2.2"},{},{"8":"1.1.1.1","12":"2.2.2.3"}]""", maxRecords: 1);
        Assert.Equal((FlowDecodeStatus.MissingAddresses, 1, 2), (result.Status, records.Count, result.RecordsDropped));
        Assert.Equal(IpAddr.Parse("2.2.2.2"), records[0].DstAddr);
    }

    [Fact]
    public void Overlong_escaped_strings_are_ignored()
    {
        var url = new StringBuilder().Insert(0, "\\u0041", (FlowRecordTlv.MaxStringBytes / 6) + 1).ToString();
        var (result, records) = Decode($$"""{"8":"1.1.1.1","12":"2.2.2.2","HTTP_URL":"{{url}}","HTTP_SITE":"ok"}""");
        Assert.Equal((FlowDecodeStatus.StringTooLong, 1), (result.Status, result.RecordsDecoded));
        Assert.Null(records[0].Metadata!.HttpUrl);
        Assert.Equal("ok", records[0].Metadata!.HttpSite);
    }

    [Fact]
    public void Unescapable_strings_are_invalid_values_not_exceptions()
    {
        // A lone surrogate escape, and raw invalid UTF-8 (C3 28) beside an escape: Utf8JsonReader.CopyString
        // throws on both, though Read() accepts them.
        byte[] json =
        [
            .. Encoding.ASCII.GetBytes("{\"8\":\"1.1.1.1\",\"12\":\"2.2.2.2\",\"HTTP_URL\":\"\\ud800\",\"HTTP_SITE\":\"a\\n"),
            0xC3, 0x28,
            .. Encoding.ASCII.GetBytes("\"}"),
        ];
        var (result, records) = Decode(json);
        Assert.Equal((FlowDecodeStatus.Ok, 1, 2), (result.Status, result.RecordsDecoded, result.InvalidValues));
        Assert.Null(records[0].Metadata);
    }

    [Fact]
    public void Bytes_read_covers_the_document()
    {
        var json = Encode(FlowJsonKeys.Labels, SampleFlows.Ipv4(), SampleFlows.Ipv6());
        Assert.Equal(json.Length, Decode(json).Result.BytesRead);
    }

    [Fact]
    public void Json_flows_decode_like_the_same_flows_in_tlv()
    {
        var records = new[] { SampleFlows.WithMetadata(SampleFlows.Ipv4(9)), SampleFlows.Ipv6(10) };
        var tlv = new byte[16 * 1024];
        var encoded = FlowRecordTlv.Encode(records, tlv);
        var fromTlv = new List<FlowRecord>();
        FlowRecordTlv.Decode(tlv.AsSpan(0, encoded.BytesWritten), fromTlv);
        var fromJson = Decode(Encode(FlowJsonKeys.Numeric, records)).Records;
        for (var i = 0; i < records.Length; i++)
        {
            SampleFlows.AssertEqual(fromTlv[i], fromJson[i]);
        }
    }
}
