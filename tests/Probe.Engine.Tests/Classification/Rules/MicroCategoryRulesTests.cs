using Flowhive.Probe.Engine.Classification.Micro;
using Flowhive.Probe.Engine.Classification.Rules;
using Flowhive.Probe.Engine.Tests.Classification.Corpus;
using Flowhive.Shared.Net;

namespace Flowhive.Probe.Engine.Tests.Classification.Rules;

/// <summary>
/// Custom categories (<c>--ndpi-categories</c>, nDPI's file format) with the micro engine: host-substring and IP
/// rules, the five user categories by name or id, applied to real captures, reloaded in place.
/// </summary>
public sealed class MicroCategoryRulesTests : IDisposable
{
    private const ushort UserCategory1 = 20;
    private const ushort UserCategory3 = 22;
    private readonly string _dir = Directory.CreateTempSubdirectory("flowhive-categories-").FullName;

    /// <summary>One TLS flow to i.instagram.com (TLS.Instagram, category SocialNetwork, without rules).</summary>
    private static string Capture => DevCorpus.PcapPath("tls_2_reasms.pcapng");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private CategoryRuleSet Load(MicroEngine engine, string text)
    {
        var path = Path.Combine(_dir, "categories.txt");
        File.WriteAllText(path, text);
        return new CategoryRuleSet(CategoryRuleFile.Load(path, engine.CategoryNames()));
    }

    [Fact]
    public void A_host_rule_gives_the_tls_flow_its_custom_category_and_keeps_the_protocol()
    {
        var engine = new MicroEngine();
        var before = Assert.Single(CorpusRun.Records(Capture, _ => engine.CreateClassifier()), r => r.SrcPort == 443 || r.DstPort == 443);
        Assert.NotEqual(UserCategory1, before.L7Category);

        engine.ApplyCategoryRules(Load(engine, "# comment\ninstagram.com\tUser custom category 1\n"));
        var record = Assert.Single(CorpusRun.Records(Capture, _ => engine.CreateClassifier()), r => r.SrcPort == 443 || r.DstPort == 443);

        Assert.Equal("TLS.Instagram", record.Metadata?.L7ProtoName);
        Assert.Equal(UserCategory1, record.L7Category);
        Assert.Equal("User custom category 1", record.Metadata?.CategoryName);
    }

    [Fact]
    public void An_ip_rule_labels_every_flow_of_that_network_known_protocol_or_not_and_a_reload_removes_it()
    {
        var engine = new MicroEngine();
        var flows = CorpusRun.Records(Capture, _ => engine.CreateClassifier());
        var server = flows.Single(r => r.SrcPort == 443 || r.DstPort == 443);
        var address = server.DstPort == 443 ? server.DstAddr : server.SrcAddr;

        engine.ApplyCategoryRules(Load(engine, $"{address}/32\t{UserCategory3}\n"));
        var ruled = CorpusRun.Records(Capture, _ => engine.CreateClassifier());
        var touching = ruled.Where(r => r.SrcAddr == address || r.DstAddr == address).ToList();
        Assert.NotEmpty(touching);
        Assert.All(touching, r => Assert.Equal(UserCategory3, r.L7Category));
        Assert.All(ruled.Except(touching), r => Assert.NotEqual(UserCategory3, r.L7Category));

        engine.ApplyCategoryRules(CategoryRuleSet.Empty);
        var again = CorpusRun.Records(Capture, _ => engine.CreateClassifier()).Single(r => r.SrcPort == 443 || r.DstPort == 443);
        Assert.Equal(server.L7Category, again.L7Category);
    }

    [Fact]
    public void The_longest_host_text_and_the_longest_prefix_win_and_matching_ignores_case()
    {
        var engine = new MicroEngine();
        var rules = Load(engine, "example.com\t20\nmail.example.com\t21\n10.0.0.0/8\t22\n10.1.0.0/16\t23\n");
        var none = IpAddr.Parse("192.0.2.1");

        Assert.Equal(21, rules.Match("IMAP.Mail.Example.com", none, none));
        Assert.Equal(20, rules.Match("www.example.com", none, none));
        Assert.Equal(23, rules.Match(null, none, IpAddr.Parse("10.1.2.3")));
        Assert.Equal(22, rules.Match("other.org", IpAddr.Parse("10.200.0.1"), none));
        Assert.Equal(0, rules.Match("other.org", none, none));
    }

    [Theory]
    [InlineData("example.com\n", ":1: expected 'host<TAB>category'")]
    [InlineData("example.com\tNo such category\n", ":1: unknown category 'No such category'")]
    [InlineData("# fine\nexample.com\t999\n", ":2: category 999 does not exist")]
    public void A_bad_line_is_an_error_naming_the_file_and_line(string text, string expected)
    {
        var engine = new MicroEngine();
        var error = Assert.Throws<FormatException>(() => Load(engine, text));
        Assert.Contains("categories.txt" + expected, error.Message, StringComparison.Ordinal);
    }
}
