using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Flowhive.Shared.Flows;
using Flowhive.Shared.Wire.NetFlow;

namespace Flowhive.Tools.IngestSender;

/// <summary>Encodes the flows once as NetFlow v9 datagrams (templates in the first), then sends them from one socket.</summary>
internal static class NetFlowSender
{
    /// <summary>Sends; returns the datagrams, the NetFlow records they hold (one per direction of a flow with nProbe's default template) and the time taken.</summary>
    public static (long Messages, long Records, TimeSpan Elapsed) Run(FlowRecord[] flows, IPEndPoint target, double rate)
    {
        var (datagrams, records) = Encode(flows);
        using var socket = new Socket(target.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        socket.SendBufferSize = 4 << 20;
        socket.Connect(target);
        var pacer = new Pacer(rate);
        var stopwatch = Stopwatch.StartNew();
        for (var i = 0; i < datagrams.Count; i++)
        {
            pacer.Wait(i);
            socket.Send(datagrams[i]);
        }

        return (datagrams.Count, records, stopwatch.Elapsed);
    }

    private static (List<byte[]> Datagrams, long Records) Encode(FlowRecord[] flows)
    {
        var encoder = NetFlowEncoder.Create(new NetFlowEncoderOptions { Version = NetFlowVersion.V9, Template = FlowTemplate.NprobeDefault, Mtu = 1400 });
        var sink = new Collect();
        var nowMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        foreach (var flow in flows)
        {
            encoder.Add(flow, nowMs, sink);
        }

        encoder.Flush(nowMs, sink);
        return (sink.Datagrams, encoder.Counters.Records);
    }

    private sealed class Collect : INetFlowDatagramSink
    {
        public List<byte[]> Datagrams { get; } = [];

        public void Send(ReadOnlySpan<byte> datagram) => Datagrams.Add(datagram.ToArray());
    }
}
