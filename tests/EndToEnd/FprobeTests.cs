using System.Globalization;
using System.Net.Sockets;
using Flowhive.EndToEnd.Support;
using Xunit.Abstractions;

namespace Flowhive.EndToEnd;

/// <summary>
/// The collector's <c>-i udp://</c> interface fed by Debian's fprobe, a NetFlow v5 probe that only captures live
/// interfaces. In two network namespaces the test makes, tcpreplay sends the sample capture over the veth pair;
/// fprobe captures the collector namespace's end and mirrors every export datagram to Debian's nfcapd and to the
/// collector, both on that namespace's loopback. Whatever fprobe captured, the collector's flows, packets and bytes
/// must equal what nfdump reads from nfcapd's file, with no datagram dropped.
/// </summary>
public sealed class FprobeTests(ITestOutputHelper output) : SampleCaptureTest("flowhive-fprobe-")
{
    /// <summary>Longer than fprobe's expiry scan (-s 1) plus its idle (-d 1) and active (-e 2) timers.</summary>
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(5);

    // No IPv6 chatter of the namespaces' own on the captured link; MTU 9000 fits the capture's largest frame (1534 bytes).
    private readonly NamespacePair _net = new(withoutIpv6: true, mtu: 9000);

    public override Task DisposeAsync()
    {
        _net.Dispose();
        return base.DisposeAsync();
    }

    [Fact]
    public async Task Fprobe_capturing_the_replayed_sample_gives_the_collector_the_totals_nfdump_reports()
    {
        var ns = _net.CollectorNamespace;
        var recorded = Directory.CreateDirectory(Path.Combine(DataDir, "nfcapd")).FullName;
        var nfcapdPort = FreePort.Udp();
        using var nfcapd = ExternalTool.Start("ip", "netns", "exec", ns, "nfcapd", "-p", nfcapdPort.ToString(CultureInfo.InvariantCulture),
            "-b", "127.0.0.1", "-w", recorded);
        CollectorTotals totals;
        try
        {
            await ExternalTool.WaitUntilBoundAsync(nfcapdPort, nfcapd);
            await using var collector = await FlowCollectorNode.StartAsync(Directory.CreateDirectory(Path.Combine(DataDir, "collector")).FullName, ns: ns);

            // -l 2: foreground, log to stdout. -f ip: untagged IPv4 only (v5 carries nothing else; the man page warns
            // against an empty filter). A large pending queue (-q) and kernel buffer (-B) so a busy machine loses nothing.
            await using var fprobe = NodeProcess.InNamespace(ns, "fprobe",
                ["-l", "2", "-i", _net.CollectorLink, "-f", "ip", "-s", "1", "-d", "1", "-e", "2", "-q", "10000", "-B", "4096",
                 $"127.0.0.1:{nfcapdPort}", $"127.0.0.1:{collector.UdpPort}"], "fprobe");
            await Eventually.TrueAsync(() => Task.FromResult(fprobe.Output.Contains("collector #2:", StringComparison.Ordinal) || fprobe.HasExited),
                ExternalTool.Deadline, "fprobe capturing", () => fprobe.Output);
            Assert.False(fprobe.HasExited, "fprobe exited: " + fprobe.Output);

            // 1000 packets a second: about 3 s for the capture, gentle enough for fprobe's capture on a shared machine.
            output.WriteLine(await ExternalTool.RunAsync("ip", "netns", "exec", _net.ProbeNamespace, "tcpreplay", "-i", _net.ProbeLink, "--pps=1000",
                Repo.SampleCapture));

            // Flows expire and arrive while fprobe sees traffic; once nothing new arrives for longer than its timers,
            // it has exported what it captured. SIGTERM then emits whatever is left in its cache, and it exits.
            await QuietAsync(collector, () => fprobe.Output);
            fprobe.Terminate();
            Assert.Equal(0, await fprobe.WaitForExitAsync(ExternalTool.Deadline));
            Assert.Contains("Emitting flows cache", fprobe.Output, StringComparison.Ordinal);

            totals = await collector.SettledTotalsAsync();
            await ExternalTool.WaitForEmptyReceiveQueueAsync(nfcapdPort, nfcapd.Id);
            await ExternalTool.StopAsync(nfcapd);
        }
        finally
        {
            ExternalTool.Kill(nfcapd);
        }

        var info = await ExternalTool.NfdumpInfoAsync(recorded);
        var expected = ExternalTool.Totals(info);
        var capturedIpv4 = Truth.Values.Where(h => h.Vlan == 0 && System.Net.IPAddress.Parse(h.Ip).AddressFamily == AddressFamily.InterNetwork)
            .Sum(h => h.PacketsSent);
        output.WriteLine($"fprobe: nfdump {expected} ({info["Sequence failures"]} sequence failures), collector {totals}, " +
            $"capture {capturedIpv4} untagged IPv4 packets (tshark)");

        Assert.Equal(expected, (totals.DecodedFlows, totals.Packets, totals.Bytes));
        Assert.Equal("", totals.Drops);
        Assert.True(expected.Packets > 0 && expected.Packets <= capturedIpv4,
            $"fprobe should have exported some of the capture's {capturedIpv4} untagged IPv4 packets, not {expected.Packets}");
    }

    /// <summary>Waits until the collector has flows and its totals have not changed for <see cref="Quiet"/>.</summary>
    private static async Task QuietAsync(FlowCollectorNode collector, Func<string> context)
    {
        CollectorTotals? last = null;
        var since = DateTime.UtcNow;
        await Eventually.TrueAsync(async () =>
        {
            var now = await collector.TotalsAsync();
            if (now != last)
            {
                (last, since) = (now, DateTime.UtcNow);
            }

            return now.DecodedFlows > 0 && DateTime.UtcNow - since >= Quiet;
        }, TimeSpan.FromSeconds(120), "fprobe's flows reach the collector and stop changing", () => collector.Output + context());
    }
}
