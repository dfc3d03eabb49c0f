using System.Diagnostics;
using System.Globalization;

namespace Flowhive.EndToEnd.Support;

/// <summary>What a NetFlow collector should see of a capture for one IP version: unidirectional flows and the first and last packet.</summary>
public sealed record FlowTruth(int Flows, long Packets, long Bytes, DateTimeOffset FirstPacket, DateTimeOffset LastPacket);

/// <summary>
/// Counts a capture's unidirectional flows with tshark, independently of Flowhive: one flow per distinct (innermost
/// VLAN, source, destination, protocol, ports) with ports 0 for anything but TCP and UDP, as NetFlow keys ICMP. Holds
/// for captures whose flows are not cut by timeouts (run the probe with long -d/-t) and carry no tunnels.
/// </summary>
public static class CaptureFlows
{
    public static async Task<IReadOnlyDictionary<int, FlowTruth>> ComputeAsync(string pcap)
    {
        var start = new ProcessStartInfo("tshark")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[]
                 {
                     "-n", "-r", pcap, "-T", "fields", "-E", "separator=/t", "-E", "occurrence=a", "-E", "aggregator=,",
                     "-e", "frame.time_epoch", "-e", "frame.protocols", "-e", "vlan.id", "-e", "ip.src", "-e", "ip.dst", "-e", "ip.len",
                     "-e", "ipv6.src", "-e", "ipv6.dst", "-e", "ipv6.plen", "-e", "tcp.srcport", "-e", "tcp.dstport", "-e", "udp.srcport", "-e", "udp.dstport",
                 })
        {
            start.ArgumentList.Add(a);
        }

        using var tshark = Process.Start(start) ?? throw new InvalidOperationException("cannot start tshark (install it: apt-get install tshark)");
        var stderr = tshark.StandardError.ReadToEndAsync();
        var keys = new Dictionary<int, HashSet<string>> { [4] = [], [6] = [] };
        var totals = new Dictionary<int, (long Packets, long Bytes, decimal First, decimal Last)>
        {
            [4] = (0, 0, decimal.MaxValue, decimal.MinValue),
            [6] = (0, 0, decimal.MaxValue, decimal.MinValue),
        };
        while (await tshark.StandardOutput.ReadLineAsync() is { } line)
        {
            // First occurrence of each field (the packet's own headers, not those quoted inside ICMP errors), last VLAN tag (the innermost).
            var all = line.Split('\t');
            var f = all.Select(x => x.Split(',')[0]).ToArray();
            f[2] = all[2].Split(',')[^1];
            var time = decimal.Parse(f[0], CultureInfo.InvariantCulture);
            var layers = f[1].Split(':');
            var ip = Array.FindIndex(layers, l => l is "ip" or "ipv6");
            if (ip < 0)
            {
                continue; // ARP, LLDP...: not IP
            }

            var family = layers[ip] == "ip" ? 4 : 6;
            var transport = layers.Skip(ip + 1).FirstOrDefault(l => !l.StartsWith("ipv6.", StringComparison.Ordinal)) ?? string.Empty;
            var (src, dst, length) = family == 4
                ? (f[3], f[4], long.Parse(f[5], CultureInfo.InvariantCulture))
                : (f[6], f[7], 40 + long.Parse(f[8], CultureInfo.InvariantCulture));
            var (protocol, ports) = transport switch
            {
                "tcp" => ("6", $"{f[9]}-{f[10]}"),
                "udp" => ("17", $"{f[11]}-{f[12]}"),
                _ => (transport, "0-0"),
            };
            var vlan = f[2].Length > 0 ? f[2] : "0";
            keys[family].Add($"{vlan}|{CaptureTruth.Normalize(src)}|{CaptureTruth.Normalize(dst)}|{protocol}|{ports}");
            var t = totals[family];
            totals[family] = (t.Packets + 1, t.Bytes + length, Math.Min(t.First, time), Math.Max(t.Last, time));
        }

        await tshark.WaitForExitAsync();
        if (tshark.ExitCode != 0)
        {
            throw new InvalidOperationException($"tshark failed ({tshark.ExitCode}): {await stderr}");
        }

        return totals.ToDictionary(kv => kv.Key, kv => new FlowTruth(keys[kv.Key].Count, kv.Value.Packets, kv.Value.Bytes, Time(kv.Value.First), Time(kv.Value.Last)));
    }

    private static DateTimeOffset Time(decimal epochSeconds) =>
        DateTimeOffset.FromUnixTimeMilliseconds(0).AddTicks((long)(epochSeconds * TimeSpan.TicksPerSecond));
}
