using Flowhive.Probe.Engine.Classification.Micro;
using Flowhive.Probe.Engine.Classification.Rules;
using Flowhive.Probe.Engine.Tests.Classification.Corpus;

namespace Flowhive.Probe.Engine.Tests.Classification.Rules;

/// <summary>The micro engine applies protos rules to real captures: host rules over services, address/port rules before inspection, reloads in place.</summary>
public sealed class MicroRulesTests
{
    /// <summary>One TLS flow to i.instagram.com (TLS.Instagram without rules).</summary>
    private static string Capture => DevCorpus.PcapPath("tls_2_reasms.pcapng");

    [Fact]
    public void A_host_rule_names_the_tls_flow_before_the_service_table()
    {
        var engine = new MicroEngine();
        engine.ApplyRules(ProtoRuleFile.Parse("host:\"instagram\"@PhotoApp\n", "protos.txt"));

        var record = Assert.Single(CorpusRun.Records(Capture, _ => engine.CreateClassifier()), r => r.SrcPort == 443 || r.DstPort == 443);

        Assert.Equal("TLS.PhotoApp", record.Metadata?.L7ProtoName);
        Assert.Equal(engine.User.Custom.Single().Id, record.L7App);
        Assert.Equal(91, record.L7Master);
        Assert.Equal("Unspecified", record.Metadata?.CategoryName);
    }

    [Fact]
    public void A_port_rule_decides_a_flow_without_inspection_and_a_known_name_keeps_its_ndpi_id()
    {
        var engine = new MicroEngine();
        engine.ApplyRules(ProtoRuleFile.Parse("tcp:443@HTTP\n", "protos.txt"));

        var record = Assert.Single(CorpusRun.Records(Capture, _ => engine.CreateClassifier()), r => r.SrcPort == 443 || r.DstPort == 443);

        Assert.Equal("HTTP", record.Metadata?.L7ProtoName);
        Assert.Equal((ushort)7, record.L7App);
        Assert.Null(record.Metadata?.TlsServerName);
    }

    [Fact]
    public void Reloaded_rules_apply_to_later_flows_and_emptied_rules_restore_dpi()
    {
        var engine = new MicroEngine();
        engine.ApplyRules(ProtoRuleFile.Parse("ip:0.0.0.0/0@Everything\n", "protos.txt"));
        var ruled = CorpusRun.Records(Capture, _ => engine.CreateClassifier());
        Assert.All(ruled.Where(r => r.L7App != 0), r => Assert.Equal("Everything", r.Metadata?.L7ProtoName));

        engine.ApplyRules(ProtoRuleSet.Empty);
        var record = Assert.Single(CorpusRun.Records(Capture, _ => engine.CreateClassifier()), r => r.SrcPort == 443 || r.DstPort == 443);
        Assert.Equal("TLS.Instagram", record.Metadata?.L7ProtoName);
    }
}
