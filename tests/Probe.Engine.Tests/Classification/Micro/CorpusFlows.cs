using Flowhive.Probe.Engine.Classification.Micro;
using Flowhive.Probe.Engine.Tests.Classification.Corpus;
using Flowhive.Shared.Flows;

namespace Flowhive.Probe.Engine.Tests.Classification.Micro;

/// <summary>A corpus capture run through the real reader, flow table and a fresh micro engine: its exported records.</summary>
public static class CorpusFlows
{
    public static IReadOnlyList<FlowRecord> Of(string pcap)
    {
        var engine = new MicroEngine();
        return CorpusRun.Records(DevCorpus.PcapPath(pcap), _ => engine.CreateClassifier());
    }

    /// <summary>The one record whose either end uses <paramref name="port"/>.</summary>
    public static FlowRecord WithPort(string pcap, ushort port) => Assert.Single(Of(pcap), r => r.SrcPort == port || r.DstPort == port);

    public static string NameOf(in FlowRecord record) => record.L7App == 0 ? "Unknown" : record.Metadata?.L7ProtoName ?? "?";
}
