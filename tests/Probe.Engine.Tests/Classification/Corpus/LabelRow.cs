namespace Flowhive.Probe.Engine.Tests.Classification.Corpus;

/// <summary>One flow of the corpus as nDPI 4.2's ndpiReader labelled it (see the corpus README for the columns).</summary>
public sealed record LabelRow(
    string Pcap,
    string L4,
    string SrcIp,
    int SrcPort,
    string DstIp,
    int DstPort,
    int Vlan,
    string NdpiProto,
    string AppProtocol,
    string MasterProtocol,
    string Category,
    string HostOrSni,
    string Confidence,
    string Ja3Client)
{
    public override string ToString() => $"{Pcap} {L4} {SrcIp}:{SrcPort} -> {DstIp}:{DstPort}{(Vlan != 0 ? $" vlan {Vlan}" : "")}";
}
