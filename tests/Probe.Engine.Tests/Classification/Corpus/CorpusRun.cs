using Flowhive.Probe.Engine.Capture;
using Flowhive.Probe.Engine.Classification;
using Flowhive.Probe.Engine.Flows;
using Flowhive.Probe.Engine.Tests.Support;
using Flowhive.Probe.Engine.Workers;
using Flowhive.Shared.Flows;

namespace Flowhive.Probe.Engine.Tests.Classification.Corpus;

/// <summary>Runs a capture through the real reader, decoder, flow table and a classifier, and keeps every exported record.</summary>
public static class CorpusRun
{
    /// <summary>Timeouts long enough that every conversation of a short capture is one record, as ndpiReader counts flows.</summary>
    public static readonly FlowTableOptions Options = new()
    {
        IdleTimeout = TimeSpan.FromHours(1),
        Lifetime = TimeSpan.FromDays(1),
        TcpCloseGrace = TimeSpan.FromSeconds(2),
    };

    public static IReadOnlyList<FlowRecord> Records(string pcapPath, Func<int, IFlowClassifier?> classifiers, int workers = 1)
    {
        var sinks = new RecordingSink[workers];
        using (var engine = new CaptureEngine(new PcapFileReader(pcapPath), Options, i => sinks[i] = new RecordingSink(), classifiers, workers))
        {
            engine.Run();
        }

        return [.. sinks.SelectMany(s => s.Records)];
    }

    /// <summary>An endpoint-order-free key for matching records to label rows.</summary>
    public static string Key(int protocol, string a, int aPort, string b, int bPort, int vlan)
    {
        var first = string.CompareOrdinal(a, b) < 0 || (a == b && aPort <= bPort);
        return first ? $"{protocol}|{a}|{aPort}|{b}|{bPort}|{vlan}" : $"{protocol}|{b}|{bPort}|{a}|{aPort}|{vlan}";
    }

    public static string Key(in FlowRecord r) =>
        Key(r.Protocol, r.SrcAddr.ToString(), r.SrcPort, r.DstAddr.ToString(), r.DstPort, r.Vlan);

    public static string Key(LabelRow row) =>
        Key(ProtocolNumber(row.L4), Canonical(row.SrcIp), row.SrcPort, Canonical(row.DstIp), row.DstPort, row.Vlan);

    /// <summary>
    /// ndpiReader prints IPv6 addresses with inet_ntop, which also compresses a single zero group
    /// ("b00c::99"); .NET follows RFC 5952 ("b00c:0:99"). Both parse to the same address.
    /// </summary>
    private static string Canonical(string address) =>
        System.Net.IPAddress.TryParse(address, out var parsed) ? parsed.ToString() : address;

    public static int ProtocolNumber(string l4) => l4 switch
    {
        "TCP" => 6,
        "UDP" => 17,
        "ICMP" => 1,
        "ICMPV6" => 58,
        "IGMP" => 2,
        "ESP" => 50,
        "AH" => 51,
        "GRE" => 47,
        _ => int.TryParse(l4, out var n) ? n : -1,
    };
}
