using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Flowhive.EndToEnd.Support;
using Xunit.Abstractions;

namespace Flowhive.EndToEnd;

/// <summary>
/// NetFlow v5, v9 and IPFIX from a real probe process into a real collector that shares no code with Flowhive:
/// Debian's nfcapd stores what it receives, nfdump reads it back, and flows, packets, bytes, per-host totals and
/// first/last times must equal what tshark counts in the capture.
/// </summary>
public sealed class NetFlowExportTests(ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Deadline = ExternalTool.Deadline;
    private readonly string _dir = Directory.CreateTempSubdirectory("flowhive-nfcapd-").FullName;

    [Theory]
    [InlineData("5")]
    [InlineData("9")]
    [InlineData("10")]
    public async Task Nfdump_reads_the_capture_totals_from_what_the_probe_exports(string version)
    {
        var port = FreePort.Udp();
        using var nfcapd = ExternalTool.Start("nfcapd", "-p", port.ToString(CultureInfo.InvariantCulture), "-b", "127.0.0.1", "-w", _dir);
        try
        {
            await Collect(nfcapd, port, version);
        }
        finally
        {
            if (!nfcapd.HasExited)
            {
                nfcapd.Kill();
            }
        }
    }

    private async Task Collect(Process nfcapd, int port, string version)
    {
        var truth = await CaptureFlows.ComputeAsync(Repo.SampleCapture);
        var hosts = await CaptureTruth.ComputeAsync(Repo.SampleCapture);
        var families = version == "5" ? new[] { 4 } : [4, 6]; // v5 records are IPv4 only
        await ExternalTool.WaitUntilBoundAsync(port, nfcapd);

        // Long timeouts: every conversation in the one-minute capture stays one flow, as the tshark count assumes.
        await using var probe = NodeProcess.Probe("-i", Repo.SampleCapture, "-n", $"127.0.0.1:{port}", "-V", version, "-d", "3600", "-t", "3600");
        Assert.True(await probe.WaitForExitAsync(Deadline) == 0, probe.Output);

        // Let nfcapd read every datagram before SIGTERM makes it close (and rotate) its file.
        await ExternalTool.WaitForEmptyReceiveQueueAsync(port);
        await ExternalTool.StopAsync(nfcapd);

        var info = await ExternalTool.RunAsync("nfdump", "-R", _dir, "-I");
        var csv = await ExternalTool.RunAsync("nfdump", "-R", _dir, "-o", "csv");
        output.WriteLine($"nfdump -I (NetFlow version {version}):\n{info}");
        var exported = probe.Output.Split('\n').Single(l => l.Contains(" records in ", StringComparison.Ordinal));
        output.WriteLine(exported);
        var summary = ExternalTool.ParseInfo(info);
        var records = ParseCsv(csv);

        // What the probe says it sent arrived, in order (nfcapd checks v5/v9/IPFIX sequence numbers).
        var sentRecords = long.Parse(exported.Split(" exported as ")[1].Split(' ')[0], CultureInfo.InvariantCulture);
        Assert.Equal(sentRecords, summary["Flows"]);
        Assert.Equal(0, summary["Sequence failures"]);

        Assert.Equal(families.Sum(f => truth[f].Flows), summary["Flows"]);
        Assert.Equal(families.Sum(f => truth[f].Packets), summary["Packets"]);
        Assert.Equal(families.Sum(f => truth[f].Bytes), summary["Bytes"]);
        Assert.Equal(summary["Flows"], records.Count);

        // Per host: a unidirectional record's source is the sender, so its bytes are what that host sent.
        var expectedSent = hosts.Values
            .Where(h => families.Contains(IPAddress.Parse(h.Ip).AddressFamily == AddressFamily.InterNetwork ? 4 : 6))
            .GroupBy(h => h.Ip)
            .Where(g => g.Sum(h => h.PacketsSent) > 0)
            .ToDictionary(g => g.Key, g => (Bytes: g.Sum(h => h.BytesSent), Packets: g.Sum(h => h.PacketsSent)));
        var reportedSent = records.GroupBy(r => r.Src).ToDictionary(g => g.Key, g => (Bytes: g.Sum(r => r.Bytes), Packets: g.Sum(r => r.Packets)));
        Assert.Equal(expectedSent.OrderBy(kv => kv.Key, StringComparer.Ordinal), reportedSent.OrderBy(kv => kv.Key, StringComparer.Ordinal));

        // Times survive the sysUptime arithmetic of v5/v9 (the capture is from 2026-01-01, exported today).
        var first = families.Min(f => truth[f].FirstPacket);
        var last = families.Max(f => truth[f].LastPacket);
        Assert.Equal(first.ToUnixTimeMilliseconds(), (summary["First"] * 1000) + summary["msec_first"]);
        Assert.Equal(last.ToUnixTimeMilliseconds(), (summary["Last"] * 1000) + summary["msec_last"]);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private sealed record NfdumpRecord(string Src, long Packets, long Bytes);

    /// <summary>nfdump -o csv: a header, one line per record, then an empty line and a summary.</summary>
    private static List<NfdumpRecord> ParseCsv(string csv)
    {
        var lines = csv.Split('\n');
        var header = lines[0].Split(',').Select((name, i) => (name, i)).ToDictionary(x => x.name, x => x.i);
        var records = new List<NfdumpRecord>();
        foreach (var line in lines.Skip(1).TakeWhile(l => l.Length > 0 && l != "Summary"))
        {
            var f = line.Split(',');
            records.Add(new NfdumpRecord(
                IPAddress.Parse(f[header["sa"]]).ToString(),
                long.Parse(f[header["ipkt"]], CultureInfo.InvariantCulture),
                long.Parse(f[header["ibyt"]], CultureInfo.InvariantCulture)));
        }

        return records;
    }
}
