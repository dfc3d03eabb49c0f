using System.Diagnostics;
using Flowhive.Shared.Flows;
using Flowhive.Shared.Messages.Tests.Wire.NetFlow;
using Flowhive.Shared.Wire.SFlow;
using Xunit.Abstractions;

namespace Flowhive.Shared.Messages.Tests.Wire.SFlow;

/// <summary>
/// Seeded mutation fuzzing of the sFlow v5 decoder: spec-built datagrams (flow samples compact and expanded,
/// Ethernet/VLAN/IPv4/IPv6 headers, counter samples, both agent address types) mutated by the NetFlow fuzzer's
/// mutator. Every input must decode without an exception, within the record limit and without unbounded output.
/// </summary>
public sealed class SFlowFuzzTests(ITestOutputHelper output)
{
    private const int Inputs = 1_000_000;
    private const int MaxRecords = 64;

    [Fact]
    public void A_million_mutated_sflow_datagrams_never_throw_and_stay_bounded()
    {
        var corpus = Corpus();
        var random = new Random(0x5EED_5F10);
        var decoder = new SFlowDecoder();
        var flows = new List<FlowRecord>();
        var interfaces = new List<SFlowInterfaceCounters>();
        var scratch = new byte[4096];
        var stopwatch = Stopwatch.StartNew();
        long decoded = 0;

        for (var i = 0; i < Inputs; i++)
        {
            var length = NetFlowFuzzTests.Mutate(random, corpus[random.Next(corpus.Length)], scratch);
            var input = scratch.AsSpan(0, length);
            flows.Clear();
            interfaces.Clear();
            SFlowDecodeResult result;
            try
            {
                result = decoder.Decode(input, 0, flows, interfaces, MaxRecords);
            }
            catch (Exception e)
            {
                Assert.Fail($"input {i}: {e.GetType().Name} {e.Message} for {Convert.ToHexString(input)}");
                return;
            }

            // A flow needs a sample header, a record header and an IP header: far more than 8 bytes each.
            if (result.FlowRecords != flows.Count || result.InterfaceCounters != interfaces.Count || flows.Count > MaxRecords
                || interfaces.Count > MaxRecords || (flows.Count + interfaces.Count) * 8 > length)
            {
                Assert.Fail($"input {i}: unbounded result {result} for {Convert.ToHexString(input)}");
            }

            decoded += flows.Count + interfaces.Count;
        }

        output.WriteLine($"{Inputs:N0} inputs in {stopwatch.Elapsed.TotalSeconds:F1} s; {decoded:N0} flows and interface counters decoded");
        output.WriteLine(string.Join(", ", decoder.Counters.Problems.Select(p => $"{p.Status}={p.Count}")));
        Assert.True(decoded > Inputs / 10, $"only {decoded} records decoded: the corpus no longer reaches the record paths");
        Assert.True(decoder.Counters.Problems.Count() >= 5, "mutations hit too few problem kinds");
    }

    private static byte[][] Corpus()
    {
        var tcp = SFlowDatagrams.TcpFrameHeader();
        var udp6 = SFlowDatagrams.Ipv6UdpHeader();
        var mixed = SFlowDatagrams.Header(3, ipv6Agent: true);
        SFlowDatagrams.FlowSample(mixed, tcp, 1000, expanded: true);
        SFlowDatagrams.CounterSample(mixed, 3, 10, 20);
        SFlowDatagrams.FlowSample(mixed, udp6, 60, headerProtocol: 12);
        return
        [
            SFlowDatagrams.FlowSample(SFlowDatagrams.Header(1), tcp, 1000).ToArray(),
            SFlowDatagrams.FlowSample(SFlowDatagrams.FlowSample(SFlowDatagrams.Header(2), tcp, 1000), udp6, 60, headerProtocol: 12).ToArray(),
            SFlowDatagrams.CounterSample(SFlowDatagrams.Header(1), 1, 100, 200).ToArray(),
            mixed.ToArray(),
        ];
    }
}
