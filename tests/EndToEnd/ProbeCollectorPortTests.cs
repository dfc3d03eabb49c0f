using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Flowhive.EndToEnd.Support;
using Flowhive.Shared.Messages.Tests.Wire.SFlow;
using Xunit.Abstractions;

namespace Flowhive.EndToEnd;

/// <summary>
/// The probe as nProbe in collector mode (<c>-3 PORT -i none</c>): softflowd exports the sample capture to the
/// probe's UDP port, the probe re-exports the flows over ZeroMQ, and a collector subscribed to it must count the
/// flows, packets and bytes that nfdump reports for the same softflowd export recorded by nfcapd. Garbage datagrams
/// sent to the port first must cost nothing but themselves.
/// </summary>
public sealed class ProbeCollectorPortTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("flowhive-probe-3-").FullName;

    [Theory]
    [InlineData("5")]
    [InlineData("9")]
    [InlineData("10")]
    public async Task Flows_collected_on_the_probe_port_reach_the_collector_with_nfdumps_totals(string version)
    {
        var expected = await NfcapdRecorder.RecordAsync(port => Softflowd.ExportSampleAsync(port, version, _dir), Dir("nfcapd"), output);

        var udp = FreePort.Udp();
        var zmq = FreePort.Tcp();
        await using var probe = NodeProcess.Probe("-3", $"127.0.0.1:{udp}", "-i", "none", "--zmq", $"tcp://127.0.0.1:{zmq}");
        await using var collector = NodeProcess.Collector("-i", $"tcp://127.0.0.1:{zmq}", "-w", $"127.0.0.1:{Http}", "-d", Dir("data"));
        using var api = await ConnectedAsync(probe, collector, udp);

        using (var garbage = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
        {
            var target = new IPEndPoint(IPAddress.Loopback, udp);
            await garbage.SendToAsync(new byte[] { 0, 9, 0, 1 }, target); // a v9 header cut short
            await garbage.SendToAsync(new byte[] { 0, 42, 1, 2, 3, 4, 5, 6, 7, 8 }, target); // unknown version
            await garbage.SendToAsync(new byte[1200], target); // version 0
        }

        await Softflowd.ExportSampleAsync(udp, version, _dir);
        await ExternalTool.WaitForEmptyReceiveQueueAsync(udp);
        (long Flows, long Packets, long Bytes) received = default;
        await Eventually.TrueAsync(async () =>
        {
            var iface = await InterfaceAsync(api);
            received = (Recv(iface).GetProperty("flows").GetInt64(), iface.GetProperty("packets").GetInt64(), iface.GetProperty("bytes").GetInt64());
            // Flows are counted as decoded; packets and bytes once the interface applied the ingest window.
            return received.Flows >= expected.Flows && received.Packets >= expected.Packets && received.Bytes >= expected.Bytes;
        }, ExternalTool.Deadline, "the collector counts every flow, packet and byte the probe collected", () => $"{received} of {expected}\n{probe.Output}");

        output.WriteLine($"v{version}: nfdump {expected}, collector via probe -3 {received}");
        Assert.Equal(expected, received);
        Assert.True(expected.Flows > 100, "the capture should give softflowd hundreds of flows");
        Assert.Equal(0, Recv(await InterfaceAsync(api)).GetProperty("zmq_msg_drops").GetInt64());
        Assert.False(probe.HasExited, "the probe stopped:\n" + probe.Output);

        // On SIGTERM the probe says what the port took: the three garbage datagrams are counted with softflowd's.
        probe.Terminate();
        Assert.Equal(0, await probe.WaitForExitAsync(ExternalTool.Deadline));
        Assert.Matches(@"-3 udp://127\.0\.0\.1:\d+: done: \d+ datagrams, " + expected.Flows + " flows", probe.Output);
    }

    [Fact]
    public async Task Sflow_counter_samples_on_the_probe_port_reach_the_collector_as_counter_messages()
    {
        var udp = FreePort.Udp();
        var zmq = FreePort.Tcp();
        await using var probe = NodeProcess.Probe("-3", $"127.0.0.1:{udp}", "--zmq", $"tcp://127.0.0.1:{zmq}");
        await using var collector = NodeProcess.Collector("-i", $"tcp://127.0.0.1:{zmq}", "-w", $"127.0.0.1:{Http}", "-d", Dir("data"));
        using var api = await ConnectedAsync(probe, collector, udp);

        // Agent 192.0.2.1 reports two ports; the probe sends each as one "counter" message with its next statistics event.
        var datagram = SFlowDatagrams.Header(2);
        SFlowDatagrams.CounterSample(datagram, 7, 123_456_789_012, 987_654_321);
        SFlowDatagrams.CounterSample(datagram, 8, 1, 2);
        using (var sender = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp))
        {
            await sender.SendToAsync(datagram.ToArray(), new IPEndPoint(IPAddress.Loopback, udp));
        }

        JsonElement counters = default;
        await Eventually.TrueAsync(async () =>
        {
            counters = (await InterfaceAsync(api)).GetProperty("interface_counters");
            return counters.GetArrayLength() == 2;
        }, ExternalTool.Deadline, "the collector shows both interfaces' counters", () => probe.Output + collector.Output);

        var ports = counters.EnumerateArray().Select(c => (c.GetProperty("agent").GetString(), c.GetProperty("if_index").GetUInt32(),
            c.GetProperty("in_octets").GetUInt64(), c.GetProperty("out_octets").GetUInt64(), c.GetProperty("if_speed").GetUInt64())).ToList();
        Assert.Equal([("192.0.2.1", 7u, 123_456_789_012ul, 987_654_321ul, 10_000_000_000ul), ("192.0.2.1", 8u, 1ul, 2ul, 10_000_000_000ul)], ports);
        Assert.Equal(2, Recv(await InterfaceAsync(api)).GetProperty("counters").GetInt64());
    }

    [Fact]
    public async Task With_a_templates_directory_the_probe_keeps_softflowds_templates_across_a_restart()
    {
        var udp = FreePort.Udp();
        var templates = Path.Combine(_dir, "templates");
        string[] args = ["-3", $"127.0.0.1:{udp}", "--collector-templates-dir", templates, "-n", "none", "-P", Dir("dump")];

        await using (var first = NodeProcess.Probe(args))
        {
            await Eventually.TrueAsync(async () => await ExternalTool.ReceiveQueueAsync(udp) is not null, ExternalTool.Deadline,
                "the probe binds its -3 port", () => first.Output);
            await Softflowd.ExportSampleAsync(udp, "9", _dir);
            await ExternalTool.WaitForEmptyReceiveQueueAsync(udp);
            first.Terminate();
            Assert.Equal(0, await first.WaitForExitAsync(ExternalTool.Deadline));
            Assert.Contains("0 templates loaded", first.Output, StringComparison.Ordinal);
        }

        Assert.True(File.Exists(Path.Combine(templates, $"netflow-templates-udp-{udp}.bin")), "no template file was written");
        await using var second = NodeProcess.Probe(args);
        await Eventually.TrueAsync(() => Task.FromResult(System.Text.RegularExpressions.Regex.IsMatch(second.Output, @"[1-9]\d* templates loaded")),
            ExternalTool.Deadline, "the restarted probe loads the saved templates", () => second.Output);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private int Http { get; } = FreePort.Tcp();

    /// <summary>Waits until the probe's -3 port is bound and the collector hears the probe; returns the collector's API.</summary>
    private async Task<CollectorApi> ConnectedAsync(NodeProcess probe, NodeProcess collector, int udp)
    {
        var api = new CollectorApi(Http);
        await api.WaitHealthyAsync(collector, ExternalTool.Deadline);
        await Eventually.TrueAsync(async () => await ExternalTool.ReceiveQueueAsync(udp) is not null, ExternalTool.Deadline,
            "the probe binds its -3 port", () => probe.Output);

        // PUB/SUB drops what is published before the subscription arrives: the probe's 5-second statistics event
        // reaching the collector shows the path is up.
        await Eventually.TrueAsync(async () => Recv(await InterfaceAsync(api)).GetProperty("events").GetInt64() > 0, ExternalTool.Deadline,
            "the collector receives the probe's statistics event", () => probe.Output + collector.Output);
        return api;
    }

    private static async Task<JsonElement> InterfaceAsync(CollectorApi api) => await api.GetJsonAsync("/api/v1/interfaces/0");

    private static JsonElement Recv(JsonElement iface) => iface.GetProperty("zmqRecvStats");

    private string Dir(string name) => Directory.CreateDirectory(Path.Combine(_dir, name)).FullName;
}
