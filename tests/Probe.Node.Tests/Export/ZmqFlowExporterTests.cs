using System.Diagnostics;
using System.Text.Json;
using Flowhive.Probe.Configuration;
using Flowhive.Probe.Engine.Workers;
using Flowhive.Probe.Export;
using Flowhive.Probe.Node.Tests.Support;
using Flowhive.Shared.Flows;
using Flowhive.Shared.Wire;
using Microsoft.Extensions.Logging.Abstractions;
using NetMQ;
using NetMQ.Sockets;

namespace Flowhive.Probe.Node.Tests.Export;

/// <summary>The exporter against a real NetMQ subscriber on a loopback TCP port, as a collector sees it.</summary>
public sealed class ZmqFlowExporterTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private static ProbeOptions Options(string endpoint, string waitForCollector = "30", uint sourceId = 4242, params string[] sendOptions) =>
        ProbeOptions.From(ProbeCommandLine.Create().Parse(
            ["-i", "test0", "--zmq", endpoint, "--zmq-wait-collector", waitForCollector, "--source-id", sourceId.ToString(System.Globalization.CultureInfo.InvariantCulture), .. sendOptions]));

    private static string LoopbackEndpoint() => $"tcp://127.0.0.1:{FreeTcpPort.Next()}";

    private static IReadOnlyList<EngineStatistics> Statistics() =>
    [
        new EngineStatistics { Source = "test0", Packets = 123_456, WireBytes = 98_765_432, DecodeDrops = new Dictionary<string, long>() },
        new EngineStatistics { Source = "test1", Packets = 1_000, WireBytes = 64_000, DecodeDrops = new Dictionary<string, long>() },
    ];

    /// <summary>The ZeroMQ exporter inside the export loop that runs it in the probe, with a wait for collectors.</summary>
    private static (FlowExportLoop Loop, ZmqFlowExporter Zmq) Export(ProbeOptions options, ExportQueue queue, bool waitForCollector)
    {
        var zmq = new ZmqFlowExporter(options, Statistics, NullLogger.Instance);
        return (new FlowExportLoop(queue, [zmq], waitForCollector ? options.WaitForCollector : TimeSpan.Zero, NullLogger.Instance), zmq);
    }

    /// <summary>Runs <see cref="FlowExportLoop.Run"/> on its own thread, as the export actor does, keeping any exception for the test.</summary>
    private sealed class PublisherThread
    {
        private readonly Thread _thread;
        private Exception? _error;

        public PublisherThread(FlowExportLoop publisher, CancellationToken cancel)
        {
            _thread = new Thread(() =>
            {
                try
                {
                    publisher.Run(cancel);
                }
                catch (Exception e)
                {
                    _error = e;
                }
            })
            { IsBackground = true, Name = "test-zmq-export" };
            _thread.Start();
        }

        public void Join()
        {
            Assert.True(_thread.Join(Deadline), "the exporter did not finish");
            Assert.Null(_error);
        }
    }

    /// <summary>
    /// Runs the exporter until <paramref name="sent"/> and the closing event are out, with <paramref name="subscriber"/>
    /// connected and subscribed first: what XPUB sends before a subscription is lost by design.
    /// </summary>
    /// <returns>The export loop (the caller disposes it once everything is received) and its ZeroMQ exporter.</returns>
    private static (FlowExportLoop Loop, ZmqFlowExporter Zmq) ExportToSubscriber(ProbeOptions options, string endpoint, SubscriberSocket subscriber, FlowRecord[] sent)
    {
        using var queue = new ExportQueue();
        var (publisher, zmq) = Export(options, queue, waitForCollector: true);
        publisher.Open();
        var runner = new PublisherThread(publisher, CancellationToken.None);

        subscriber.Options.ReceiveHighWatermark = 0;
        subscriber.Connect(endpoint);
        subscriber.SubscribeToAnyTopic();
        Assert.True(publisher.ReadyToExport.Wait(Deadline), "the publisher never saw the subscription");

        foreach (var chunk in sent.Chunk(FlowBatch.DefaultCapacity))
        {
            var batch = queue.Pool.Rent();
            foreach (var record in chunk)
            {
                batch.Add(record);
            }

            queue.Add(batch);
        }

        queue.CompleteAdding();
        runner.Join();
        return (publisher, zmq);
    }

    private sealed record Received(ZmqMessageHeader Header, byte[] Payload);

    private static Received ReceiveMessage(SubscriberSocket subscriber, int headerLength = ZmqHeaderCodec.V2Length)
    {
        Assert.True(subscriber.TryReceiveFrameBytes(Deadline, out var header, out var more), "no message arrived");
        Assert.True(more, "a message must have a payload frame after the header");
        Assert.True(subscriber.TryReceiveFrameBytes(Deadline, out var payload, out more));
        Assert.False(more, "a message has exactly two frames");
        Assert.Equal(ZmqHeaderStatus.Ok, ZmqHeaderCodec.TryParse(header, out var parsed));
        Assert.Equal(headerLength, header.Length);
        return new Received(parsed, payload!);
    }

    [Fact]
    public void Flows_arrive_whole_in_two_frame_messages_with_a_gapless_msg_id_and_stats_events()
    {
        const int recordCount = 20_000;
        var endpoint = LoopbackEndpoint();
        var options = Options(endpoint);
        using var subscriber = new SubscriberSocket();
        var sent = Enumerable.Range(0, recordCount).Select(SampleFlows.Record).ToArray();
        var (loop, zmq) = ExportToSubscriber(options, endpoint, subscriber, sent);
        using var _ = loop;

        var counters = zmq.Counters;
        Assert.Equal(0, counters.SendFailures);
        Assert.Equal(recordCount, counters.Flows);
        var lastMsgId = (uint)(counters.Messages - 1);

        // The run ends with a statistics event, so everything up to that id is on the wire; an event sent before the
        // subscription (at start-up) was dropped by XPUB, so the first id seen may be above 0.
        var messages = new List<Received>();
        do
        {
            messages.Add(ReceiveMessage(subscriber));
        }
        while (messages[^1].Header.MsgId != lastMsgId);

        var decoded = new List<FlowRecord>();
        for (var i = 0; i < messages.Count; i++)
        {
            var (header, payload) = messages[i];
            Assert.Equal(options.SourceId, header.SourceId);
            Assert.InRange(payload.Length, 1, ZmqHeaderCodec.MaxPayloadLength);
            if (i > 0)
            {
                Assert.Equal(messages[i - 1].Header.MsgId + 1, header.MsgId);
            }

            if (header.Topic == ZmqTopic.Flow)
            {
                Assert.Equal(ZmqHeaderCodec.TlvVersion, header.Version);
                Assert.True(header.IsTlv);
                var result = FlowRecordTlv.Decode(payload, decoded);
                Assert.Equal(FlowDecodeStatus.Ok, result.Status);
                Assert.Equal(0, result.RecordsDropped);
            }
            else
            {
                Assert.Contains(header.Topic, new[] { ZmqTopic.Event, ZmqTopic.Hello, ZmqTopic.Template });
                Assert.Equal(ZmqHeaderCodec.JsonVersion, header.Version);
            }
        }

        Assert.True(messages.Count(m => m.Header.Topic == ZmqTopic.Flow) > 1, "20,000 flows cannot fit one message: the payload limit was not applied");

        // The subscription was answered with a hello and the field template, which carries every label ntopng maps.
        Assert.Single(messages, m => m.Header.Topic == ZmqTopic.Hello);
        var template = JsonDocument.Parse(messages.Single(m => m.Header.Topic == ZmqTopic.Template).Payload).RootElement;
        Assert.Equal(NtopFieldLabels.All.Count, template.GetArrayLength());
        Assert.Contains(template.EnumerateArray(), e => e.GetProperty("name").GetString() == "L7_PROTO"
            && e.GetProperty("PEN").GetUInt32() == 35632 && e.GetProperty("field").GetUInt32() == 118);
        Assert.Equal(sent.Length, decoded.Count);
        for (var i = 0; i < sent.Length; i++)
        {
            SampleFlows.AssertSame(sent[i], decoded[i]);
        }

        // The closing event: traffic totals from the engines, the export count so far and the probe's identity.
        var last = messages[^1];
        Assert.Equal(ZmqTopic.Event, last.Header.Topic);
        using var json = JsonDocument.Parse(last.Payload);
        var root = json.RootElement;
        Assert.Equal(Statistics().Sum(s => s.Packets), root.GetProperty("packets").GetInt64());
        Assert.Equal(Statistics().Sum(s => s.WireBytes), root.GetProperty("bytes").GetInt64());
        Assert.Equal(options.SourceId, root.GetProperty("probe").GetProperty("unique_source_id").GetUInt32());
        var flowMessages = messages.Count(m => m.Header.Topic == ZmqTopic.Flow);
        Assert.InRange(root.GetProperty("zmq").GetProperty("num_flow_exports").GetInt64(), flowMessages, last.Header.MsgId);
        Assert.Equal(recordCount, root.GetProperty("zmq").GetProperty("num_exported_flows").GetInt64());
    }

    /// <summary>Inflates as ntopng does: the version-4 flag, or a leading 0x00 byte behind older headers.</summary>
    private static byte[] Inflate(ZmqMessageHeader header, byte[] payload)
    {
        if (!header.IsPayloadCompressed(payload))
        {
            return payload;
        }

        using var input = new MemoryStream(payload, header.CompressedDataOffset, payload.Length - header.CompressedDataOffset);
        using var zlib = new System.IO.Compression.ZLibStream(input, System.IO.Compression.CompressionMode.Decompress);
        using var output = new MemoryStream();
        zlib.CopyTo(output);
        return output.ToArray();
    }

    [Theory]
    [InlineData(36, true, false, false, "--zmq-msg-version", "4")]
    [InlineData(28, false, false, false, "--zmq-format", "j")]
    [InlineData(28, false, true, false, "--zmq-format", "j", "--json-labels")]
    [InlineData(36, true, false, true, "--zmq-msg-version", "4", "--zmq-enable-compression")]
    [InlineData(36, false, true, true, "--zmq-msg-version", "4", "--zmq-format", "j", "--json-labels", "--zmq-enable-compression")]
    [InlineData(28, false, false, true, "--zmq-format", "j", "--zmq-enable-compression")]
    public void Every_send_option_delivers_every_flow_in_the_announced_format(int headerLength, bool tlv, bool labels, bool compressed, params string[] sendOptions)
    {
        const int recordCount = 3_000;
        var endpoint = LoopbackEndpoint();
        using var subscriber = new SubscriberSocket();
        var sent = Enumerable.Range(0, recordCount).Select(SampleFlows.Record).ToArray();
        var (loop, zmq) = ExportToSubscriber(Options(endpoint, sendOptions: sendOptions), endpoint, subscriber, sent);
        using var _ = loop;

        var lastMsgId = (uint)(zmq.Counters.Messages - 1);
        var messages = new List<Received>();
        do
        {
            messages.Add(ReceiveMessage(subscriber, headerLength));
        }
        while (messages[^1].Header.MsgId != lastMsgId);

        var decoded = new List<FlowRecord>();
        var flowMessages = 0;
        foreach (var (header, payload) in messages)
        {
            Assert.Equal(compressed, header.IsPayloadCompressed(payload));
            Assert.InRange(payload.Length, 1, ZmqHeaderCodec.MaxPayloadLength);
            var body = Inflate(header, payload);
            if (header.Topic != ZmqTopic.Flow)
            {
                Assert.False(header.IsTlv, "events, hellos and templates are JSON");
                using var _json = JsonDocument.Parse(body);
                continue;
            }

            flowMessages++;
            Assert.Equal(tlv, header.IsTlv);
            if (compressed && headerLength == ZmqHeaderCodec.V2Length)
            {
                Assert.InRange(body.Length, 1, 131_072 / 3); // ntopng's inflate buffer behind the old header
            }

            if (!tlv)
            {
                Assert.Equal(labels, body.AsSpan().IndexOf("\"IPV4_SRC_ADDR\""u8) >= 0);
                Assert.Equal(!labels, body.AsSpan().IndexOf("\"8\":"u8) >= 0);
                Assert.True(body.AsSpan().IndexOf(labels ? "\"UNIQUE_SOURCE_ID\":4242"u8 : "\"58061\":4242"u8) >= 0, "every flow names its source id");
            }

            var result = tlv ? FlowRecordTlv.Decode(body, decoded) : FlowRecordJson.Decode(body, decoded);
            Assert.Equal(FlowDecodeStatus.Ok, result.Status);
            Assert.Equal(0, result.RecordsDropped);
        }

        Assert.True(flowMessages > 1, "3,000 flows in one message: the payload limit was not applied");
        Assert.Equal(sent.Length, decoded.Count);
        for (var i = 0; i < sent.Length; i++)
        {
            SampleFlows.AssertSame(sent[i], decoded[i]);
        }
    }

    [Theory]
    [InlineData("--zmq-format m")]
    [InlineData("--zmq-format x")]
    [InlineData("--json-labels")]
    [InlineData("--zmq-msg-version 5")]
    [InlineData("--zmq-enable-compression")]
    [InlineData("--zmq-format j --zmq-enable-compression --zmq-disable-compression")]
    public void Send_options_that_ntopng_could_not_read_are_refused(string sendOptions)
    {
        Assert.Throws<Flowhive.Hosting.CommandLineException>(() => Options(LoopbackEndpoint(), sendOptions: sendOptions.Split(' ')));
    }

    [Fact]
    public void The_default_is_the_28_byte_version_3_header_with_uncompressed_tlv()
    {
        var send = Options(LoopbackEndpoint()).ZmqSend;
        Assert.Equal((ZmqPayloadFormat.Tlv, 3, false), (send.Format, send.MessageVersion, send.Compress));
        Assert.False(Options(LoopbackEndpoint(), sendOptions: "--zmq-disable-compression").ZmqSend.Compress);
    }

    [Fact]
    public void A_file_replay_waits_for_a_subscriber_before_it_is_ready()
    {
        var endpoint = LoopbackEndpoint();
        using var queue = new ExportQueue();
        using var cancel = new CancellationTokenSource();
        var (publisher, zmq) = Export(Options(endpoint), queue, waitForCollector: true);
        using var _ = publisher;
        publisher.Open();
        Assert.False(publisher.ReadyToExport.IsSet);

        var runner = new PublisherThread(publisher, cancel.Token);

        // The first event proves the exporter loop is running; with nobody subscribed it must still hold capture back.
        Poll.Until(() => Interlocked.Read(ref zmq.Events) >= 1, Deadline, "the exporter loop started");
        Assert.False(publisher.ReadyToExport.IsSet);
        Assert.Equal(0, Interlocked.Read(ref zmq.Subscriptions));

        using var subscriber = new SubscriberSocket();
        subscriber.Connect(endpoint);
        subscriber.Subscribe("flow");
        Assert.True(publisher.ReadyToExport.Wait(Deadline), "a subscription did not release capture");
        Assert.Equal(1, Interlocked.Read(ref zmq.Subscriptions));

        cancel.Cancel();
        runner.Join();
    }

    [Fact]
    public void With_nobody_subscribing_capture_is_released_after_the_wait_time()
    {
        var wait = TimeSpan.FromMilliseconds(300);
        using var queue = new ExportQueue();
        using var cancel = new CancellationTokenSource();
        var (publisher, zmq) = Export(Options(LoopbackEndpoint(), $"{wait.TotalMilliseconds}ms"), queue, waitForCollector: true);
        using var _ = publisher;
        publisher.Open();
        var stopwatch = Stopwatch.StartNew();
        var runner = new PublisherThread(publisher, cancel.Token);

        Assert.True(publisher.ReadyToExport.Wait(Deadline), "capture was never released");
        Assert.True(stopwatch.Elapsed >= wait, $"released after {stopwatch.Elapsed.TotalMilliseconds} ms, before the {wait.TotalMilliseconds} ms wait");
        Assert.Equal(0, Interlocked.Read(ref zmq.Subscriptions));

        cancel.Cancel();
        runner.Join();
    }

    [Fact]
    public void Live_capture_does_not_wait_for_a_collector()
    {
        using var queue = new ExportQueue();
        var (publisher, _) = Export(Options(LoopbackEndpoint()), queue, waitForCollector: false);
        using var __ = publisher;

        publisher.Open();

        Assert.True(publisher.ReadyToExport.IsSet);
    }

    [Fact]
    public void Opening_an_endpoint_another_socket_holds_names_the_endpoint()
    {
        var endpoint = LoopbackEndpoint();
        using var holder = new PublisherSocket();
        holder.Bind(endpoint);
        using var queue = new ExportQueue();
        var (publisher, _) = Export(Options(endpoint), queue, waitForCollector: false);
        using var __ = publisher;

        var error = Assert.Throws<InvalidOperationException>(publisher.Open);

        Assert.Contains(endpoint, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        Assert.False(publisher.ReadyToExport.IsSet);
    }
}
