using System.Text.Json;
using Flowhive.EndToEnd.Support;

namespace Flowhive.EndToEnd;

/// <summary>
/// Collector nodes as separate processes on 127.0.0.1 forming one cluster with roles split between them:
/// entities live only on state nodes, an ingest+api node reaches them through shard proxies, a node leaves
/// gracefully on SIGTERM handing its hosts' state to the others, and a node whose seeds point nowhere says so and keeps trying.
/// </summary>
public sealed class ClusterFormationTests : IDisposable
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(60);
    private readonly string _dir = Directory.CreateTempSubdirectory("flowhive-cluster-").FullName;

    [Fact]
    public async Task Three_nodes_with_split_roles_serve_the_capture_totals_and_a_node_leaving_on_sigterm_hands_off_exact_totals()
    {
        var truth = await CaptureTruth.ComputeAsync(Repo.SampleCapture);
        var (portB, portC, portA) = (FreePort.Tcp(), FreePort.Tcp(), FreePort.Tcp());
        var (httpB, httpC, httpA) = (FreePort.Tcp(), FreePort.Tcp(), FreePort.Tcp());
        var seed = $"127.0.0.1:{portB}";

        // B is the first seed: it forms the cluster. B and C hold the entities and share one PostgreSQL store, where
        // they write the time series and checkpoint their entities.
        var store = $"postgresql;{await TestPostgres.CreateDatabaseAsync()}";
        await using var b = Node("b", portB, httpB, seed, "state,writer", "-F", store, "--checkpoint-interval", "1");
        using var apiB = new CollectorApi(httpB);
        await apiB.WaitHealthyAsync(b, Settle);
        await using var c = Node("c", portC, httpC, seed, "state,writer", "-F", store, "--checkpoint-interval", "1");
        using var apiC = new CollectorApi(httpC);
        await apiC.WaitHealthyAsync(c, Settle);

        // A takes the probe's flows and serves the API, holding no entity of its own.
        var zmq = FreePort.Tcp();
        await using var a = Node("a", portA, httpA, seed, "ingest,api", "-i", $"tcp://127.0.0.1:{zmq}");
        using var apiA = new CollectorApi(httpA);
        await apiA.WaitHealthyAsync(a, Settle);
        var view = await EventuallyAsync(apiA, v => Members(v).Count(m => m.Status == "up") == 3, "three members up", a);
        Assert.Equal(["api", "ingest"], Members(view).Single(m => m.Address.EndsWith($":{portA}", StringComparison.Ordinal)).Roles);
        Assert.Equal(["state", "writer"], Members(view).Single(m => m.Address.EndsWith($":{portC}", StringComparison.Ordinal)).Roles);
        Assert.Empty(view.GetProperty("unreachable").EnumerateArray());

        await using var probe = NodeProcess.Probe("-i", Repo.SampleCapture, "--zmq", $"tcp://127.0.0.1:{zmq}");
        Assert.True(await probe.WaitForExitAsync(TimeSpan.FromSeconds(90)) == 0, probe.Output);
        await TruthAssert.EventuallyEqualAsync(truth, async () => (await apiA.HostsAsync(0)).Select(h => (h.Vlan, h.Ip, h.BytesSent, h.BytesRcvd, h.PacketsSent, h.PacketsRcvd)),
            Settle, () => a.Output + b.Output + c.Output);

        // Entities exist only where the state role is: one host entity per host, all on B and C.
        view = await EventuallyAsync(apiA, v => HostEntities(v).Values.Sum() == truth.Count, $"{truth.Count} host entities", a);
        var placement = HostEntities(view);
        Assert.DoesNotContain(placement.Keys, address => address.EndsWith($":{portA}", StringComparison.Ordinal));

        // SIGTERM: C hands its shards off and leaves; it is removed, never seen unreachable, and exits 0.
        c.Terminate();
        Assert.True(await c.WaitForExitAsync(TimeSpan.FromSeconds(60)) == 0, c.Output);
        view = await EventuallyAsync(apiA, v => Members(v).Count == 2, "two members after C left", a);
        Assert.Empty(view.GetProperty("unreachable").EnumerateArray());
        Assert.DoesNotContain("member unreachable", a.Output + b.Output, StringComparison.Ordinal);
        await EventuallyLoggedAsync(b, "member removed");

        // C's entities saved their state as they were handed off, and B loaded it: every host, in the interface's
        // index and in its own entity, still has exactly the capture's totals.
        await TruthAssert.EventuallyEqualAsync(truth, async () => (await apiA.HostsAsync(0)).Select(h => (h.Vlan, h.Ip, h.BytesSent, h.BytesRcvd, h.PacketsSent, h.PacketsRcvd)),
            Settle, () => a.Output + b.Output);
        await TruthAssert.EventuallyEqualAsync(truth, async () => (await apiA.HostDetailsAsync(0, truth.Keys)).Select(h => (h.Vlan, h.Ip, h.BytesSent, h.BytesRcvd, h.PacketsSent, h.PacketsRcvd)),
            Settle, () => a.Output + b.Output);
        view = await apiA.GetJsonAsync("/api/v1/cluster");
        Assert.Equal(truth.Count, HostEntities(view).Values.Sum());
    }

    [Fact]
    public async Task A_node_whose_seeds_point_nowhere_warns_repeatedly_reports_unhealthy_and_still_stops_on_sigterm()
    {
        var http = FreePort.Tcp();
        var nowhere = FreePort.Tcp();
        await using var node = Node("lonely", FreePort.Tcp(), http, $"127.0.0.1:{nowhere}", "state,writer,api");
        using var api = new CollectorApi(http);

        await EventuallyLoggedAsync(node, "not in the cluster after");
        Assert.False(node.HasExited, node.Output);
        Assert.Contains($"127.0.0.1:{nowhere}", node.Output, StringComparison.Ordinal);
        using var health = await api.Http.GetAsync("/health");
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, health.StatusCode);

        node.Terminate();
        Assert.Equal(0, await node.WaitForExitAsync(TimeSpan.FromSeconds(60)));
    }

    [Theory]
    [InlineData("--cluster-roles=ingest,cook", "unknown role 'cook'")]
    [InlineData("--cluster-roles=,", "no role given")]
    [InlineData("--seed-nodes=10.0.0.1", "has no port")]
    [InlineData("--seed-nodes=akka.tcp://other@10.0.0.1:4053", "is not a node of this cluster")]
    public async Task Collector_rejects_bad_cluster_flags_with_one_line_and_exit_code_2(string flag, string expected)
    {
        await using var node = NodeProcess.Collector("-i", "tcp://127.0.0.1:1", "-d", _dir, flag);
        Assert.Equal(2, await node.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        var line = Assert.Single(node.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Flow_sources_on_a_node_without_the_ingest_role_are_refused()
    {
        await using var node = NodeProcess.Collector("-i", "tcp://127.0.0.1:1", "-d", _dir, "--cluster-roles=state,writer");
        Assert.Equal(2, await node.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("need the ingest role", node.Output, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private NodeProcess Node(string name, int clusterPort, int httpPort, string seeds, string roles, params string[] extra) =>
        NodeProcess.Collector([
            "--cluster-port", clusterPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--seed-nodes", seeds,
            "--cluster-roles", roles,
            "-w", $"127.0.0.1:{httpPort}",
            "-d", Directory.CreateDirectory(Path.Combine(_dir, name)).FullName,
            "--flush-interval", "1",
            .. extra,
        ]);

    private static async Task<JsonElement> EventuallyAsync(CollectorApi api, Func<JsonElement, bool> done, string what, NodeProcess node)
    {
        var deadline = DateTime.UtcNow + Settle;
        JsonElement view = default;
        while (DateTime.UtcNow < deadline)
        {
            view = await api.GetJsonAsync("/api/v1/cluster");
            if (done(view))
            {
                return view;
            }

            await Task.Delay(500);
        }

        throw new TimeoutException($"cluster view never showed {what}: {view}\n{node.Output}");
    }

    private static async Task EventuallyLoggedAsync(NodeProcess node, string text)
    {
        var deadline = DateTime.UtcNow + Settle;
        while (!node.Output.Contains(text, StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, $"{node.Name} never logged '{text}':\n{node.Output}");
            await Task.Delay(250);
        }
    }

    private static List<(string Address, string Status, string[] Roles)> Members(JsonElement view) =>
        [.. view.GetProperty("members").EnumerateArray().Select(m => (m.GetProperty("address").GetString()!, m.GetProperty("status").GetString()!,
            m.GetProperty("roles").EnumerateArray().Select(r => r.GetString()!).ToArray()))];

    private static Dictionary<string, int> HostEntities(JsonElement view) =>
        view.GetProperty("sharding").GetProperty("host").EnumerateArray()
            .ToDictionary(r => r.GetProperty("address").GetString()!, r => r.GetProperty("entities").GetInt32());
}
