using System.Net;
using System.Net.Sockets;
using Flowhive.Probe.Configuration;
using Flowhive.Shared.Wire.NetFlow;

namespace Flowhive.Probe.Export;

/// <summary>
/// A connected UDP socket to one collector: sends do not allocate (no endpoint per datagram), and a collector that
/// is not listening shows as refused sends (ICMP port unreachable), counted rather than thrown.
/// </summary>
internal sealed class NetFlowCollectorSocket(NetFlowCollector collector) : INetFlowDatagramSink, IDisposable
{
    private Socket? _socket;

    public NetFlowCollector Collector => collector;

    public long Datagrams;
    public long Bytes;
    public long SendFailures;

    /// <summary>The error of the most recent failed send, for the log.</summary>
    public SocketError LastError { get; private set; }

    /// <summary>Resolves the host (IPv4 first, as collectors usually listen there) and connects; throws with the collector named.</summary>
    public void Open()
    {
        IPAddress address;
        try
        {
            address = IPAddress.TryParse(collector.Host, out var literal)
                ? literal
                : Dns.GetHostAddresses(collector.Host).OrderBy(a => a.AddressFamily == AddressFamily.InterNetwork ? 0 : 1).First();
        }
        catch (Exception e) when (e is SocketException or InvalidOperationException or ArgumentException)
        {
            throw new InvalidOperationException($"-n {collector}: cannot resolve {collector.Host}: {e.Message}", e);
        }

        var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Connect(new IPEndPoint(address, collector.Port));
        }
        catch (SocketException e)
        {
            socket.Dispose();
            throw new InvalidOperationException($"-n {collector}: cannot send to {address}: {e.Message}", e);
        }

        _socket = socket;
    }

    public void Send(ReadOnlySpan<byte> datagram)
    {
        var sent = _socket!.Send(datagram, SocketFlags.None, out var error);
        if (error == SocketError.Success && sent == datagram.Length)
        {
            Interlocked.Increment(ref Datagrams);
            Interlocked.Add(ref Bytes, sent);
            return;
        }

        LastError = error;
        Interlocked.Increment(ref SendFailures);
    }

    public void Dispose() => _socket?.Dispose();
}
