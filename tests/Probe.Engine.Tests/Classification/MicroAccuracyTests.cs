using System.Globalization;
using System.Text;
using Flowhive.Probe.Engine.Tests.Classification.Corpus;
using Xunit.Abstractions;

namespace Flowhive.Probe.Engine.Tests.Classification;

/// <summary>
/// The micro engine against nDPI 4.2's labels of the dev corpus. The bar: on DPI-labelled flows whose protocol the
/// engine supports, at least 95% agreement; over all DPI-labelled flows, at most 1% contradicted (a flow the engine
/// does not know must stay Unknown). Flows labelled by cache, port or IP guesses are reported apart, not scored.
/// </summary>
public sealed class MicroAccuracyTests(CorpusScoreFixture fixture, ITestOutputHelper output) : IClassFixture<CorpusScoreFixture>
{
    private const double MinAgreement = 0.95;
    private const double MaxWrong = 0.01;

    [Fact]
    public void Agrees_with_ndpi_on_at_least_95_percent_of_supported_DPI_flows()
    {
        var score = fixture.Score;
        output.WriteLine(Report(score));
        var supported = score.Dpi.Where(f => f.Supported).ToList();
        var agree = supported.Count(f => f.Outcome == Outcome.Agree);
        Assert.True(supported.Count > 0, "no supported DPI-labelled flow in the corpus");
        var rate = (double)agree / supported.Count;
        Assert.True(rate >= MinAgreement,
            $"agreement {agree}/{supported.Count} = {rate:P1} on supported DPI flows is under {MinAgreement:P0}; disagreements:\n" +
            string.Join('\n', supported.Where(f => f.Outcome != Outcome.Agree).Select(Describe)));
    }

    [Fact]
    public void Contradicts_at_most_1_percent_of_DPI_flows()
    {
        var dpi = fixture.Score.Dpi.ToList();
        var wrong = dpi.Where(f => f.Outcome == Outcome.Wrong).ToList();
        var rate = (double)wrong.Count / dpi.Count;
        Assert.True(rate <= MaxWrong,
            $"{wrong.Count}/{dpi.Count} = {rate:P2} of DPI flows labelled wrongly (at most {MaxWrong:P0}):\n" + string.Join('\n', wrong.Select(Describe)));
    }

    [Fact]
    public void Every_labelled_flow_is_exported()
    {
        var missing = fixture.Score.Flows.Where(f => f.ActualConfidence is null && f.Actual == "Unknown").ToList();
        output.WriteLine($"label rows without a labelled record: {missing.Count} (unknown or not exported)");
    }

    private static string Describe(ScoredFlow f) =>
        $"  {f.Outcome,-12} {f.Label}: nDPI 4.2 {f.Expected} ({f.Label.HostOrSni}), micro {f.Actual}";

    private static string Report(CorpusScore score)
    {
        var text = new StringBuilder();
        var culture = CultureInfo.InvariantCulture;
        text.AppendLine(culture, $"Corpus: {score.Flows.Count} labelled flows, {score.RecordsExported} records exported");
        text.AppendLine("DPI-labelled flows by nDPI 4.2 protocol (supported = the engine claims every name in the label):");
        text.AppendLine(culture, $"  {"protocol",-24} {"sup",3} {"flows",5} {"agree",5} {"unkn",5} {"less",5} {"wrong",5}");
        foreach (var group in score.Dpi.GroupBy(f => f.Expected).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal))
        {
            text.AppendLine(culture,
                $"  {group.Key,-24} {(group.First().Supported ? "yes" : "no"),3} {group.Count(),5} {group.Count(f => f.Outcome == Outcome.Agree),5} " +
                $"{group.Count(f => f.Outcome == Outcome.Unknown),5} {group.Count(f => f.Outcome == Outcome.LessSpecific),5} {group.Count(f => f.Outcome == Outcome.Wrong),5}");
        }

        var dpi = score.Dpi.ToList();
        var supported = dpi.Where(f => f.Supported).ToList();
        text.AppendLine(culture,
            $"Supported DPI flows: {supported.Count}, agree {supported.Count(f => f.Outcome == Outcome.Agree)} " +
            $"({Rate(supported, Outcome.Agree)}), unknown {supported.Count(f => f.Outcome == Outcome.Unknown)}, " +
            $"less specific {supported.Count(f => f.Outcome == Outcome.LessSpecific)}, wrong {supported.Count(f => f.Outcome == Outcome.Wrong)}");
        text.AppendLine(culture,
            $"All DPI flows: {dpi.Count}, agree {dpi.Count(f => f.Outcome == Outcome.Agree)} ({Rate(dpi, Outcome.Agree)}), " +
            $"wrong {dpi.Count(f => f.Outcome == Outcome.Wrong)} ({Rate(dpi, Outcome.Wrong)}), less specific {dpi.Count(f => f.Outcome == Outcome.LessSpecific)}");
        foreach (var confidence in new[] { "DPI (cache)", "Match by port", "Match by IP", "Unknown" })
        {
            var rows = score.Flows.Where(f => f.Label.Confidence == confidence).ToList();
            var others = string.Join(", ", rows.Where(f => f.Outcome is Outcome.Wrong or Outcome.LessSpecific)
                .GroupBy(f => $"{f.Expected}->{f.Actual}").Select(g => $"{g.Key} x{g.Count()}"));
            text.AppendLine(culture,
                $"Labelled '{confidence}' (not scored): {rows.Count} flows; micro agrees on {rows.Count(f => f.Outcome == Outcome.Agree)}, " +
                $"says Unknown on {rows.Count(f => f.Outcome == Outcome.Unknown)}, other: {others}");
        }

        var microCache = score.Flows.Where(f => f.ActualConfidence == "DPI (cache)").ToList();
        text.AppendLine(culture, $"Micro labels from the DNS cache: {microCache.Count} (agree {microCache.Count(f => f.Outcome == Outcome.Agree)})");

        var ja3 = score.Flows.Where(f => f.Label.Ja3Client.Length > 0).ToList();
        text.AppendLine(culture,
            $"JA3 client: {ja3.Count} labelled, micro computed {ja3.Count(f => f.Ja3Client is not null)}, equal {ja3.Count(f => f.Ja3Client == f.Label.Ja3Client)}");
        text.AppendLine("Disagreements on DPI flows:");
        foreach (var f in dpi.Where(f => f.Outcome != Outcome.Agree))
        {
            text.AppendLine(Describe(f));
        }

        return text.ToString();
    }

    private static string Rate(List<ScoredFlow> flows, Outcome outcome) =>
        flows.Count == 0 ? "-" : ((double)flows.Count(f => f.Outcome == outcome) / flows.Count).ToString("P1", CultureInfo.InvariantCulture);
}
