using Flowhive.Probe.Engine.Classification.Micro;
using Flowhive.Shared.Flows;

namespace Flowhive.Probe.Engine.Tests.Classification.Corpus;

/// <summary>
/// Runs the micro engine over every capture of the corpus and compares each labelled flow. Matching is exact:
/// (l4, addresses, ports, VLAN) in either direction, and protocol names compared as strings after the explicit
/// <see cref="NameMap"/> (no fuzzy matching).
/// </summary>
public sealed class CorpusScore
{
    /// <summary>
    /// Names that newer nDPI versions changed, mapped to the nDPI 4.2 names the engine reports. The labels are
    /// 4.2's, so this only matters if a label file is regenerated with a newer ndpiReader.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> NameMap = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["IPSec"] = "IPsec",
        ["RESP"] = "Redis",
    };

    public CorpusScore()
    {
        var flows = new List<ScoredFlow>();
        var records = 0;
        foreach (var pcap in DevCorpus.Pcaps())
        {
            var engine = new MicroEngine();
            var supported = engine.SupportedProtocols.Select(id => engine.Catalog[id].Name).ToHashSet(StringComparer.Ordinal);
            var exported = CorpusRun.Records(DevCorpus.PcapPath(pcap), _ => engine.CreateClassifier());
            records += exported.Count;
            var byKey = exported.GroupBy(r => CorpusRun.Key(r)).ToDictionary(g => g.Key, g => g.ToList());
            foreach (var label in DevCorpus.Labels(pcap))
            {
                byKey.TryGetValue(CorpusRun.Key(label), out var matches);
                flows.Add(Score(label, matches, supported));
            }
        }

        Flows = flows;
        RecordsExported = records;
    }

    public IReadOnlyList<ScoredFlow> Flows { get; }

    public int RecordsExported { get; }

    public IEnumerable<ScoredFlow> Dpi => Flows.Where(f => f.Label.Confidence == "DPI");

    private static ScoredFlow Score(LabelRow label, List<FlowRecord>? matches, HashSet<string> supported)
    {
        var master = Map(label.MasterProtocol);
        var app = Map(label.AppProtocol);
        var expected = master.Length > 0 ? $"{master}.{app}" : app;

        // A conversation may be exported as several records (slices, or a closed connection whose ports were
        // reused): the first one the engine labelled speaks for it.
        var record = matches?.FirstOrDefault(r => r.L7App != 0) ?? matches?.FirstOrDefault();
        var actual = record is { L7App: not 0, Metadata.L7ProtoName: { } name } ? name : "Unknown";
        var outcome = actual == expected ? Outcome.Agree
            : actual == "Unknown" ? Outcome.Unknown
            : master.Length > 0 && actual == master ? Outcome.LessSpecific
            : Outcome.Wrong;
        var isSupported = app != "Unknown" && supported.Contains(app) && (master.Length == 0 || supported.Contains(master));
        return new ScoredFlow(label, expected, actual, record?.Metadata?.Confidence, outcome, isSupported, record?.Metadata?.Ja3Client);
    }

    private static string Map(string name) => NameMap.TryGetValue(name, out var mapped) ? mapped : name;
}
