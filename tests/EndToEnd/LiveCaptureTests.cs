using System.Net;
using System.Net.Sockets;
using Flowhive.EndToEnd.Support;

namespace Flowhive.EndToEnd;

/// <summary>
/// Live capture through libpcap on the loopback interface (the test runs as root, as the CI does): the
/// test sends datagrams of known sizes and checks that exactly their IP bytes reach the collector.
/// </summary>
public sealed class LiveCaptureTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("flowhive-live-").FullName;

    [Fact]
    public async Task A_probe_capturing_lo_exports_the_traffic_the_test_sends_and_drains_its_flows_on_sigterm()
    {
        var zmq = FreePort.Tcp();
        var http = FreePort.Tcp();
        using var receiver = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var target = (IPEndPoint)receiver.Client.LocalEndPoint!;

        await using var collector = NodeProcess.Collector("-i", $"tcp://127.0.0.1:{zmq}", "-w", $"127.0.0.1:{http}", "-d", _dir, "--flush-interval", "1");
        using var api = new CollectorApi(http);
        await api.WaitHealthyAsync(collector, TimeSpan.FromSeconds(60));

        // Idle and lifetime timeouts far away: the flows must come out because the probe drains them at SIGTERM.
        await using var probe = NodeProcess.Probe("-i", "lo", "-f", $"udp and port {target.Port}", "--zmq", $"tcp://127.0.0.1:{zmq}", "-d", "600", "-t", "600", "-b", "2");
        await WaitForAsync(() => probe.Output.Contains("capturing from lo", StringComparison.Ordinal) || probe.HasExited, TimeSpan.FromSeconds(30));
        Assert.False(probe.HasExited, probe.Output);

        using var sender = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        long expectedBytes = 0;
        const int Datagrams = 50;
        for (var i = 0; i < Datagrams; i++)
        {
            var payload = new byte[100 + i];
            await sender.SendAsync(payload, target);
            expectedBytes += 20 + 8 + payload.Length; // IPv4 + UDP headers + payload
            await receiver.ReceiveAsync();
        }

        // Every datagram went through lo before the receiver got it; on SIGTERM the probe reads what the kernel still holds.
        probe.Terminate();
        Assert.Equal(0, await probe.WaitForExitAsync(TimeSpan.FromSeconds(60)));

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var host = (await api.HostsAsync(0)).SingleOrDefault(h => h.Ip == "127.0.0.1");
            // Both ends are 127.0.0.1: the host sent and received every datagram.
            if (host is not null && host.BytesSent == expectedBytes && host.BytesRcvd == expectedBytes && host.PacketsSent == Datagrams)
            {
                Assert.Equal(1, host.FlowsAsClient);
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, $"127.0.0.1: {host} (expected {expectedBytes} bytes, {Datagrams} packets)\n{probe.Output}");
            await Task.Delay(200);
        }
    }

    private static async Task WaitForAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
