using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Flowhive.Shared.Flows;
using Flowhive.Shared.Wire.NetFlow;

namespace Flowhive.Tools.IngestSender;

/// <summary>Encodes the flows once as NetFlow v9 datagrams (templates in the first), then sends them from one socket.</summary>
public static class NetFlowSender
{
    /// <summary>Sends; returns the datagrams, the NetFlow records they hold (one per direction of a flow with nProbe's default template) and the time taken.</summary>
    internal static (long Messages, long Records, TimeSpan Elapsed) Run(SendPlan plan, IPEndPoint target)
    {
        var encoder = CreateEncoder();
        var (warmup, _) = Encode(encoder, plan.Warmup);
        var (datagrams, records) = Encode(encoder, plan.Flows);
        using var socket = new Socket(target.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        socket.SendBufferSize = 4 << 20;
        socket.Connect(target);
        var warmupPacer = new Pacer(plan.WarmupRate);
        for (var i = 0; i < warmup.Count; i++)
        {
            warmupPacer.Wait(i);
            socket.Send(warmup[i]);
        }

        if (warmup.Count > 0)
        {
            plan.WaitForGo();
        }

        var pacer = new Pacer(plan.Rate);
        Pacer.ReportStart();
        var stopwatch = Stopwatch.StartNew();
        for (var i = 0; i < datagrams.Count; i++)
        {
            pacer.Wait(i);
            socket.Send(datagrams[i]);
        }

        return (datagrams.Count, records, stopwatch.Elapsed);
    }

    /// <summary>The encoder the sender uses: NetFlow v9, nProbe's default template, 1400-byte datagrams.</summary>
    public static NetFlowEncoder CreateEncoder() =>
        NetFlowEncoder.Create(new NetFlowEncoderOptions { Version = NetFlowVersion.V9, Template = FlowTemplate.NprobeDefault, Mtu = 1400 });

    /// <summary>
    /// Encodes with a shared encoder, so the measured datagrams continue the warm-up's sequence numbers and templates.
    /// Stamped with the current time, which the synthetic flows' times are near: the decode benchmark uses this too,
    /// so it measures the datagrams the sender sends (~29 records each), not one record per datagram.
    /// </summary>
    public static (List<byte[]> Datagrams, long Records) Encode(NetFlowEncoder encoder, FlowRecord[] flows)
    {
        var before = encoder.Counters.Records;
        var sink = new Collect();
        var nowMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        foreach (var flow in flows)
        {
            encoder.Add(flow, nowMs, sink);
        }

        encoder.Flush(nowMs, sink);
        return (sink.Datagrams, encoder.Counters.Records - before);
    }

    private sealed class Collect : INetFlowDatagramSink
    {
        public List<byte[]> Datagrams { get; } = [];

        public void Send(ReadOnlySpan<byte> datagram) => Datagrams.Add(datagram.ToArray());
    }
}
