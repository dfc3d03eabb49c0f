using System.Diagnostics;
using Flowhive.Shared.Flows;
using Flowhive.Shared.Wire;
using NetMQ;
using NetMQ.Sockets;

namespace Flowhive.Tools.IngestSender;

/// <summary>
/// Encodes the flows once as TLV messages with nProbe's two-frame header (consecutive msg_ids, so the collector's
/// gap count shows any loss), binds a PUB socket as nProbe does and sends them once a subscriber had time to connect.
/// </summary>
internal static class ZmqSender
{
    public static (long Messages, long Records, TimeSpan Elapsed) Run(FlowRecord[] flows, string endpoint, double rate, TimeSpan waitForSubscriber)
    {
        var messages = Encode(flows);
        using var socket = new PublisherSocket();
        socket.Options.SendHighWatermark = 0; // unbounded: a slow collector must show up as time, not as silent PUB drops
        socket.Options.Linger = TimeSpan.FromSeconds(30);
        socket.Bind(endpoint);
        Thread.Sleep(waitForSubscriber);
        var pacer = new Pacer(rate);
        var stopwatch = Stopwatch.StartNew();
        for (var i = 0; i < messages.Count; i++)
        {
            pacer.Wait(i);
            socket.SendMoreFrame(messages[i].Header).SendFrame(messages[i].Payload);
        }

        return (messages.Count, flows.Length, stopwatch.Elapsed);
    }

    private static List<(byte[] Header, byte[] Payload)> Encode(FlowRecord[] flows)
    {
        var messages = new List<(byte[], byte[])>();
        var payload = new byte[FlowRecordTlv.DefaultMaxPayloadBytes];
        var header = new byte[64];
        uint msgId = 0;
        for (var sent = 0; sent < flows.Length;)
        {
            var result = FlowRecordTlv.Encode(flows.AsSpan(sent), payload);
            if (result.RecordsWritten == 0)
            {
                throw new InvalidOperationException($"TLV encoding stopped: {result.Status}");
            }

            var headerLength = ZmqHeaderCodec.WriteV2(header, ZmqTopic.Flow, msgId++, 1, result.BytesWritten);
            messages.Add((header[..headerLength], payload[..result.BytesWritten]));
            sent += result.RecordsWritten;
        }

        return messages;
    }
}
