using System.Globalization;
using Xunit.Abstractions;

namespace Flowhive.EndToEnd.Support;

/// <summary>Debian's nfcapd as the reference collector: records one export run and reports nfdump's totals for it.</summary>
public static class NfcapdRecorder
{
    /// <summary>Runs an export into a fresh nfcapd writing to <paramref name="directory"/>; returns nfdump's flows, packets and bytes.</summary>
    public static async Task<(long Flows, long Packets, long Bytes)> RecordAsync(
        Func<int, Task> export, string directory, ITestOutputHelper output, params string[] nfcapdOptions)
    {
        var port = FreePort.Udp();
        using var nfcapd = ExternalTool.Start("nfcapd", ["-p", port.ToString(CultureInfo.InvariantCulture), "-b", "127.0.0.1", "-B", "4194304", "-w", directory, .. nfcapdOptions]);
        try
        {
            await ExternalTool.WaitUntilBoundAsync(port, nfcapd);
            await export(port);
            await ExternalTool.WaitForEmptyReceiveQueueAsync(port);
            await ExternalTool.StopAsync(nfcapd);
        }
        finally
        {
            ExternalTool.Kill(nfcapd);
        }

        var summary = await ExternalTool.NfdumpInfoAsync(directory);

        // Not asserted: softflowd numbers IPFIX messages, not records, and nfdump counts that as sequence failures.
        output.WriteLine($"nfdump: {summary["Sequence failures"]} sequence failures");
        return ExternalTool.Totals(summary);
    }
}
