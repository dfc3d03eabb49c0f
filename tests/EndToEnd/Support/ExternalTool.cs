using System.Diagnostics;
using System.Globalization;

namespace Flowhive.EndToEnd.Support;

/// <summary>
/// Debian tools the tests compare Flowhive with (nfcapd, nfdump, softflowd, nfreplay, pmacctd, sfcapd): starting
/// them, waiting for their UDP socket, draining and stopping them, and reading nfdump's summaries.
/// </summary>
public static class ExternalTool
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    public static Process Start(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        try
        {
            return Process.Start(start) ?? throw new InvalidOperationException($"cannot start {program}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"cannot start {program} (install the test packages: scripts/deps.sh test): {e.Message}", e);
        }
    }

    /// <summary>Runs a tool to completion; fails the test when it exits non-zero. Returns its standard output.</summary>
    public static async Task<string> RunAsync(string program, params string[] args)
    {
        using var process = Start(program, args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(Deadline);
        await process.WaitForExitAsync(cts.Token);
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', args)} failed ({process.ExitCode}): {await stderr}");
        return await stdout;
    }

    /// <summary>A receiver has bound its port once the kernel lists a UDP socket on it (/proc/net/udp).</summary>
    public static async Task WaitUntilBoundAsync(int port, Process receiver)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (await ReceiveQueueAsync(port, receiver.Id) is null)
        {
            if (receiver.HasExited)
            {
                Assert.Fail($"{receiver.StartInfo.FileName} exited: " + await receiver.StandardError.ReadToEndAsync());
            }

            Assert.True(DateTime.UtcNow < deadline, $"{receiver.StartInfo.FileName} never bound its port");
            await Task.Delay(50);
        }
    }

    /// <summary>
    /// The tx_queue:rx_queue column of the socket bound to 127.0.0.1:<paramref name="port"/>, or null when there is none.
    /// With <paramref name="receiverPid"/>, the socket table of that process's network namespace (/proc/pid/net/udp),
    /// so a receiver started with <c>ip netns exec</c> is found in its own namespace; null once that process is gone.
    /// </summary>
    public static async Task<string?> ReceiveQueueAsync(int port, int? receiverPid = null)
    {
        var local = $"0100007F:{port:X4}";
        string[] table;
        try
        {
            table = await File.ReadAllLinesAsync(receiverPid is { } pid ? $"/proc/{pid}/net/udp" : "/proc/net/udp");
        }
        catch (IOException) when (receiverPid is not null)
        {
            return null;
        }

        return table.Select(l => l.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)).FirstOrDefault(f => f.Length > 4 && f[1] == local)?[4];
    }

    /// <summary>Polls the kernel's receive queue of the socket on <paramref name="port"/> until its reader has read everything.</summary>
    public static async Task WaitForEmptyReceiveQueueAsync(int port, int? receiverPid = null)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (await ReceiveQueueAsync(port, receiverPid) is { } queues && !queues.EndsWith(":00000000", StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, $"the receiver on {port} did not read its queue ({queues})");
            await Task.Delay(50);
        }
    }

    /// <summary>SIGTERM (nfcapd and sfcapd close and rotate their file on it) and wait.</summary>
    public static async Task StopAsync(Process process)
    {
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var cts = new CancellationTokenSource(Deadline);
        await process.WaitForExitAsync(cts.Token);
    }

    public static void Kill(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill();
        }
    }

    /// <summary>nfdump -R <paramref name="directory"/> -I: the summary of every file nfcapd or sfcapd stored there.</summary>
    public static async Task<Dictionary<string, long>> NfdumpInfoAsync(string directory) =>
        ParseInfo(await RunAsync("nfdump", "-R", directory, "-I"));

    /// <summary>The flows, packets and bytes of an nfdump summary.</summary>
    public static (long Flows, long Packets, long Bytes) Totals(Dictionary<string, long> info) => (info["Flows"], info["Packets"], info["Bytes"]);

    /// <summary>nfdump -I: "Name: value" lines.</summary>
    public static Dictionary<string, long> ParseInfo(string info) => info.Split('\n')
        .Select(l => l.Split(':', 2))
        .Where(p => p.Length == 2 && long.TryParse(p[1].Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out _))
        .ToDictionary(p => p[0].Trim(), p => long.Parse(p[1].Trim(), CultureInfo.InvariantCulture));
}
