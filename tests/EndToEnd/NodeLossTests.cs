using System.Globalization;
using System.Text.Json;
using Flowhive.EndToEnd.Support;
using Xunit.Abstractions;

namespace Flowhive.EndToEnd;

/// <summary>
/// Three collector processes on 127.0.0.1 sharing one PostgreSQL store, a probe replaying the sample capture, and one
/// collector killed with SIGKILL mid-stream: its hosts come back on the other two from their checkpoints, it restarts
/// and rejoins, no host is ever counted twice, and a replay after the kill adds exactly the capture's totals.
/// </summary>
public sealed class NodeLossTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(90);
    private readonly string _dir = Directory.CreateTempSubdirectory("flowhive-nodeloss-").FullName;

    [Fact]
    public async Task A_collector_killed_mid_stream_loses_no_host_counts_none_twice_and_a_replay_after_it_adds_exactly_the_capture()
    {
        var truth = await CaptureTruth.ComputeAsync(Repo.SampleCapture);
        var store = $"postgresql;{await TestPostgres.CreateDatabaseAsync()}";
        var (portA, portB, portC) = (FreePort.Tcp(), FreePort.Tcp(), FreePort.Tcp());
        var (httpA, httpB, httpC) = (FreePort.Tcp(), FreePort.Tcp(), FreePort.Tcp());
        var zmq = FreePort.Tcp();
        var seed = $"127.0.0.1:{portB}";

        // Every node holds entities; A also takes the probe's flows and serves the API.
        await using var b = Node("b", portB, httpB, seed, "state,writer", store);
        using var apiB = new CollectorApi(httpB);
        await apiB.WaitHealthyAsync(b, Settle);
        var c = Node("c", portC, httpC, seed, "state,writer", store);
        try
        {
            await new CollectorApi(httpC).WaitHealthyAsync(c, Settle);
            await using var a = Node("a", portA, httpA, seed, "ingest,api,state,writer", store, "-i", $"tcp://127.0.0.1:{zmq}");
            using var api = new CollectorApi(httpA);
            await api.WaitHealthyAsync(a, Settle);
            await EventuallyAsync(api, v => Members(v).Count(m => m.Status == "up") == 3, "three members up", a);

            // The capture at 4x (about 14 s), flows exported after 1 s idle or 5 s active: a stream, not one burst at the end.
            string[] probeArgs = ["-i", Repo.SampleCapture, "-d", "1", "-t", "5", "--zmq", $"tcp://127.0.0.1:{zmq}"];
            await using (var probe = NodeProcess.Probe([.. probeArgs, "--replay-speed", "4x"]))
            {
                // Mid-stream: once C owns hosts and has had time to checkpoint them.
                await EventuallyAsync(api, v => EntitiesOn(v, portC) > 0, "host entities on C", a);
                await Task.Delay(TimeSpan.FromSeconds(2.5));
                Assert.False(probe.HasExited, "the replay ended before the kill: it is not mid-stream any more");
                c.Kill();
                output.WriteLine($"killed C at {DateTime.UtcNow:HH:mm:ss.fff}");
                Assert.True(await probe.WaitForExitAsync(Settle) == 0, probe.Output);
            }

            // C comes back on the same address; the cluster replaces the dead incarnation with it.
            await c.DisposeAsync();
            c = Node("c", portC, httpC, seed, "state,writer", store);
            await EventuallyAsync(api, v => Members(v).Count(m => m.Status == "up") == 3 && !v.GetProperty("unreachable").EnumerateArray().Any(),
                "three members up and none unreachable after the restart", a);

            // Every host is served with exactly the capture's totals: what C had checkpointed came back from the store,
            // and what it had not (or never received) came again from A's resend, nothing twice.
            await TruthAssert.EventuallyEqualAsync(truth, async () => Rows(await api.HostDetailsAsync(0, truth.Keys)), Settle, () => a.Output + b.Output + c.Output);
            await TruthAssert.EventuallyEqualAsync(truth, async () => Rows(await api.HostsAsync(0)), Settle, () => a.Output + b.Output + c.Output);
            var afterKill = await StableAsync(async () => await api.HostDetailsAsync(0, truth.Keys));
            var lost = 0L;
            foreach (var h in afterKill)
            {
                var t = truth[(h.Vlan, h.Ip)];
                Assert.True(h.BytesSent <= t.BytesSent && h.BytesRcvd <= t.BytesRcvd && h.PacketsSent <= t.PacketsSent && h.PacketsRcvd <= t.PacketsRcvd,
                    $"{h.Ip} counted above the capture: {h} vs {t}");
                lost += t.BytesSent + t.BytesRcvd - h.BytesSent - h.BytesRcvd;
            }

            var total = truth.Values.Sum(t => t.BytesSent + t.BytesRcvd);
            output.WriteLine($"after the kill: {afterKill.Count}/{truth.Count} hosts served, {lost} of {total} bytes lost ({100.0 * lost / total:F1} %)");
            // C's shards went to whichever node had the fewest when they were next used, the new C included.
            using var apiC = new CollectorApi(httpC);
            var restored = 0L;
            foreach (var node in new[] { api, apiB, apiC })
            {
                restored += RestoredHosts(await node.GetJsonAsync("/api/v1/cluster"));
            }

            Assert.True(restored > 0, "no host entity started from a checkpoint");
            var iface = await api.GetJsonAsync("/api/v1/interfaces/0");
            var (resent, overflow) = (iface.GetProperty("deltas_resent").GetInt64(), iface.GetProperty("deltas_resend_overflow").GetInt64());
            var skipped = 0L;
            foreach (var node in new[] { api, apiB, apiC })
            {
                skipped += (await node.GetJsonAsync("/api/v1/cluster")).GetProperty("checkpoints").GetProperty("duplicates_skipped").GetInt64();
            }

            output.WriteLine($"host entities restored from checkpoints: {restored}; deltas resent by A: {resent}, skipped as already applied: {skipped}");
            Assert.True(resent > 0, "A never resent its recent deltas after C was lost");
            Assert.True(skipped > 0, "no resent delta was recognised as applied before");
            Assert.Equal(0, overflow);

            // A replay after the kill: every host gains exactly the capture's totals, in its entity and in the index.
            var indexBefore = await StableAsync(async () => await api.HostsAsync(0));
            await using (var probe = NodeProcess.Probe(probeArgs))
            {
                Assert.True(await probe.WaitForExitAsync(Settle) == 0, probe.Output);
            }

            await TruthAssert.EventuallyEqualAsync(Plus(truth, afterKill), async () => Rows(await api.HostDetailsAsync(0, truth.Keys)), Settle, () => a.Output + b.Output + c.Output);
            await TruthAssert.EventuallyEqualAsync(Plus(truth, indexBefore), async () => Rows(await api.HostsAsync(0)), Settle, () => a.Output + b.Output + c.Output);
            Assert.True(afterKill.Count == truth.Count, $"{truth.Count - afterKill.Count} hosts were not served after the kill (all their traffic went to C after its last checkpoint)");
        }
        finally
        {
            await c.DisposeAsync();
        }
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private NodeProcess Node(string name, int clusterPort, int httpPort, string seeds, string roles, string store, params string[] extra) =>
        NodeProcess.Collector([
            "--cluster-port", clusterPort.ToString(CultureInfo.InvariantCulture),
            "--seed-nodes", seeds,
            "--cluster-roles", roles,
            "-w", $"127.0.0.1:{httpPort}",
            "-d", Directory.CreateDirectory(Path.Combine(_dir, name)).FullName,
            "-F", store,
            "--flush-interval", "1",
            "--checkpoint-interval", "1",
            .. extra,
        ]);

    /// <summary>Expected totals: the capture added to what each host had before.</summary>
    private static Dictionary<(ushort Vlan, string Ip), HostTruth> Plus(IReadOnlyDictionary<(ushort Vlan, string Ip), HostTruth> truth, IReadOnlyList<ApiHost> before)
    {
        var had = before.ToDictionary(h => (h.Vlan, h.Ip));
        return truth.ToDictionary(p => p.Key, p => had.TryGetValue(p.Key, out var h)
            ? p.Value with { BytesSent = p.Value.BytesSent + h.BytesSent, BytesRcvd = p.Value.BytesRcvd + h.BytesRcvd, PacketsSent = p.Value.PacketsSent + h.PacketsSent, PacketsRcvd = p.Value.PacketsRcvd + h.PacketsRcvd }
            : p.Value);
    }

    private static IEnumerable<(ushort, string, long, long, long, long)> Rows(IEnumerable<ApiHost> hosts) =>
        hosts.Select(h => (h.Vlan, h.Ip, h.BytesSent, h.BytesRcvd, h.PacketsSent, h.PacketsRcvd));

    /// <summary>Reads until two reads two seconds apart agree: in-flight updates and checkpoint loads have settled.</summary>
    private static async Task<IReadOnlyList<ApiHost>> StableAsync(Func<Task<IReadOnlyList<ApiHost>>> read)
    {
        var deadline = DateTime.UtcNow + Settle;
        var last = await read();
        while (true)
        {
            await Task.Delay(2_000);
            var next = await read();
            if (next.SequenceEqual(last))
            {
                return next;
            }

            Assert.True(DateTime.UtcNow < deadline, "the hosts' totals never stopped changing");
            last = next;
        }
    }

    private static async Task EventuallyAsync(CollectorApi api, Func<JsonElement, bool> done, string what, NodeProcess node)
    {
        var deadline = DateTime.UtcNow + Settle;
        JsonElement view = default;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                view = await api.GetJsonAsync("/api/v1/cluster");
                if (done(view))
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"cluster view never showed {what}: {view}\n{node.Output}");
    }

    private static List<(string Address, string Status)> Members(JsonElement view) =>
        [.. view.GetProperty("members").EnumerateArray().Select(m => (m.GetProperty("address").GetString()!, m.GetProperty("status").GetString()!))];

    private static int EntitiesOn(JsonElement view, int port) =>
        view.GetProperty("sharding").GetProperty("host").EnumerateArray()
            .Where(r => r.GetProperty("address").GetString()!.EndsWith($":{port}", StringComparison.Ordinal))
            .Sum(r => r.GetProperty("entities").GetInt32());

    private static long RestoredHosts(JsonElement view) => view.GetProperty("checkpoints").GetProperty("hosts_restored").GetInt64();
}
