using Flowhive.EndToEnd.Support;

namespace Flowhive.EndToEnd;

/// <summary>
/// CURVE encryption as ntopng and nProbe do it: the collector is the server and publishes its public key; a probe
/// with that key gets through, a probe with another key or none gets nothing through.
/// </summary>
public sealed class EncryptionTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("flowhive-curve-").FullName;
    private IReadOnlyDictionary<(ushort Vlan, string Ip), HostTruth> _truth = null!;

    public async Task InitializeAsync() => _truth = await CaptureTruth.ComputeAsync(Repo.SampleCapture);

    public Task DisposeAsync()
    {
        Directory.Delete(_dir, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Only_a_probe_holding_the_collectors_public_key_gets_flows_through()
    {
        var zmq = FreePort.Tcp();
        var http = FreePort.Tcp();
        // The collector binds ('c') so the probes connect in probe mode, each as a fresh CURVE client.
        await using var collector = NodeProcess.Collector("-i", $"tcp://127.0.0.1:{zmq}c", "-w", $"127.0.0.1:{http}", "-d", _dir, "--zmq-encryption");
        using var api = new CollectorApi(http);
        await api.WaitHealthyAsync(collector, TimeSpan.FromSeconds(60));

        var encryption = (await api.GetJsonAsync("/api/v1/interfaces/0")).GetProperty("encryption");
        var publicHex = encryption.GetProperty("public_key").GetString()!;
        var publicZ85 = encryption.GetProperty("public_key_z85").GetString()!;
        Assert.Equal(publicZ85, (await File.ReadAllTextAsync(Path.Combine(_dir, "zmq-key.pub"))).Trim());
        Assert.Contains(publicZ85, collector.Output, StringComparison.Ordinal);

        // A plain probe and a probe with someone else's key: their handshakes fail, nothing is received.
        await using (var plain = NodeProcess.Probe("-i", Repo.SampleCapture, "--zmq", $"tcp://127.0.0.1:{zmq}", "--zmq-probe-mode", "--zmq-wait-collector", "2"))
        {
            Assert.Equal(0, await plain.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            Assert.Contains("no collector subscribed", plain.Output, StringComparison.Ordinal);
        }

        var otherKey = new NetMQ.NetMQCertificate().PublicKeyZ85;
        await using (var wrong = NodeProcess.Probe("-i", Repo.SampleCapture, "--zmq", $"tcp://127.0.0.1:{zmq}", "--zmq-probe-mode", "--zmq-wait-collector", "2",
                         "--zmq-encryption-key", otherKey))
        {
            Assert.Equal(0, await wrong.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            Assert.Contains("no collector subscribed", wrong.Output, StringComparison.Ordinal);
        }

        var stats = (await api.GetJsonAsync("/api/v1/interfaces/0")).GetProperty("zmqRecvStats");
        Assert.Equal(0, stats.GetProperty("zmq_msg_rcvd").GetInt64());

        // The right key, in the hex form ntopng's GUI shows: every host's totals arrive intact.
        await using var good = NodeProcess.Probe("-i", Repo.SampleCapture, "--zmq", $"tcp://127.0.0.1:{zmq}", "--zmq-probe-mode", "--zmq-encryption-key", publicHex);
        Assert.True(await good.WaitForExitAsync(TimeSpan.FromSeconds(60)) == 0, good.Output);
        Assert.Contains("a collector subscribed", good.Output, StringComparison.Ordinal);
        await TruthAssert.EventuallyEqualAsync(_truth, async () => (await api.HostsAsync(0)).Select(h => (h.Vlan, h.Ip, h.BytesSent, h.BytesRcvd, h.PacketsSent, h.PacketsRcvd)),
            TimeSpan.FromSeconds(30), () => collector.Output + good.Output);
    }

    [Fact]
    public async Task The_key_pair_survives_a_restart_and_a_bad_key_file_is_a_clear_error()
    {
        var http = FreePort.Tcp();
        await using (var first = NodeProcess.Collector("-i", $"tcp://127.0.0.1:{FreePort.Tcp()}c", "-w", $"127.0.0.1:{http}", "-d", _dir, "--zmq-encryption"))
        {
            using var api = new CollectorApi(http);
            await api.WaitHealthyAsync(first, TimeSpan.FromSeconds(60));
            first.Terminate();
            Assert.Equal(0, await first.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        }

        var publicKey = await File.ReadAllTextAsync(Path.Combine(_dir, "zmq-key.pub"));
        http = FreePort.Tcp();
        await using (var second = NodeProcess.Collector("-i", $"tcp://127.0.0.1:{FreePort.Tcp()}c", "-w", $"127.0.0.1:{http}", "-d", _dir, "--zmq-encryption"))
        {
            using var api = new CollectorApi(http);
            await api.WaitHealthyAsync(second, TimeSpan.FromSeconds(60));
            Assert.Equal(publicKey.Trim(), (await api.GetJsonAsync("/api/v1/interfaces/0")).GetProperty("encryption").GetProperty("public_key_z85").GetString());
        }

        await File.WriteAllTextAsync(Path.Combine(_dir, "zmq-key.priv"), "not a key\n");
        await using var broken = NodeProcess.Collector("-i", $"tcp://127.0.0.1:{FreePort.Tcp()}c", "-w", $"127.0.0.1:{FreePort.Tcp()}", "-d", _dir, "--zmq-encryption");
        Assert.Equal(1, await broken.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("zmq-key.priv: not a CURVE secret key", broken.Output, StringComparison.Ordinal);
    }
}
