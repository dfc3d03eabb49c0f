using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace Flowhive.EndToEnd.Support;

/// <summary>Per-host traffic of one host in a capture, counted independently of Flowhive.</summary>
public sealed record HostTruth(ushort Vlan, string Ip, long BytesSent, long BytesRcvd, long PacketsSent, long PacketsRcvd);

/// <summary>
/// Computes per-host totals from a capture with Wireshark's tshark, a decoder that shares no code with
/// ours: every IP packet adds its IP length to the sender's "sent" and the receiver's "received", keyed by
/// (innermost VLAN, address) as Flowhive keys hosts.
/// </summary>
public static class CaptureTruth
{
    /// <param name="displayFilter">Only the packets tshark's display filter keeps (for example "udp.port == 53"), or all.</param>
    public static async Task<IReadOnlyDictionary<(ushort Vlan, string Ip), HostTruth>> ComputeAsync(string pcap, string? displayFilter = null)
    {
        var hosts = new Dictionary<(ushort, string), long[]>();
        await ReadFieldsAsync(pcap, displayFilter, ["vlan.id", "ip.src", "ip.dst", "ip.len", "ipv6.src", "ipv6.dst", "ipv6.plen"], f =>
        {
            var vlan = First(f[0], last: true) is { Length: > 0 } v ? ushort.Parse(v, CultureInfo.InvariantCulture) : (ushort)0;
            string src, dst;
            long length;
            if (First(f[1]) is { Length: > 0 } v4src)
            {
                src = v4src;
                dst = First(f[2]);
                length = long.Parse(First(f[3]), CultureInfo.InvariantCulture);
            }
            else if (First(f[4]) is { Length: > 0 } v6src)
            {
                src = v6src;
                dst = First(f[5]);
                length = 40 + long.Parse(First(f[6]), CultureInfo.InvariantCulture);
            }
            else
            {
                return; // not IP (ARP, LLDP...): not host traffic
            }

            Add(hosts, (vlan, Normalize(src)), length, sent: true);
            Add(hosts, (vlan, Normalize(dst)), length, sent: false);
        });

        return hosts.ToDictionary(kv => kv.Key, kv => new HostTruth(kv.Key.Item1, kv.Key.Item2, kv.Value[0], kv.Value[1], kv.Value[2], kv.Value[3]));
    }

    /// <summary>tshark's values of <paramref name="fields"/> for each packet <paramref name="displayFilter"/> keeps (several occurrences comma-separated).</summary>
    public static async Task<List<string[]>> FieldsAsync(string pcap, string displayFilter, params string[] fields)
    {
        var rows = new List<string[]>();
        await ReadFieldsAsync(pcap, displayFilter, fields, rows.Add);
        return rows;
    }

    private static async Task ReadFieldsAsync(string pcap, string? displayFilter, string[] fields, Action<string[]> row)
    {
        var start = new ProcessStartInfo("tshark")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "-n", "-r", pcap, "-T", "fields", "-E", "separator=/t", "-E", "occurrence=a", "-E", "aggregator=," })
        {
            start.ArgumentList.Add(a);
        }

        foreach (var field in fields)
        {
            start.ArgumentList.Add("-e");
            start.ArgumentList.Add(field);
        }

        if (displayFilter is not null)
        {
            start.ArgumentList.Add("-Y");
            start.ArgumentList.Add(displayFilter);
        }

        using var tshark = Process.Start(start) ?? throw new InvalidOperationException("cannot start tshark (install it: apt-get install tshark)");
        var stderr = tshark.StandardError.ReadToEndAsync();
        while (await tshark.StandardOutput.ReadLineAsync() is { } line)
        {
            row(line.Split('\t'));
        }

        await tshark.WaitForExitAsync();
        if (tshark.ExitCode != 0)
        {
            throw new InvalidOperationException($"tshark failed ({tshark.ExitCode}): {await stderr}");
        }
    }

    public static string Normalize(string ip) => IPAddress.Parse(ip).ToString();

    private static string First(string field, bool last = false)
    {
        if (field.Length == 0)
        {
            return field;
        }

        var parts = field.Split(',');
        return last ? parts[^1] : parts[0];
    }

    private static void Add(Dictionary<(ushort, string), long[]> hosts, (ushort, string) key, long length, bool sent)
    {
        if (!hosts.TryGetValue(key, out var c))
        {
            hosts[key] = c = new long[4];
        }

        if (sent)
        {
            c[0] += length;
            c[2]++;
        }
        else
        {
            c[1] += length;
            c[3]++;
        }
    }
}
