using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Akka.TestKit;
using Flowhive.Collector.Ingest;
using Flowhive.Collector.Node.Tests.Support;
using Flowhive.Shared.Cluster.Messages;
using Flowhive.Shared.Flows;
using Flowhive.Shared.Wire;
using Xunit.Abstractions;

namespace Flowhive.Collector.Node.Tests.Ingest;

/// <summary>
/// The collector's ZeroMQ ingest against a real NetMQ publisher: whatever arrives, nothing throws, bad messages
/// are counted by reason, good ones reach the pipeline (observed through TestKit probes as the shard regions).
/// </summary>
public sealed class ZmqFlowSubscriberTests : Akka.TestKit.Xunit2.TestKit, IDisposable
{
    private const uint SourceId = 77;
    private readonly TestProbe _hostRegion;
    private readonly TestProbe _interfaceRegion;
    private readonly ZmqIngestHarness _zmq;

    public ZmqFlowSubscriberTests(ITestOutputHelper output)
        : base(output: output)
    {
        _hostRegion = CreateTestProbe();
        _interfaceRegion = CreateTestProbe();
        _zmq = new ZmqIngestHarness(_hostRegion, _interfaceRegion);
        _zmq.Connect();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _zmq.Dispose();
        }

        base.Dispose(disposing);
    }

    private static FlowRecord[] Records(int count, ushort firstPort = 30000) =>
        [.. Enumerable.Range(0, count).Select(i => Flows.Record($"10.9.0.{i + 1}", (ushort)(firstPort + i), "198.51.100.1", 443, 6, 100, 2, 200, 3))];

    private static byte[] Tlv(params FlowRecord[] records)
    {
        var buffer = new byte[FlowRecordTlv.DefaultMaxPayloadBytes];
        var result = FlowRecordTlv.Encode(records, buffer);
        Assert.Equal(records.Length, result.RecordsWritten);
        return buffer[..result.BytesWritten];
    }

    private static byte[] Zlib(ReadOnlySpan<byte> data)
    {
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.Optimal))
        {
            zlib.Write(data);
        }

        return output.ToArray();
    }

    /// <summary>The flows that reached the interface region, collected until <paramref name="count"/> arrived.</summary>
    private List<ActiveFlow> ReceiveFlows(int count)
    {
        var flows = new List<ActiveFlow>();
        while (flows.Count < count)
        {
            flows.AddRange(_interfaceRegion.ExpectMsg<InterfaceTrafficDelta>(ZmqIngestHarness.Deadline).FlowUpdates);
        }

        return flows;
    }

    private void AssertOnlyRejected(string reason, long count = 1)
    {
        _zmq.Sync();
        Assert.Equal(new Dictionary<string, long> { [reason] = count }, _zmq.Counters.Rejected);
    }

    [Fact]
    public void A_single_frame_message_is_counted_as_missing_its_payload()
    {
        _zmq.SendFrames(ZmqIngestHarness.Header(ZmqTopic.Flow, SourceId, 0, 0));
        AssertOnlyRejected("missing-payload-frame");
    }

    [Fact]
    public void A_three_frame_message_is_counted_as_extra_frames()
    {
        var payload = Tlv(Records(1));
        _zmq.SendFrames(ZmqIngestHarness.Header(ZmqTopic.Flow, SourceId, 0, payload.Length), payload, payload);
        AssertOnlyRejected("extra-frames");
        Assert.Equal(0, Interlocked.Read(ref _zmq.Counters.Flows));
    }

    [Fact]
    public void A_header_of_the_wrong_length_is_counted()
    {
        var payload = Tlv(Records(1));
        var header = ZmqIngestHarness.Header(ZmqTopic.Flow, SourceId, 0, payload.Length);
        _zmq.SendFrames([.. header, 0, 0], payload);
        AssertOnlyRejected("header-badlength");
    }

    [Fact]
    public void A_header_of_version_9_is_counted()
    {
        var payload = Tlv(Records(1));
        var header = ZmqIngestHarness.Header(ZmqTopic.Flow, SourceId, 0, payload.Length);
        header[16] = 9;
        _zmq.SendFrames(header, payload);
        AssertOnlyRejected("header-unsupportedversion");
        Assert.False(_zmq.Counters.Sources.ContainsKey(SourceId), "a refused header must not count for msg_id tracking");
    }

    [Fact]
    public void A_payload_cut_inside_a_record_keeps_the_records_before_it()
    {
        var records = Records(3);
        var twoRecords = Tlv(records[0], records[1]).Length;
        var full = Tlv(records);

        // Cut inside an item of the third record (a cut between items reads as a last record without its end
        // marker, which ntopng accepts): the first length past the second record that leaves an item short.
        var cut = Enumerable.Range(twoRecords + 1, full.Length - twoRecords - 1)
            .Select(length => full[..length])
            .First(payload => FlowRecordTlv.Decode(payload, []).Status == FlowDecodeStatus.TruncatedItem);

        _zmq.Send(ZmqTopic.Flow, SourceId, 0, cut);

        AssertOnlyRejected("tlv-truncateditem");
        var flows = ReceiveFlows(2);
        Assert.Equal(records[..2].Select(r => r.SrcPort), flows.Select(f => f.ClientPort));
        Assert.Equal(2, Interlocked.Read(ref _zmq.Counters.Flows));
    }

    private static byte[] Json(FlowJsonKeys keys, params FlowRecord[] records)
    {
        using var json = new MemoryStream();
        using (var writer = new Utf8JsonWriter(json))
        {
            FlowRecordJson.Encode(records, writer, keys);
        }

        return json.ToArray();
    }

    private void AssertFlowsArrive(FlowRecord[] records)
    {
        var flows = ReceiveFlows(records.Length);
        Assert.Equal(records.Select(r => (r.SrcAddr, r.SrcPort, (long)r.InBytes, (long)r.OutBytes)),
            flows.Select(f => (f.Client, f.ClientPort, f.BytesCliToSrv, f.BytesSrvToCli)));
        _zmq.Sync();
        Assert.Empty(_zmq.Counters.Rejected);
        Assert.Equal(records.Length, Interlocked.Read(ref _zmq.Counters.Sources[SourceId].Flows));
    }

    [Theory]
    [InlineData(FlowJsonKeys.Numeric)]
    [InlineData(FlowJsonKeys.Labels)]
    public void Json_flows_behind_the_28_byte_header_are_decoded(FlowJsonKeys keys)
    {
        var records = Records(30);
        _zmq.Send(ZmqTopic.Flow, SourceId, 0, Json(keys, records), ZmqPayloadFormat.Json);
        AssertFlowsArrive(records);
    }

    [Fact]
    public void Json_flows_behind_the_36_byte_header_without_the_tlv_flag_are_decoded()
    {
        var records = Records(5);
        var json = Json(FlowJsonKeys.Labels, records);
        var header = new byte[ZmqHeaderCodec.V3Length];
        ZmqHeaderCodec.WriteV3(header, ZmqTopic.Flow, ZmqHeaderFlags.None, 0, SourceId, json.Length);
        _zmq.SendFrames(header, json);
        AssertFlowsArrive(records);
        Assert.Equal(1, _zmq.Counters.Formats["v4 json"]);
    }

    [Fact]
    public void Json_flows_zlib_compressed_behind_a_leading_zero_byte_are_inflated_and_decoded()
    {
        var records = Records(25);
        _zmq.Send(ZmqTopic.Flow, SourceId, 0, [0, .. Zlib(Json(FlowJsonKeys.Numeric, records))], ZmqPayloadFormat.Json);
        AssertFlowsArrive(records);
        Assert.Equal(1, _zmq.Counters.Formats["v2 json zlib"]);
    }

    [Fact]
    public void Malformed_json_flows_are_counted_by_reason_and_keep_the_flows_before_the_fault()
    {
        var records = Records(2);
        var json = Json(FlowJsonKeys.Numeric, records);
        _zmq.Send(ZmqTopic.Flow, SourceId, 0, [.. json[..^1], (byte)',', (byte)'{', (byte)'"'], ZmqPayloadFormat.Json);
        Assert.Equal(2, ReceiveFlows(2).Count);
        AssertOnlyRejected("json-invalidjson");
    }

    [Fact]
    public void Counter_template_hello_and_option_messages_are_counted_per_topic()
    {
        var before = Interlocked.Read(ref _zmq.Counters.Hellos);
        _zmq.Send(ZmqTopic.Counter, SourceId, 0, """{"deviceIP":1,"ifIndex":2}"""u8, ZmqPayloadFormat.Json);
        _zmq.Send(ZmqTopic.Template, SourceId, 1, """[{"PEN":0,"field":8,"name":"IPV4_SRC_ADDR"}]"""u8, ZmqPayloadFormat.Json);
        _zmq.Send(ZmqTopic.Template, SourceId, 2, """[]"""u8, ZmqPayloadFormat.Json);
        _zmq.Send(ZmqTopic.Option, SourceId, 3, """{"PEN":0,"field":10,"value":1}"""u8, ZmqPayloadFormat.Json);
        _zmq.Send(ZmqTopic.Hello, SourceId, 4, "{}"u8, ZmqPayloadFormat.Json);
        _zmq.Sync();
        Assert.Equal(1, Interlocked.Read(ref _zmq.Counters.Counters));
        Assert.Equal(2, Interlocked.Read(ref _zmq.Counters.Templates));
        Assert.Equal(1, Interlocked.Read(ref _zmq.Counters.Options));
        Assert.Equal(before + 2, Interlocked.Read(ref _zmq.Counters.Hellos)); // ours and the Sync one
        Assert.Equal(0, _zmq.Counters.Sources[SourceId].Drops);
        Assert.Empty(_zmq.Counters.Rejected);
    }

    [Fact]
    public void A_zlib_payload_in_a_version_4_header_is_inflated_and_decoded()
    {
        var records = Records(40);
        var tlv = Tlv(records);
        var header = new byte[ZmqHeaderCodec.V3Length];
        ZmqHeaderCodec.WriteV3(header, ZmqTopic.Flow, ZmqHeaderFlags.Tlv | ZmqHeaderFlags.Compressed, 0, SourceId, tlv.Length);

        _zmq.SendFrames(header, Zlib(tlv));

        var flows = ReceiveFlows(records.Length);
        Assert.Equal(records.Select(r => (r.SrcAddr, r.SrcPort, (long)r.InBytes)), flows.Select(f => (f.Client, f.ClientPort, f.BytesCliToSrv)));
        _zmq.Sync();
        Assert.Empty(_zmq.Counters.Rejected);
    }

    [Fact]
    public void A_zlib_bomb_is_refused_and_ingest_goes_on()
    {
        var bomb = Zlib(new byte[ZmqFlowSubscriber.MaxDecompressedBytes + (1 << 20)]);
        var header = new byte[ZmqHeaderCodec.V3Length];
        ZmqHeaderCodec.WriteV3(header, ZmqTopic.Flow, ZmqHeaderFlags.Tlv | ZmqHeaderFlags.Compressed, 0, SourceId, 1024);

        _zmq.SendFrames(header, bomb);
        _zmq.Send(ZmqTopic.Flow, SourceId, 1, Tlv(Records(1)));

        Assert.Single(ReceiveFlows(1));
        AssertOnlyRejected("decompression-failed");
    }

    [Fact]
    public void Random_bytes_never_throw_and_the_interface_keeps_working()
    {
        var random = new Random(20260101);
        const int messages = 300;
        var before = Interlocked.Read(ref _zmq.Counters.MessagesReceived);
        for (var i = 0; i < messages; i++)
        {
            // Half of them behind a valid TLV flow header, so that the TLV decoder itself sees the noise.
            var payload = new byte[random.Next(0, 600)];
            random.NextBytes(payload);
            if (i % 2 == 0)
            {
                payload = [1, 1, .. payload];
                _zmq.Send(ZmqTopic.Flow, SourceId, (uint)i, payload);
            }
            else
            {
                var frames = new byte[random.Next(1, 4)][];
                for (var f = 0; f < frames.Length; f++)
                {
                    frames[f] = new byte[random.Next(0, 64)];
                    random.NextBytes(frames[f]);
                }

                _zmq.SendFrames(frames);
            }
        }

        _zmq.Sync();
        Assert.Equal(messages + 1, Interlocked.Read(ref _zmq.Counters.MessagesReceived) - before);
        Assert.False(_zmq.Counters.Rejected.ContainsKey("decoder-exception"), "a decoder threw on random input");
        Assert.True(_zmq.Counters.TotalRejected > 0);

        // Still decoding after all that.
        var good = Records(1, firstPort: 12345);
        _zmq.Send(ZmqTopic.Flow, SourceId + 1, 0, Tlv(good));
        _interfaceRegion.FishForMessage<InterfaceTrafficDelta>(m => m.FlowUpdates.Any(f => f.ClientPort == 12345), ZmqIngestHarness.Deadline);
    }

    [Fact]
    public void Msg_id_gaps_count_as_drops_and_a_lower_id_as_a_rollback()
    {
        var json = Encoding.UTF8.GetBytes("{\"packets\": 1}");
        uint[] ids = [0, 1, 2, 5];
        foreach (var id in ids)
        {
            _zmq.Send(ZmqTopic.Event, SourceId, id, json, ZmqPayloadFormat.Json);
        }

        _zmq.Sync();
        var source = _zmq.Counters.Sources[SourceId];
        var gaps = ids.Zip(ids.Skip(1), (a, b) => (long)(b - a - 1)).Sum();
        Assert.Equal(gaps, source.Drops);
        Assert.Equal(gaps, Interlocked.Read(ref _zmq.Counters.MessageDrops));
        Assert.Equal(ids.Length, source.Messages);
        Assert.Equal("{\"packets\": 1}", source.LastEvent);

        // A restarted probe starts again from a lower id: a rollback, not 4 billion drops.
        _zmq.Send(ZmqTopic.Event, SourceId, 3, json, ZmqPayloadFormat.Json);
        _zmq.Send(ZmqTopic.Event, SourceId, 4, json, ZmqPayloadFormat.Json);
        _zmq.Sync();
        Assert.Equal(1, source.Rollbacks);
        Assert.Equal(gaps, source.Drops);
        Assert.Equal(ids.Length + 2, Interlocked.Read(ref _zmq.Counters.Events));
        Assert.Empty(_zmq.Counters.Rejected);
    }

    [Fact]
    public void The_first_msg_id_of_a_probe_already_running_is_kept_but_not_counted_as_drops()
    {
        var json = Encoding.UTF8.GetBytes("{}");
        _zmq.Send(ZmqTopic.Event, SourceId, 1000, json, ZmqPayloadFormat.Json);
        _zmq.Send(ZmqTopic.Event, SourceId, 1001, json, ZmqPayloadFormat.Json);
        _zmq.Send(ZmqTopic.Event, SourceId, 1003, json, ZmqPayloadFormat.Json);
        _zmq.Sync();
        var source = _zmq.Counters.Sources[SourceId];
        Assert.Equal(1000u, source.FirstMsgId);
        Assert.Equal(1003u, source.LastMsgId);
        Assert.Equal(1, source.Drops);
    }
}
