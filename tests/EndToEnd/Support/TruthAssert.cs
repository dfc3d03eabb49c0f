using System.Text;

namespace Flowhive.EndToEnd.Support;

/// <summary>Compares what Flowhive reports per host with the capture's independent totals, listing every difference.</summary>
public static class TruthAssert
{
    /// <summary>Null when equal, else a readable list of differences.</summary>
    public static string? Differences(IReadOnlyDictionary<(ushort Vlan, string Ip), HostTruth> truth,
        IEnumerable<(ushort Vlan, string Ip, long BytesSent, long BytesRcvd, long PacketsSent, long PacketsRcvd)> reported)
    {
        var report = new StringBuilder();
        var seen = new HashSet<(ushort, string)>();
        foreach (var r in reported)
        {
            seen.Add((r.Vlan, r.Ip));
            if (!truth.TryGetValue((r.Vlan, r.Ip), out var t))
            {
                report.AppendLine($"extra host {r.Ip} vlan {r.Vlan}");
                continue;
            }

            if (t.BytesSent != r.BytesSent || t.BytesRcvd != r.BytesRcvd || t.PacketsSent != r.PacketsSent || t.PacketsRcvd != r.PacketsRcvd)
            {
                report.AppendLine($"{r.Ip} vlan {r.Vlan}: bytes sent {r.BytesSent}/{t.BytesSent} rcvd {r.BytesRcvd}/{t.BytesRcvd}, " +
                                  $"packets sent {r.PacketsSent}/{t.PacketsSent} rcvd {r.PacketsRcvd}/{t.PacketsRcvd} (reported/expected)");
            }
        }

        foreach (var key in truth.Keys.Where(k => !seen.Contains(k)))
        {
            report.AppendLine($"missing host {key.Ip} vlan {key.Vlan}");
        }

        return report.Length == 0 ? null : report.ToString();
    }

    /// <summary>Polls until the reported totals equal the truth or the deadline passes (then fails with the last differences).</summary>
    public static async Task EventuallyEqualAsync(IReadOnlyDictionary<(ushort Vlan, string Ip), HostTruth> truth,
        Func<Task<IEnumerable<(ushort, string, long, long, long, long)>>> read, TimeSpan timeout, Func<string> context)
    {
        var deadline = DateTime.UtcNow + timeout;
        string? last = "nothing read";
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                last = Differences(truth, await read());
                if (last is null)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Data.Common.DbException)
            {
                last = e.Message;
            }

            await Task.Delay(300);
        }

        Assert.Fail($"per-host totals differ from the capture after {timeout.TotalSeconds} s:\n{last}\n{context()}");
    }
}
