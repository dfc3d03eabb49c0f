using System.Text.Json;
using Flowhive.EndToEnd.Support;

namespace Flowhive.EndToEnd;

/// <summary>
/// Loss accounting and reconnection across restarts, in both connection directions, with a probe that streams for as
/// long as the test runs (the sample capture looped at 4x speed, flows exported after 1 s idle). ZeroMQ reconnects by
/// itself; what the collector shows afterwards follows ntopng's msg_id rules:
/// <list type="bullet">
/// <item>A restarted probe starts again at msg_id 0: a rollback, counted as such, not four billion drops.</item>
/// <item>A restarted collector first sees the probe's msg_id above 0. That is not counted as dropped messages (this
/// collector cannot know what was meant for it before it existed, and ntopng does not count it either); the number
/// stays visible as the probe's <c>first_msg_id</c>. How big it is depends on the direction: when the probe binds
/// (default), its PUB socket drops what it sends while no collector is connected, so the restarted collector starts
/// well past the last id the old one saw; when the probe connects (<c>--zmq-probe-mode</c>), ZeroMQ keeps the
/// connection's queue (up to the send high-water mark) while it reconnects, and the restarted collector receives
/// what was sent during the outage, starting right after the old one's last id.</item>
/// </list>
/// </summary>
public sealed class RestartTests : IDisposable
{
    private const uint SourceId = 4711;

    /// <summary>
    /// Messages that may reach the old collector between reading its last msg_id and killing it. The outage itself
    /// (3 s plus a collector start) spans many more: flows go out in 200 ms batches and events every 5 s.
    /// </summary>
    private const uint ReadToKillSlack = 3;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(90);
    private readonly string _dataDir = Directory.CreateTempSubdirectory("flowhive-restart-").FullName;

    public void Dispose() => Directory.Delete(_dataDir, recursive: true);

    private static NodeProcess StreamingProbe(int zmq, bool probeMode) => NodeProcess.Probe(
    [
        "-i", Repo.SampleCapture, "--replay-speed", "4x", "--replay-loop", "0", "-d", "1", "-t", "5",
        "--source-id", SourceId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        .. probeMode ? new[] { "--zmq", $"tcp://127.0.0.1:{zmq}", "--zmq-probe-mode" } : ["--zmq", $"tcp://*:{zmq}"],
    ]);

    private NodeProcess Collector(int zmq, int http, bool probeMode) => NodeProcess.Collector(
        "-i", probeMode ? $"tcp://127.0.0.1:{zmq}c" : $"tcp://127.0.0.1:{zmq}", "-w", $"127.0.0.1:{http}", "-d", _dataDir);

    private static async Task<JsonElement> ProbeStatsAsync(CollectorApi api)
    {
        var iface = await api.GetJsonAsync("/api/v1/interfaces/0");
        return iface.GetProperty("probes").EnumerateArray().Single(p => p.GetProperty("source_id").GetUInt32() == SourceId);
    }

    private static async Task<long> FlowsAsync(CollectorApi api) =>
        (await api.GetJsonAsync("/api/v1/interfaces/0")).GetProperty("zmqRecvStats").GetProperty("flows").GetInt64();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_killed_and_restarted_probe_is_reconnected_and_its_restart_shows_as_a_rollback(bool probeMode)
    {
        var zmq = FreePort.Tcp();
        var http = FreePort.Tcp();
        await using var collector = Collector(zmq, http, probeMode);
        using var api = new CollectorApi(http);
        await api.WaitHealthyAsync(collector, TimeSpan.FromSeconds(60));

        long before;
        await using (var first = StreamingProbe(zmq, probeMode))
        {
            await Eventually.TrueAsync(async () => await FlowsAsync(api) > 0, Wait, "flows from the first probe", () => collector.Output + first.Output);
            Assert.Equal(0, (await ProbeStatsAsync(api)).GetProperty("rollbacks").GetInt32());
        }

        // Killed (SIGKILL, mid-stream) on leaving the block; a new process with the same source id takes over.
        before = await FlowsAsync(api);
        await using var second = StreamingProbe(zmq, probeMode);
        await Eventually.TrueAsync(async () => await FlowsAsync(api) > before, Wait, "flows after the probe restart", () => collector.Output + second.Output);
        var stats = await ProbeStatsAsync(api);
        Assert.Equal(1, stats.GetProperty("rollbacks").GetInt32());
        Assert.Equal(0, stats.GetProperty("drops").GetInt64());
        Assert.False(collector.HasExited);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_restarted_collector_gets_the_stream_back_and_shows_the_msg_ids_it_never_saw(bool probeMode)
    {
        var zmq = FreePort.Tcp();
        var http = FreePort.Tcp();
        await using var probe = StreamingProbe(zmq, probeMode);
        uint lastBeforeRestart;
        await using (var first = Collector(zmq, http, probeMode))
        {
            using var api = new CollectorApi(http);
            await api.WaitHealthyAsync(first, TimeSpan.FromSeconds(60));
            await Eventually.TrueAsync(async () => await FlowsAsync(api) > 0, Wait, "flows before the collector restart", () => first.Output + probe.Output);
            lastBeforeRestart = (await ProbeStatsAsync(api)).GetProperty("last_msg_id").GetUInt32();
        }

        // The probe keeps streaming (and counting msg_ids) while no collector listens.
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.False(probe.HasExited, probe.Output);

        http = FreePort.Tcp();
        await using var second = Collector(zmq, http, probeMode);
        using var secondApi = new CollectorApi(http);
        await secondApi.WaitHealthyAsync(second, TimeSpan.FromSeconds(60));
        await Eventually.TrueAsync(async () => await FlowsAsync(secondApi) > 0, Wait, "flows after the collector restart", () => second.Output + probe.Output);

        var stats = await ProbeStatsAsync(secondApi);
        var firstSeen = stats.GetProperty("first_msg_id").GetUInt32();
        Assert.True(firstSeen > 0, $"a probe that kept running cannot start again at msg_id 0: {stats}");
        if (probeMode)
        {
            Assert.True(firstSeen <= lastBeforeRestart + 1 + ReadToKillSlack,
                $"the connecting probe's queue should carry the outage to the new collector, from about {lastBeforeRestart + 1}: {stats}");
        }
        else
        {
            Assert.True(firstSeen > lastBeforeRestart + 1 + ReadToKillSlack,
                $"the binding probe drops what it sends with nobody connected, so ids after {lastBeforeRestart + 1} are missing: {stats}");
        }

        Assert.Equal(0, stats.GetProperty("drops").GetInt64());
        Assert.Equal(0, stats.GetProperty("rollbacks").GetInt32());
    }
}
