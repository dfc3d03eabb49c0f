using Akka.Actor;
using Flowhive.Collector.Configuration;
using Flowhive.Collector.Ingest;
using Flowhive.Shared.Flows;
using Flowhive.Shared.Wire;
using Microsoft.Extensions.Logging.Abstractions;
using NetMQ;
using NetMQ.Sockets;

namespace Flowhive.Collector.Node.Tests.Support;

/// <summary>
/// A probe's side of the wire (a real NetMQ PUB socket bound to a free loopback port) and a collector interface
/// that connects to it: a <see cref="ZmqFlowSubscriber"/> feeding an <see cref="IngestPipeline"/> whose regions are
/// the given actors. <see cref="Connect"/> returns once messages demonstrably flow.
/// </summary>
public sealed class ZmqIngestHarness : IDisposable
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    /// <summary>The source id of the hello messages used to prove the connection; tests use others.</summary>
    public const uint WarmUpSourceId = 0xFFFF_0001;

    private readonly PublisherSocket _publisher = new();
    private readonly ZmqFlowSubscriber _subscriber;
    private uint _warmUpMsgId;
    private bool _started;

    public ZmqIngestHarness(IActorRef hostRegion, IActorRef interfaceRegion)
    {
        var port = _publisher.BindRandomPort("tcp://127.0.0.1");
        Interface = CollectorInterface.Parse(0, $"tcp://127.0.0.1:{port}");
        Pipeline = new IngestPipeline(Interface.IfId, Interface.Name, hostRegion, interfaceRegion, new IngestCounters(), new FlowBatchPool());
        _subscriber = new ZmqFlowSubscriber(Interface, Pipeline, NullLogger.Instance);
    }

    public CollectorInterface Interface { get; }

    public IngestPipeline Pipeline { get; }

    public IngestCounters Counters => Pipeline.Counters;

    public long Rejected(string reason) => Counters.Rejected.GetValueOrDefault(reason);

    /// <summary>Starts the subscriber and sends hellos until one is received: PUB drops what it sends before the subscription arrives.</summary>
    public void Connect()
    {
        _subscriber.Open();
        _subscriber.Start();
        Pipeline.Start();
        _started = true;
        var deadline = DateTime.UtcNow + Deadline;
        while (Interlocked.Read(ref Counters.Hellos) == 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("the subscriber never received a message");
            }

            SendHello();
            try
            {
                Poll.Until(() => Interlocked.Read(ref Counters.Hellos) > 0, TimeSpan.FromMilliseconds(100), "hello received");
            }
            catch (TimeoutException)
            {
                // Not subscribed yet: send another.
            }
        }
    }

    /// <summary>Sends a hello and waits until it is received: everything sent before it has been handled.</summary>
    public void Sync()
    {
        var before = Interlocked.Read(ref Counters.Hellos);
        SendHello();
        Poll.Until(() => Interlocked.Read(ref Counters.Hellos) > before, Deadline, "the subscriber handled everything sent so far");
    }

    public void SendFrames(params byte[][] frames)
    {
        for (var i = 0; i < frames.Length; i++)
        {
            _publisher.SendFrame(frames[i], more: i < frames.Length - 1);
        }
    }

    public void Send(ZmqTopic topic, uint sourceId, uint msgId, ReadOnlySpan<byte> payload, ZmqPayloadFormat format = ZmqPayloadFormat.Tlv) =>
        SendFrames(Header(topic, sourceId, msgId, payload.Length, format), payload.ToArray());

    public static byte[] Header(ZmqTopic topic, uint sourceId, uint msgId, int payloadLength, ZmqPayloadFormat format = ZmqPayloadFormat.Tlv)
    {
        var header = new byte[ZmqHeaderCodec.V2Length];
        ZmqHeaderCodec.WriteV2(header, topic, msgId, sourceId, payloadLength, format);
        return header;
    }

    private void SendHello() => Send(ZmqTopic.Hello, WarmUpSourceId, _warmUpMsgId++, "{}"u8, ZmqPayloadFormat.Json);

    public void Dispose()
    {
        // The receive thread owns the socket: stop it before the socket goes.
        if (_started)
        {
            _subscriber.Stop();
        }

        _subscriber.Dispose();
        Pipeline.Complete();
        if (_started)
        {
            Pipeline.Completion.Wait(Deadline);
        }

        Pipeline.Dispose();
        _publisher.Dispose();
    }
}
