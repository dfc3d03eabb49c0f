using System.Text.Json;

namespace Flowhive.EndToEnd.Support;

/// <summary>A collector process with one <c>-i udp://127.0.0.1:port</c> NetFlow/IPFIX/sFlow interface, and the totals its API reports.</summary>
public sealed class FlowCollectorNode : IAsyncDisposable
{
    private readonly NodeProcess _process;

    private FlowCollectorNode(NodeProcess process, CollectorApi api, int udpPort)
    {
        _process = process;
        Api = api;
        UdpPort = udpPort;
    }

    public CollectorApi Api { get; }

    public int UdpPort { get; }

    public string Output => _process.Output;

    /// <summary>Starts the collector, in the network namespace <paramref name="ns"/> when given (its ports on that namespace's loopback).</summary>
    public static async Task<FlowCollectorNode> StartAsync(string dataDir, int? udpPort = null, string? ns = null)
    {
        var port = udpPort ?? FreePort.Udp();
        var http = FreePort.Tcp();
        string[] args = ["-i", $"udp://127.0.0.1:{port}", "-w", $"127.0.0.1:{http}", "-d", dataDir, "--flush-interval", "1"];
        var process = ns is null ? NodeProcess.Collector(args) : NodeProcess.InNamespace(ns, Repo.Collector, args, "collector");
        var api = new CollectorApi(http, ns);
        await api.WaitHealthyAsync(process, ExternalTool.Deadline);
        var deadline = DateTime.UtcNow + ExternalTool.Deadline;
        while (await ExternalTool.ReceiveQueueAsync(port, process.Id) is null)
        {
            Assert.True(DateTime.UtcNow < deadline, "the collector never bound its UDP port:\n" + process.Output);
            await Task.Delay(50);
        }

        return new FlowCollectorNode(process, api, port);
    }

    /// <summary>
    /// Waits until every datagram sent so far has been read and every decoded flow has gone through the ingest
    /// pipeline into the interface totals (which then stop changing), and returns those totals.
    /// </summary>
    public async Task<CollectorTotals> SettledTotalsAsync()
    {
        await ExternalTool.WaitForEmptyReceiveQueueAsync(UdpPort, _process.Id);
        var deadline = DateTime.UtcNow + ExternalTool.Deadline;
        CollectorTotals? previous = null;
        while (true)
        {
            var totals = await TotalsAsync();
            if (totals.PipelineFlows == totals.DecodedFlows && totals == previous)
            {
                return totals;
            }

            Assert.True(DateTime.UtcNow < deadline, $"collector totals did not settle: {totals}\n{_process.Output}");
            previous = totals;
            await Task.Delay(600); // longer than the ingest window (250 ms)
        }
    }

    public async Task<CollectorTotals> TotalsAsync()
    {
        var iface = await Api.GetJsonAsync("/api/v1/interfaces/0");
        var stats = iface.GetProperty("netflowRecvStats");
        var netflow = stats.GetProperty("netflow");
        var sflow = stats.GetProperty("sflow");
        return new CollectorTotals(
            iface.GetProperty("bytes").GetInt64(),
            iface.GetProperty("packets").GetInt64(),
            iface.GetProperty("zmqRecvStats").GetProperty("flows").GetInt64(),
            netflow.GetProperty("flows").GetInt64() + sflow.GetProperty("flows").GetInt64(),
            netflow.GetProperty("templates").GetInt32(),
            netflow.GetProperty("templates_loaded").GetInt32(),
            Drops(netflow.GetProperty("drops")) + Drops(sflow.GetProperty("drops")));
    }

    /// <summary>SIGTERM and wait: the node stops as a service manager stops it (templates are saved on the way out).</summary>
    public async Task StopAsync()
    {
        _process.Terminate();
        await _process.WaitForExitAsync(ExternalTool.Deadline);
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync();
        Api.Dispose();
    }

    private static string Drops(JsonElement drops) =>
        string.Join(",", drops.EnumerateObject().Select(p => $"{p.Name}={p.Value.GetInt64()}"));
}

/// <summary>What a collector's interface reports: totals, flows decoded vs. flows through the pipeline, templates and drops by reason ("" when none).</summary>
public sealed record CollectorTotals(long Bytes, long Packets, long PipelineFlows, long DecodedFlows, int Templates, int TemplatesLoaded, string Drops);
