using Flowhive.EndToEnd.Support;

namespace Flowhive.EndToEnd;

/// <summary>
/// Every ZeroMQ send option of the probe, end to end: one collector with an interface per option (each <c>-i</c> its
/// own interface id), one probe per option replaying the sample capture into it. Each interface must hold exactly the
/// capture's per-host totals, must have received its messages in the announced format, and must have refused nothing.
/// </summary>
public sealed class SendOptionsTests() : SampleCaptureTest("flowhive-send-")
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(60);

    /// <summary>The probe flags, and the format the collector must report receiving flows in ("v4 tlv zlib"...).</summary>
    private static readonly (string[] Flags, string FlowFormat)[] Cases =
    [
        (["--zmq-msg-version", "4"], "v4 tlv"),
        (["--zmq-format", "j"], "v2 json"),
        (["--zmq-format", "j", "--json-labels"], "v2 json"),
        (["--zmq-msg-version", "4", "--zmq-enable-compression"], "v4 tlv zlib"),
        (["--zmq-format", "j", "--zmq-enable-compression"], "v2 json zlib"),
    ];


    [Fact]
    public async Task Each_send_option_gets_every_flow_of_the_capture_to_the_collector()
    {
        var ports = Cases.Select(_ => FreePort.Tcp()).ToArray();
        var http = FreePort.Tcp();
        string[] collectorArgs = [.. ports.SelectMany(p => new[] { "-i", $"tcp://127.0.0.1:{p}" }), "-w", $"127.0.0.1:{http}", "-d", DataDir];
        await using var collector = NodeProcess.Collector(collectorArgs);
        using var api = new CollectorApi(http);
        await api.WaitHealthyAsync(collector, TimeSpan.FromSeconds(60));

        for (var ifid = 0; ifid < Cases.Length; ifid++)
        {
            var (flags, format) = Cases[ifid];
            var what = string.Join(' ', flags);
            await using var probe = NodeProcess.Probe(["-i", Repo.SampleCapture, "--zmq", $"tcp://127.0.0.1:{ports[ifid]}", .. flags]);
            Assert.True(await probe.WaitForExitAsync(TimeSpan.FromSeconds(90)) == 0, what + "\n" + probe.Output);

            var id = ifid;
            await TruthAssert.EventuallyEqualAsync(Truth,
                async () => (await api.HostsAsync(id)).Select(h => (h.Vlan, h.Ip, h.BytesSent, h.BytesRcvd, h.PacketsSent, h.PacketsRcvd)),
                Settle, () => what + "\n" + collector.Output + probe.Output);

            var iface = await api.GetJsonAsync($"/api/v1/interfaces/{ifid}");
            var formats = iface.GetProperty("received_formats");
            Assert.True(formats.TryGetProperty(format, out var count) && count.GetInt64() > 0, $"{what}: no flow message as '{format}' in {formats}");
            Assert.Empty(iface.GetProperty("rejected_messages").EnumerateObject());
            var stats = iface.GetProperty("zmqRecvStats");
            Assert.Equal(0, stats.GetProperty("zmq_msg_drops").GetInt64());
            Assert.Equal(0, stats.GetProperty("dropped_flows").GetInt64());
            Assert.True(stats.GetProperty("hellos").GetInt64() >= 1, $"{what}: no hello");
            Assert.True(stats.GetProperty("templates").GetInt64() >= 1, $"{what}: no template");
            Assert.True(stats.GetProperty("events").GetInt64() >= 1, $"{what}: no event");
        }
    }
}
