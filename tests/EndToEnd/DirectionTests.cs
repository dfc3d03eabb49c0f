using Flowhive.EndToEnd.Support;

namespace Flowhive.EndToEnd;

/// <summary>
/// The two ZeroMQ directions across a firewall, in two network namespaces the test creates (a veth pair with a
/// private 10.x network). One side drops every new inbound TCP connection. The collector has one interface per
/// direction: ifid 0 connects to a binding probe (default), ifid 1 binds for a probe in <c>--zmq-probe-mode</c>.
/// The direction whose connection leaves the firewalled side must carry every flow of the capture; the other
/// cannot connect at all.
/// </summary>
public sealed class DirectionTests() : SampleCaptureTest("flowhive-netns-")
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(60);
    private readonly NamespacePair _net = new();

    public override Task DisposeAsync()
    {
        _net.Dispose();
        return base.DisposeAsync();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Only_the_direction_that_connects_out_of_the_firewalled_side_gets_flows_through(bool firewallCollector)
    {
        _net.DropNewInboundConnections(intoCollector: firewallCollector);
        const int probeBinds = 5556;
        const int collectorBinds = 5557;
        const int http = 3000;
        await using var collector = _net.Collector(
            "-i", $"tcp://{_net.ProbeAddress}:{probeBinds}",
            "-i", $"tcp://{_net.CollectorAddress}:{collectorBinds}c",
            "-w", $"127.0.0.1:{http}", "-d", DataDir);
        await Eventually.TrueAsync(() => Task.FromResult(_net.CollectorGet(http, "/health") is not null || collector.HasExited),
            TimeSpan.FromSeconds(60), "collector healthy", () => collector.Output);
        Assert.False(collector.HasExited, collector.Output);

        // The collector connects to this one: possible unless the probe side drops inbound connections.
        await using var binding = _net.Probe("-i", Repo.SampleCapture, "--zmq", $"tcp://{_net.ProbeAddress}:{probeBinds}", "--zmq-wait-collector", "10");

        // This one connects to the collector: possible unless the collector side drops inbound connections.
        await using var connecting = _net.Probe("-i", Repo.SampleCapture, "--zmq", $"tcp://{_net.CollectorAddress}:{collectorBinds}", "--zmq-probe-mode",
            "--zmq-wait-collector", "10");

        Assert.True(await binding.WaitForExitAsync(TimeSpan.FromSeconds(90)) == 0, binding.Output);
        Assert.True(await connecting.WaitForExitAsync(TimeSpan.FromSeconds(90)) == 0, connecting.Output);

        // A firewalled collector must connect out (ifid 0); a firewalled probe must connect out (ifid 1).
        var (through, blocked, blockedProbe) = firewallCollector ? (0, 1, connecting) : (1, 0, binding);
        await Eventually.TrueAsync(() => Task.FromResult(TotalsMatch(http, through)), Settle,
            $"interface {through} holds the capture's totals", () => collector.Output + binding.Output + connecting.Output);
        Assert.Contains("no collector subscribed", blockedProbe.Output, StringComparison.Ordinal);
        var blockedStats = _net.CollectorGet(http, $"/api/v1/interfaces/{blocked}")!.Value.GetProperty("zmqRecvStats");
        Assert.Equal(0, blockedStats.GetProperty("zmq_msg_rcvd").GetInt64());
        var stats = _net.CollectorGet(http, $"/api/v1/interfaces/{through}")!.Value.GetProperty("zmqRecvStats");
        Assert.Equal(0, stats.GetProperty("zmq_msg_drops").GetInt64());
    }

    private bool TotalsMatch(int http, int ifid)
    {
        var iface = _net.CollectorGet(http, $"/api/v1/interfaces/{ifid}");
        return iface is { } i
            && i.GetProperty("bytes").GetInt64() == Truth.Values.Sum(h => h.BytesSent)
            && i.GetProperty("packets").GetInt64() == Truth.Values.Sum(h => h.PacketsSent)
            && i.GetProperty("hosts").GetInt32() == Truth.Count;
    }
}
