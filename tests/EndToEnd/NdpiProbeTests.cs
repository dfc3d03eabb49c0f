using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Flowhive.EndToEnd.Support;
using Microsoft.VisualBasic.FileIO;

namespace Flowhive.EndToEnd;

/// <summary>
/// <c>flowhive-probe --dpi ndpi</c> as a user runs it: flows of labelled corpus captures as JSON lines on stdout
/// named as ndpiReader 4.2 named them, the protocol table against ndpiReader's own, user rules with <c>-p</c> and
/// their reload on SIGHUP, and the fallback when the nDPI shim is not there.
/// </summary>
public sealed partial class NdpiProbeTests : IDisposable
{
    private static readonly TimeSpan Run = TimeSpan.FromSeconds(60);
    private readonly string _dir = Directory.CreateTempSubdirectory("flowhive-ndpi-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [GeneratedRegex(@"^\s*(?<id>\d+)  (?<name>\S+)\s+(?<category>\S.*)$")]
    private static partial Regex ListedProtocol();

    [GeneratedRegex(@"^\s*(?<id>\d+) (?<name>\S+)\s")]
    private static partial Regex NdpiReaderProtocol();

    [Theory]
    [InlineData("6in4tunnel.pcap")] // IPv6 in IPv4: the inner flows are classified
    [InlineData("android.pcap")]
    [InlineData("dns_doh.pcap")]
    public async Task Dpi_ndpi_names_each_flow_of_a_corpus_capture_as_ndpiReader_does(string capture)
    {
        var labels = Labels(capture);
        await using var probe = NodeProcess.Probe("-i", Path.Combine(Repo.DpiCorpus, "pcap", capture), "--dpi", "ndpi", "-P", "-");
        Assert.True(await probe.WaitForExitAsync(Run) == 0, probe.Output);

        var flows = Flows(probe.StandardOutput);
        var names = ProtocolNames(await ListProtocolsAsync());
        var decided = labels.Where(l => l.Confidence is "DPI" or "DPI (cache)").ToList();
        Assert.NotEmpty(decided);
        foreach (var label in decided)
        {
            var flow = flows.FirstOrDefault(f => f.Matches(label)) ??
                       throw new Xunit.Sdk.XunitException($"{capture}: no exported flow for {label}\n{probe.Output}");
            Assert.True(label.Proto == flow.ProtoName, $"{capture}: {label}: the probe says {flow.ProtoName}");

            // L7_PROTO is "master.app" in ids of the library's table: it spells the same name.
            var ids = flow.ProtoIds.Split('.').Select(int.Parse).ToArray();
            var spelled = ids[0] != 0 && ids[0] != ids[1] ? $"{names[ids[0]]}.{names[ids[1]]}" : names[ids[1]];
            Assert.Equal(flow.ProtoName, spelled);
        }

        Assert.Contains("DPI: nDPI 4.2", probe.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_protocols_prints_the_same_table_as_ndpiReader()
    {
        var ours = ProtocolNames(await ListProtocolsAsync());

        // ndpiReader -h ends with nDPI's protocol list: " Id Protocol Layer_4 Breed Category".
        var reader = new Dictionary<int, string>();
        var inList = false;
        foreach (var line in (await RunToEndAsync("ndpiReader", "-h")).Split('\n'))
        {
            if (line.StartsWith("nDPI supported protocols", StringComparison.Ordinal))
            {
                inList = true;
            }
            else if (inList && NdpiReaderProtocol().Match(line) is { Success: true } m)
            {
                reader[int.Parse(m.Groups["id"].Value)] = m.Groups["name"].Value;
            }
            else if (inList && reader.Count > 0)
            {
                break; // the risk table follows
            }
        }

        Assert.True(reader.Count > 200, $"ndpiReader -h listed {reader.Count} protocols");
        Assert.Equal(reader.OrderBy(p => p.Key), ours.OrderBy(p => p.Key));
        Assert.Contains(ours, p => p.Value == "Skype_Teams");
    }

    [Fact]
    public async Task A_protocols_file_names_flows_and_sighup_reloads_it()
    {
        var protos = Path.Combine(_dir, "protos.txt");
        // An address rule: nDPI's built-in github.com host rule would win over a custom host rule for that name.
        await File.WriteAllTextAsync(protos, "# ntopng -p format\nip:140.82.114.4/32@FlowhiveOld\n");

        // The custom protocol joins the table --list-protocols prints.
        Assert.Contains(ProtocolNames(await ListProtocolsAsync("-p", protos)).Values, n => n == "FlowhiveOld");

        // A capture replayed in a loop at its own pace, flows ending after 1 s idle: a new flow every pass.
        await using var probe = NodeProcess.Probe("-i", Path.Combine(Repo.DpiCorpus, "pcap", "443-git.pcap"), "--dpi", "ndpi", "-p", protos,
            "--replay-loop", "0", "--replay-speed", "1x", "-d", "1", "-P", "-");
        await WaitForAsync(probe, () => probe.StandardOutput.Contains("FlowhiveOld\"", StringComparison.Ordinal));

        await File.WriteAllTextAsync(protos, "ip:140.82.114.4/32@FlowhiveNew\n");
        probe.Hangup();
        await WaitForAsync(probe, () => probe.StandardOutput.Contains("FlowhiveNew\"", StringComparison.Ordinal));
        Assert.Contains("nDPI rules reloaded", probe.Output, StringComparison.Ordinal);

        // A broken file on the next SIGHUP is refused with its line; the probe keeps running on the rules it has.
        await File.WriteAllTextAsync(protos, "ip:140.82.114.4/32\n");
        probe.Hangup();
        await WaitForAsync(probe, () => probe.Output.Contains("nDPI rules not reloaded", StringComparison.Ordinal));
        Assert.Contains("protos.txt:1", probe.Output, StringComparison.Ordinal);
        Assert.False(probe.HasExited, probe.Output);

        probe.Terminate();
        Assert.True(await probe.WaitForExitAsync(Run) == 0, probe.Output);
    }

    [Fact]
    public async Task A_bad_protocols_file_stops_the_probe_with_its_line()
    {
        var protos = Path.Combine(_dir, "bad.txt");
        await File.WriteAllTextAsync(protos, "tcp:8080@Fine\nip:10.0.0.1/32\n");
        await using var probe = NodeProcess.Probe("-i", Repo.SampleCapture, "--dpi", "ndpi", "-p", protos, "-P", "-");

        Assert.Equal(2, await probe.WaitForExitAsync(Run));
        Assert.Contains("bad.txt:2", probe.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_the_ndpi_shim_the_probe_says_so_and_falls_back_to_the_micro_engine()
    {
        // The probe as a build without nDPI headers leaves it: everything but libflowhive_ndpi.so (File.Copy keeps modes).
        var built = Path.GetDirectoryName(Repo.Probe)!;
        var copy = Path.Combine(_dir, "probe");
        foreach (var file in Directory.EnumerateFiles(built, "*", System.IO.SearchOption.AllDirectories))
        {
            var target = Path.Combine(copy, Path.GetRelativePath(built, file));
            if (Path.GetFileName(file) != "libflowhive_ndpi.so")
            {
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target);
            }
        }

        await using var probe = NodeProcess.Start(Path.Combine(copy, "flowhive-probe"), "probe without nDPI",
            "-i", Path.Combine(Repo.DpiCorpus, "pcap", "443-git.pcap"), "--dpi", "ndpi", "-P", "-");

        Assert.True(await probe.WaitForExitAsync(Run) == 0, probe.Output);
        Assert.Contains("nDPI is not available: libflowhive_ndpi.so is not next to", probe.Output, StringComparison.Ordinal);
        Assert.Contains("falling back to the micro engine", probe.Output, StringComparison.Ordinal);
        var flow = Assert.Single(Flows(probe.StandardOutput));
        Assert.Equal(Labels("443-git.pcap").Single().Proto, flow.ProtoName);

        await using var listing = NodeProcess.Start(Path.Combine(copy, "flowhive-probe"), "list without nDPI", "--list-protocols");
        Assert.Equal(1, await listing.WaitForExitAsync(Run));
        Assert.Contains("nDPI is not available", listing.Output, StringComparison.Ordinal);
    }

    private static async Task<string> ListProtocolsAsync(params string[] args)
    {
        await using var probe = NodeProcess.Probe(["--list-protocols", .. args]);
        Assert.True(await probe.WaitForExitAsync(Run) == 0, probe.Output);
        return probe.StandardOutput;
    }

    private static Dictionary<int, string> ProtocolNames(string listing)
    {
        var names = new Dictionary<int, string>();
        foreach (var line in listing.Split('\n').Skip(2))
        {
            var m = ListedProtocol().Match(line.TrimEnd('\r'));
            if (m.Success)
            {
                Assert.True(names.TryAdd(int.Parse(m.Groups["id"].Value), m.Groups["name"].Value), line);
            }
        }

        Assert.Equal(Enumerable.Range(0, names.Count), names.Keys.Order());
        return names;
    }

    private static async Task<string> RunToEndAsync(string program, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(program, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return await output + await error;
    }

    private static async Task WaitForAsync(NodeProcess probe, Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Run;
        while (!condition())
        {
            Assert.False(probe.HasExited, probe.Output);
            Assert.True(DateTime.UtcNow < deadline, probe.Output);
            await Task.Delay(100);
        }
    }

    private static List<Flow> Flows(string stdout) =>
        [.. stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line =>
        {
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            string Text(string v4, string v6) => (root.TryGetProperty(v4, out var a) ? a : root.GetProperty(v6)).GetString()!;
            return new Flow(
                root.GetProperty("PROTOCOL").GetInt32(),
                IPAddress.Parse(Text("IPV4_SRC_ADDR", "IPV6_SRC_ADDR")), root.GetProperty("L4_SRC_PORT").GetInt32(),
                IPAddress.Parse(Text("IPV4_DST_ADDR", "IPV6_DST_ADDR")), root.GetProperty("L4_DST_PORT").GetInt32(),
                root.TryGetProperty("L7_PROTO", out var ids) ? ids.GetString()! : "0.0",
                root.TryGetProperty("L7_PROTO_NAME", out var name) ? name.GetString() : null);
        })];

    private static List<Label> Labels(string capture)
    {
        using var csv = new TextFieldParser(Path.Combine(Repo.DpiCorpus, "labels", capture + ".csv")) { Delimiters = [","], HasFieldsEnclosedInQuotes = true };
        var header = csv.ReadFields()!.ToList();
        var labels = new List<Label>();
        while (csv.ReadFields() is { } f)
        {
            labels.Add(new Label(f[header.IndexOf("l4")], IPAddress.Parse(f[header.IndexOf("src_ip")]), int.Parse(f[header.IndexOf("src_port")]),
                IPAddress.Parse(f[header.IndexOf("dst_ip")]), int.Parse(f[header.IndexOf("dst_port")]),
                f[header.IndexOf("ndpi_proto")], f[header.IndexOf("confidence")]));
        }

        return labels;
    }

    private sealed record Label(string L4, IPAddress Src, int SrcPort, IPAddress Dst, int DstPort, string Proto, string Confidence);

    private sealed record Flow(int Protocol, IPAddress Src, int SrcPort, IPAddress Dst, int DstPort, string ProtoIds, string? ProtoName)
    {
        /// <summary>IP protocol numbers of the label files' <c>l4</c> names (ndpiReader's).</summary>
        private static readonly Dictionary<string, int> L4Numbers = new() { ["TCP"] = 6, ["UDP"] = 17, ["ICMP"] = 1, ["ICMPV6"] = 58 };

        public bool Matches(Label l) =>
            L4Numbers[l.L4] == Protocol &&
            ((l.Src.Equals(Src) && l.SrcPort == SrcPort && l.Dst.Equals(Dst) && l.DstPort == DstPort) ||
             (l.Src.Equals(Dst) && l.SrcPort == DstPort && l.Dst.Equals(Src) && l.DstPort == SrcPort));
    }
}
