using Flowhive.EndToEnd.Support;

namespace Flowhive.EndToEnd;

/// <summary>
/// One <c>-i</c> with a label and two endpoints in opposite directions (connect to a binding probe, bind for a probe in
/// probe mode): one interface that receives both probes, tells them apart by source_id, and holds both replays.
/// </summary>
public sealed class MultiEndpointTests() : SampleCaptureTest("flowhive-multi-")
{

    [Fact]
    public async Task Two_probes_on_one_interface_in_both_directions_add_up()
    {
        var toProbe = FreePort.Tcp();
        var forProbes = FreePort.Tcp();
        var http = FreePort.Tcp();
        await using var collector = NodeProcess.Collector("-i", $"edge@tcp://127.0.0.1:{toProbe},tcp://127.0.0.1:{forProbes}c", "-w", $"127.0.0.1:{http}", "-d", DataDir);
        using var api = new CollectorApi(http);
        await api.WaitHealthyAsync(collector, TimeSpan.FromSeconds(60));

        await using var binding = NodeProcess.Probe("-i", Repo.SampleCapture, "--zmq", $"tcp://127.0.0.1:{toProbe}", "--source-id", "1");
        await using var connecting = NodeProcess.Probe("-i", Repo.SampleCapture, "--zmq", $"tcp://127.0.0.1:{forProbes}", "--zmq-probe-mode", "--source-id", "2");
        Assert.True(await binding.WaitForExitAsync(TimeSpan.FromSeconds(90)) == 0, binding.Output);
        Assert.True(await connecting.WaitForExitAsync(TimeSpan.FromSeconds(90)) == 0, connecting.Output);

        // The same capture twice: every host's totals doubled.
        var doubled = Truth.ToDictionary(t => t.Key, t => t.Value with
        {
            BytesSent = t.Value.BytesSent * 2,
            BytesRcvd = t.Value.BytesRcvd * 2,
            PacketsSent = t.Value.PacketsSent * 2,
            PacketsRcvd = t.Value.PacketsRcvd * 2,
        });
        await TruthAssert.EventuallyEqualAsync(doubled,
            async () => (await api.HostsAsync(0)).Select(h => (h.Vlan, h.Ip, h.BytesSent, h.BytesRcvd, h.PacketsSent, h.PacketsRcvd)),
            TimeSpan.FromSeconds(60), () => collector.Output + binding.Output + connecting.Output);

        var iface = await api.GetJsonAsync("/api/v1/interfaces/0");
        Assert.Equal("edge", iface.GetProperty("name").GetString());
        var probes = iface.GetProperty("probes").EnumerateArray().ToDictionary(p => p.GetProperty("source_id").GetUInt32(), p => p.GetProperty("flows").GetInt64());
        Assert.Equal([1u, 2u], probes.Keys.Order());
        Assert.Equal(probes[1], probes[2]);
        Assert.True(probes[1] > 0);
        var list = await api.GetJsonAsync("/api/v1/interfaces");
        Assert.Equal(2, list[0].GetProperty("endpoints").GetArrayLength());
    }
}
