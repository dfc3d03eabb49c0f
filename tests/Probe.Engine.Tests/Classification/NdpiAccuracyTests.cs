using System.Globalization;
using System.Text;
using Flowhive.Probe.Engine.Capture;
using Flowhive.Probe.Engine.Classification.Ndpi;
using Flowhive.Probe.Engine.Flows;
using Flowhive.Probe.Engine.Workers;
using Flowhive.Shared.Flows;
using Flowhive.Shared.Net;
using Xunit.Abstractions;

namespace Flowhive.Probe.Engine.Tests.Classification;

/// <summary>
/// The nDPI engine against the labelled dev corpus (../shared/corpus/dev beside the repository): every capture
/// through the real <see cref="PcapFileReader"/> and <see cref="CaptureEngine"/>, every exported flow matched to
/// its label row on (l4, endpoints either way round, VLAN), the verdict compared with the <c>ndpi_proto</c>
/// column that ndpiReader 4.2 wrote on this same library. Self-contained: shares nothing with other engines' tests.
/// </summary>
public sealed class NdpiAccuracyTests(ITestOutputHelper output)
{
    /// <summary>Share of DPI-decided label rows our verdict must equal.</summary>
    private const double Bar = 0.99;

    [Fact]
    public void Ndpi_engine_agrees_with_ndpiReader_on_the_dev_corpus()
    {
        var corpus = CorpusDirectory();
        if (!NdpiEngine.TryCreate(new NdpiOptions(), out var engine, out var reason))
        {
            Assert.Fail($"nDPI engine unavailable: {reason}");
        }

        using var _ = engine;
        var pcaps = Directory.GetFiles(Path.Combine(corpus, "pcap")).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(pcaps);

        var results = new List<RowResult>();
        var extraFlows = new List<string>();
        var splitRows = 0;
        var nameMismatches = new List<string>();
        foreach (var pcap in pcaps)
        {
            var name = Path.GetFileName(pcap);
            var labels = LabelFile.Read(Path.Combine(corpus, "labels", name + ".csv"));
            var records = Classify(engine, pcap);
            foreach (var record in records)
            {
                CheckIdsAndName(engine, record, name, nameMismatches);
            }

            // ndpiReader keeps one flow per 5-tuple for a whole file; our table may end a TCP flow and start a new one
            // on the same ports (FIN/RST then SYN): the first record is the one whose first packets nDPI judged.
            var byKey = records.GroupBy(FlowKeyText.Of).ToDictionary(g => g.Key, g => g.OrderBy(r => r.FirstSwitchedUs).ToList());
            var matched = new HashSet<string>();
            foreach (var row in labels)
            {
                var key = byKey.ContainsKey(row.Key) ? row.Key : row.ReverseKey;
                if (!byKey.TryGetValue(key, out var flows))
                {
                    results.Add(new RowResult(name, row, null));
                    continue;
                }

                matched.Add(key);
                if (flows.Count > 1)
                {
                    splitRows++;
                }

                results.Add(new RowResult(name, row, flows[0]));
            }

            extraFlows.AddRange(byKey.Keys.Where(k => !matched.Contains(k)).Select(k => $"{name}: {k}"));
        }

        Report(results, extraFlows, splitRows);
        Assert.True(nameMismatches.Count == 0, "L7ProtoName differs from the ids' names:\n" + string.Join('\n', nameMismatches.Take(20)));

        var decided = results.Where(r => r.Row.IsDpi).ToList();
        var agree = decided.Count(r => r.Agrees);
        var share = (double)agree / decided.Count;
        Assert.True(share >= Bar,
            $"nDPI engine agrees with ndpiReader 4.2 on {agree}/{decided.Count} DPI-decided flows ({share:P2}), below the {Bar:P0} bar; disagreements:\n" +
            string.Join('\n', decided.Where(r => !r.Agrees).Select(r => r.Describe())));
    }

    private static List<FlowRecord> Classify(NdpiEngine engine, string pcap)
    {
        // ndpiReader never expires flows while it reads a file: neither do we here (idle, lifetime and close grace
        // longer than any capture), so that each label row meets one flow as ndpiReader saw it.
        var options = new FlowTableOptions
        {
            IdleTimeout = TimeSpan.FromDays(36500),
            Lifetime = TimeSpan.FromDays(36500),
            TcpCloseGrace = TimeSpan.FromDays(36500),
        };
        var sink = new ListSink();
        using var classifier = engine.CreateClassifier();
        using var capture = new CaptureEngine(new PcapFileReader(pcap), options, sink, classifier);
        capture.Run();
        Assert.Null(capture.Snapshot().Error);
        return sink.Records;
    }

    /// <summary>Master/App must name the protocol L7ProtoName spells (nDPI's protocol2name rule over the library's table).</summary>
    private static void CheckIdsAndName(NdpiEngine engine, FlowRecord record, string pcap, List<string> mismatches)
    {
        var protocols = engine.Protocols;
        string NameOf(ushort id) => id < protocols.Count ? protocols[id].Name : $"#{id}";
        var expected = record.L7Master != 0 && record.L7Master != record.L7App
            ? record.L7App != 0 ? $"{NameOf(record.L7Master)}.{NameOf(record.L7App)}" : NameOf(record.L7Master)
            : NameOf(record.L7App);
        var actual = record.Metadata?.L7ProtoName;
        if (actual is not null && actual != expected)
        {
            mismatches.Add($"{pcap}: {FlowKeyText.Of(record)}: ids {record.L7Master}.{record.L7App} = {expected}, name {actual}");
        }
    }

    private void Report(List<RowResult> results, List<string> extraFlows, int splitRows)
    {
        var text = new StringBuilder();
        void Line(string s) => text.AppendLine(s);

        var decided = results.Where(r => r.Row.IsDpi).ToList();
        var guessed = results.Where(r => !r.Row.IsDpi).ToList();
        Line($"label rows: {results.Count} (DPI-decided {decided.Count}, guessed/unknown {guessed.Count}); rows without a flow: {results.Count(r => r.Flow is null)}");
        Line($"DPI-decided agreement: {decided.Count(r => r.Agrees)}/{decided.Count} ({Share(decided):P2})");
        Line($"guessed rows agreement: {guessed.Count(r => r.Agrees)}/{guessed.Count} ({Share(guessed):P2})");
        Line($"all rows agreement: {results.Count(r => r.Agrees)}/{results.Count} ({Share(results):P2})");
        Line($"flows our table split where ndpiReader kept one (port reuse after close): {splitRows}; exported flows with no label row: {extraFlows.Count}");

        var withHost = results.Where(r => r.Flow is not null && r.Row.Host.Length > 0).ToList();
        Line($"Hostname/SNI equal where ndpiReader printed one: {withHost.Count(r => r.HostAgrees)}/{withHost.Count}");
        var withJa3 = results.Where(r => r.Flow is not null && r.Row.Ja3Client.Length > 0).ToList();
        Line($"JA3 client equal where ndpiReader printed one: {withJa3.Count(r => r.Row.Ja3Client == r.Flow?.Metadata?.Ja3Client)}/{withJa3.Count}");
        Line("");
        Line($"{"ndpi_proto (label)",-28} {"rows",5} {"agree",6} {"dpi",5} {"agree",6}");
        foreach (var group in results.GroupBy(r => r.Row.Proto).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal))
        {
            var dpi = group.Where(r => r.Row.IsDpi).ToList();
            Line($"{group.Key,-28} {group.Count(),5} {group.Count(r => r.Agrees),6} {dpi.Count,5} {dpi.Count(r => r.Agrees),6}");
        }

        Line("");
        Line("disagreements:");
        foreach (var r in results.Where(r => !r.Agrees))
        {
            Line("  " + r.Describe());
        }

        foreach (var extra in extraFlows.Take(30))
        {
            Line("  no label row: " + extra);
        }

        output.WriteLine(text.ToString());
    }

    private static double Share(List<RowResult> rows) => rows.Count == 0 ? 1 : (double)rows.Count(r => r.Agrees) / rows.Count;

    /// <summary>The dev corpus: <c>../shared/corpus/dev</c> beside the repository root. Its absence fails the test.</summary>
    internal static string CorpusDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Cluster.sln")))
            {
                var corpus = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "corpus", "dev"));
                Assert.True(Directory.Exists(Path.Combine(corpus, "pcap")) && Directory.Exists(Path.Combine(corpus, "labels")),
                    $"the labelled DPI corpus is missing: expected {corpus}/pcap and {corpus}/labels (../shared beside the clone)");
                return corpus;
            }
        }

        Assert.Fail($"repository root (Cluster.sln) not found above {AppContext.BaseDirectory}");
        return "";
    }

    private sealed class ListSink : IFlowSink
    {
        public List<FlowRecord> Records { get; } = [];

        public void Export(in FlowRecord record) => Records.Add(record);

        public void Flush()
        {
        }
    }

    private sealed record RowResult(string Pcap, LabelRow Row, FlowRecord? Flow)
    {
        public string Verdict => Flow is null ? "(no flow)" : Flow.Value.Metadata?.L7ProtoName ?? "Unknown";

        public bool Agrees => Flow is not null && Verdict == Row.Proto;

        /// <summary>ndpiReader prints the SSH client banner where other protocols have the host name.</summary>
        public bool HostAgrees => Flow?.Metadata is { } m && (m.L7Info == Row.Host || m.SshClientBanner == Row.Host);

        public string Describe() =>
            $"{Pcap}: {Row.Key} label {Row.Proto} ({Row.Confidence}) ours {Verdict} ({Flow?.Metadata?.Confidence ?? "-"})";
    }

    private sealed record LabelRow(string L4, string Src, int SrcPort, string Dst, int DstPort, int Vlan, string Proto, string Confidence,
        string Host, string Ja3Client)
    {
        /// <summary>ndpiReader's confidence says the protocol came from inspecting packets, not from a port or address guess.</summary>
        public bool IsDpi => Confidence is "DPI" or "DPI (cache)";

        public string Key => FlowKeyText.Make(L4, Src, SrcPort, Dst, DstPort, Vlan);

        public string ReverseKey => FlowKeyText.Make(L4, Dst, DstPort, Src, SrcPort, Vlan);
    }

    private static class FlowKeyText
    {
        /// <summary>IP protocol numbers as the label files name them (ndpiReader's names; ESP/AH normalised by the corpus).</summary>
        private static readonly Dictionary<byte, string> L4Names = new()
        {
            [1] = "ICMP",
            [2] = "IGMP",
            [6] = "TCP",
            [17] = "UDP",
            [47] = "GRE",
            [50] = "ESP",
            [51] = "AH",
            [58] = "ICMPV6",
            [132] = "SCTP",
        };

        public static string Of(FlowRecord r) =>
            Make(L4Names.TryGetValue(r.Protocol, out var n) ? n : r.Protocol.ToString(CultureInfo.InvariantCulture),
                AsNdpiReaderPrints(r.SrcAddr), r.SrcPort, AsNdpiReaderPrints(r.DstAddr), r.DstPort, r.Vlan);

        public static string Make(string l4, string src, int srcPort, string dst, int dstPort, int vlan) =>
            $"{l4} {src}:{srcPort} -> {dst}:{dstPort} vlan {vlan}";

        /// <summary>
        /// The address text in the label files: inet_ntop's form, then ndpiReader's ndpi_patchIPv6Address, which
        /// rewrites every ":0:" as "::" (so 2600:...:5999:0:19:: is printed 2600:...:5999::19::, not a valid address).
        /// </summary>
        private static string AsNdpiReaderPrints(IpAddr address)
        {
            var text = address.ToIPAddress().ToString();
            if (address.IsV4)
            {
                return text;
            }

            var patched = new StringBuilder(text.Length);
            for (var i = 0; i < text.Length;)
            {
                if (text[i] == ':' && i + 2 < text.Length && text[i + 1] == '0' && text[i + 2] == ':')
                {
                    patched.Append("::");
                    i += 3;
                }
                else
                {
                    patched.Append(text[i++]);
                }
            }

            return patched.ToString();
        }
    }

    private static class LabelFile
    {
        public static List<LabelRow> Read(string path)
        {
            Assert.True(File.Exists(path), $"label file missing: {path}");
            var lines = File.ReadAllLines(path);
            var header = Corpus.LabelCsv.Split(lines[0]);
            int Col(string name)
            {
                var i = header.IndexOf(name);
                Assert.True(i >= 0, $"{path}: no column {name}");
                return i;
            }

            int l4 = Col("l4"), srcIp = Col("src_ip"), srcPort = Col("src_port"), dstIp = Col("dst_ip"), dstPort = Col("dst_port");
            int vlan = Col("vlan"), proto = Col("ndpi_proto"), confidence = Col("confidence"), host = Col("host_or_sni"), ja3 = Col("ja3c");
            var rows = new List<LabelRow>();
            foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
            {
                var f = Corpus.LabelCsv.Split(line);
                rows.Add(new LabelRow(f[l4], f[srcIp], int.Parse(f[srcPort], CultureInfo.InvariantCulture),
                    f[dstIp], int.Parse(f[dstPort], CultureInfo.InvariantCulture),
                    f[vlan].Length == 0 ? 0 : int.Parse(f[vlan], CultureInfo.InvariantCulture), f[proto], f[confidence], f[host], f[ja3]));
            }

            return rows;
        }
    }
}
