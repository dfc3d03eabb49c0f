using System.Diagnostics;
using Flowhive.Shared.Flows;
using Flowhive.Shared.Wire;
using NetMQ;
using NetMQ.Sockets;

namespace Flowhive.Tools.IngestSender;

/// <summary>
/// Encodes the flows once as TLV messages with nProbe's two-frame header (consecutive msg_ids, so the collector's
/// gap count shows any loss), binds a PUB socket as nProbe does and sends them once a subscriber had time to connect.
/// The socket stays open after the last send (the benchmark stops the sender once the collector has everything):
/// NetMQ's linger does not reliably flush a queue when the process exits, and a lost tail shows no msg_id gap.
/// </summary>
internal static class ZmqSender
{
    public static void Run(SendPlan plan, string endpoint, TimeSpan waitForSubscriber, TimeSpan hold, Action<long, long, TimeSpan> sent)
    {
        uint msgId = 0;
        var warmup = Encode(plan.Warmup, ref msgId);
        var messages = Encode(plan.Flows, ref msgId);
        using var socket = new PublisherSocket();
        socket.Options.SendHighWatermark = 0; // unbounded: a slow collector must show up as time, not as silent PUB drops
        socket.Bind(endpoint);
        Thread.Sleep(waitForSubscriber);
        foreach (var (header, payload) in warmup)
        {
            socket.SendMoreFrame(header).SendFrame(payload);
        }

        if (warmup.Count > 0)
        {
            plan.WaitForGo();
        }

        var pacer = new Pacer(plan.Rate);
        Pacer.ReportStart();
        var stopwatch = Stopwatch.StartNew();
        for (var i = 0; i < messages.Count; i++)
        {
            pacer.Wait(i);
            socket.SendMoreFrame(messages[i].Header).SendFrame(messages[i].Payload);
        }

        sent(messages.Count, plan.Flows.Length, stopwatch.Elapsed);
        Thread.Sleep(hold);
    }

    private static List<(byte[] Header, byte[] Payload)> Encode(FlowRecord[] flows, ref uint msgId)
    {
        var messages = new List<(byte[], byte[])>();
        var payload = new byte[FlowRecordTlv.DefaultMaxPayloadBytes];
        var header = new byte[64];
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
