using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Flowhive.EndToEnd.Support;

namespace Flowhive.EndToEnd;

/// <summary>
/// The probe's JSON exports with real processes: flows dumped to stdout, to rotated files and to a syslog
/// receiver are summed per host from IN_/OUT_BYTES and IN_/OUT_PKTS, and must equal what tshark counts.
/// </summary>
public sealed partial class JsonDumpTests : IAsyncLifetime
{
    private static readonly TimeSpan Run = TimeSpan.FromSeconds(90);
    private readonly string _dir = Directory.CreateTempSubdirectory("flowhive-json-").FullName;
    private IReadOnlyDictionary<(ushort Vlan, string Ip), HostTruth> _truth = null!;

    public async Task InitializeAsync() => _truth = await CaptureTruth.ComputeAsync(Repo.SampleCapture);

    public Task DisposeAsync()
    {
        Directory.Delete(_dir, recursive: true);
        return Task.CompletedTask;
    }

    [GeneratedRegex(@"^<\d{1,3}>1 \S+ \S+ flowhive-probe \d+ flow - (?<msg>\{.*\})$", RegexOptions.Singleline)]
    private static partial Regex SyslogFlow();

    [Fact]
    public async Task Json_to_stdout_is_only_json_lines_and_the_per_host_totals_match_the_capture()
    {
        await using var probe = NodeProcess.Probe("-i", Repo.SampleCapture, "--dump-path", "-");
        Assert.True(await probe.WaitForExitAsync(Run) == 0, probe.Output);

        var lines = probe.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(lines);
        var totals = new Totals();
        foreach (var line in lines)
        {
            totals.Add(line, probe.Output);
        }

        Assert.Null(TruthAssert.Differences(_truth, totals.Hosts));

        // The logs went to stderr: they are in the combined output but not on stdout.
        Assert.Contains("JSON dump: writing flows to stdout", probe.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_files_rotate_complete_and_their_per_host_totals_match_the_capture()
    {
        var dump = Path.Combine(_dir, "flows");

        // A paced replay (8x: about 7 s) with 1-second files and a 1 s idle timeout, so flows end throughout the run.
        await using var probe = NodeProcess.Probe("-i", Repo.SampleCapture, "-P", dump, "-F", "1", "-d", "1", "--replay-speed", "8x");
        Assert.True(await probe.WaitForExitAsync(Run) == 0, probe.Output);

        var files = Directory.EnumerateFiles(dump, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        var listing = string.Join('\n', files);
        Assert.DoesNotContain(files, f => f.EndsWith(".temp", StringComparison.Ordinal));
        Assert.True(files.Count > 1, $"expected several files, one per second with flows:\n{listing}\n{probe.Output}");

        // nProbe's layout: YYYY/MM/DD/HH/MM.flows, sub-minute periods as MM-SS.flows.
        foreach (var file in files)
        {
            var relative = Path.GetRelativePath(dump, file).Replace(Path.DirectorySeparatorChar, '/');
            Assert.Matches(@"^\d{4}/\d{2}/\d{2}/\d{2}/\d{2}(-\d{2})?(_\d+)?\.flows$", relative);
        }

        var totals = new Totals();
        foreach (var file in files)
        {
            foreach (var line in await File.ReadAllLinesAsync(file))
            {
                totals.Add(line, listing);
            }
        }

        Assert.Null(TruthAssert.Differences(_truth, totals.Hosts));
        Assert.Contains($"flow file '{files[^1]}' is now available", probe.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Syslog_over_udp_carries_every_flow_and_the_per_host_totals_match_the_capture()
    {
        using var receiver = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        receiver.Client.ReceiveBufferSize = 8 << 20;
        var port = ((IPEndPoint)receiver.Client.LocalEndPoint!).Port;
        var messages = new List<string>();
        using var stop = new CancellationTokenSource();
        var reading = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    var datagram = await receiver.ReceiveAsync(stop.Token);
                    messages.Add(Encoding.UTF8.GetString(datagram.Buffer));
                }
            }
            catch (OperationCanceledException)
            {
                // The probe is done and the socket drained.
            }
        });

        // Paced (about 3 s) with a short idle timeout, so datagrams come throughout rather than in one burst at the end.
        await using var probe = NodeProcess.Probe("-i", Repo.SampleCapture, "--syslog-flows", $"udp://127.0.0.1:{port}", "-d", "2", "--replay-speed", "20x");
        Assert.True(await probe.WaitForExitAsync(Run) == 0, probe.Output);

        // Loopback datagrams are already queued when the probe exits; wait until the reader has taken them all.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (receiver.Available > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        await stop.CancelAsync();
        await reading;

        var totals = new Totals();
        foreach (var message in messages)
        {
            var match = SyslogFlow().Match(message);
            Assert.True(match.Success, "not an RFC 5424 flow message: " + message);
            totals.Add(match.Groups["msg"].Value, probe.Output);
        }

        Assert.Null(TruthAssert.Differences(_truth, totals.Hosts));
    }

    /// <summary>Per-host sums over flow objects: the client (SRC) sent IN_* and received OUT_*, the server the reverse.</summary>
    private sealed class Totals
    {
        private readonly Dictionary<(ushort, string), long[]> _hosts = [];

        public IEnumerable<(ushort Vlan, string Ip, long BytesSent, long BytesRcvd, long PacketsSent, long PacketsRcvd)> Hosts =>
            _hosts.Select(kv => (kv.Key.Item1, kv.Key.Item2, kv.Value[0], kv.Value[1], kv.Value[2], kv.Value[3]));

        public void Add(string line, string context)
        {
            JsonDocument json;
            try
            {
                json = JsonDocument.Parse(line);
            }
            catch (JsonException e)
            {
                Assert.Fail($"not a JSON line ({e.Message}): {line}\n{context}");
                return;
            }

            using (json)
            {
                var flow = json.RootElement;
                Assert.Equal(JsonValueKind.Object, flow.ValueKind);
                var vlan = flow.TryGetProperty("SRC_VLAN", out var v) ? v.GetUInt16() : (ushort)0;
                var v4 = flow.TryGetProperty("IPV4_SRC_ADDR", out var src);
                var client = CaptureTruth.Normalize(src.ValueKind == JsonValueKind.String ? src.GetString()! : flow.GetProperty("IPV6_SRC_ADDR").GetString()!);
                var server = CaptureTruth.Normalize(flow.GetProperty(v4 ? "IPV4_DST_ADDR" : "IPV6_DST_ADDR").GetString()!);
                var inBytes = flow.GetProperty("IN_BYTES").GetInt64();
                var outBytes = flow.GetProperty("OUT_BYTES").GetInt64();
                var inPkts = flow.GetProperty("IN_PKTS").GetInt64();
                var outPkts = flow.GetProperty("OUT_PKTS").GetInt64();
                Add((vlan, client), inBytes, outBytes, inPkts, outPkts);
                Add((vlan, server), outBytes, inBytes, outPkts, inPkts);
            }
        }

        private void Add((ushort, string) host, long bytesSent, long bytesRcvd, long packetsSent, long packetsRcvd)
        {
            if (!_hosts.TryGetValue(host, out var c))
            {
                _hosts[host] = c = new long[4];
            }

            c[0] += bytesSent;
            c[1] += bytesRcvd;
            c[2] += packetsSent;
            c[3] += packetsRcvd;
        }
    }
}
