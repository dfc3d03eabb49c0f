using BenchmarkDotNet.Attributes;
using Flowhive.Probe.Engine.Capture;
using Flowhive.Probe.Engine.Classification.Ndpi;
using Flowhive.Probe.Engine.Decode;
using Flowhive.Probe.Engine.Flows;
using Flowhive.Shared.Flows;

namespace Flowhive.Benchmarks.Probe;

/// <summary>
/// The nDPI engine per packet, on real traffic: every packet of the labelled dev corpus (../shared/corpus/dev/pcap,
/// 931 flows of TLS, QUIC, DNS, HTTP, VoIP...), decoded once, then fed through a flow table with and without the
/// nDPI classifier; each invocation ends every flow, so the next one classifies from scratch. The difference
/// between the two is what nDPI costs per packet (averaged over all packets, including those after a flow's verdict).
/// </summary>
[MemoryDiagnoser]
public class NdpiBenchmarks
{
    /// <summary>Packets per invocation: the corpus's first 25,000 decodable packets in file-name order (it has 25,532).</summary>
    private const int CorpusPackets = 25_000;

    private readonly List<(byte[] Frame, DecodedPacket Packet, long TimestampUs)> _packets = [];
    private NdpiEngine? _engine;
    private NdpiClassifier? _classifier;
    private FlowTable _plain = null!;
    private FlowTable _ndpi = null!;

    [GlobalSetup]
    public void Setup()
    {
        var corpus = Path.Combine(FindRoot(), "..", "shared", "corpus", "dev", "pcap");
        var batch = new PacketBatch();
        var decoded = default(DecodedPacket);
        long offsetUs = 0;
        foreach (var pcap in Directory.GetFiles(corpus).Order(StringComparer.Ordinal))
        {
            // Captures laid end to end in time, as if one long capture, so that their flows never meet.
            using var reader = new PcapFileReader(pcap);
            long firstUs = -1, lastUs = 0;
            while (reader.Read(batch) == ReadStatus.Packets)
            {
                for (var i = 0; i < batch.Count; i++)
                {
                    var frame = batch.Buffer.AsSpan(batch.Offsets[i], batch.CapturedLengths[i]).ToArray();
                    if (PacketDecoder.Decode(frame, batch.LinkTypes[i], ref decoded) != DecodeStatus.Ok)
                    {
                        continue;
                    }

                    firstUs = firstUs < 0 ? batch.TimestampsUs[i] : firstUs;
                    lastUs = Math.Max(lastUs, batch.TimestampsUs[i] - firstUs);
                    _packets.Add((frame, decoded, offsetUs + batch.TimestampsUs[i] - firstUs));
                }
            }

            offsetUs += lastUs + 1_000_000;
        }

        if (_packets.Count < CorpusPackets)
        {
            throw new InvalidOperationException($"{corpus}: only {_packets.Count} decodable packets, {CorpusPackets} expected");
        }

        _packets.RemoveRange(CorpusPackets, _packets.Count - CorpusPackets);
        if (!NdpiEngine.TryCreate(new NdpiOptions(), out _engine, out var reason))
        {
            throw new InvalidOperationException($"nDPI engine unavailable: {reason}");
        }

        _classifier = _engine.CreateClassifier();

        // As ndpiReader reads a file: no flow expires during the run.
        var options = new FlowTableOptions { IdleTimeout = TimeSpan.FromDays(1), Lifetime = TimeSpan.FromDays(1), TcpCloseGrace = TimeSpan.FromDays(1) };
        _plain = new FlowTable(options, new DiscardSink());
        _ndpi = new FlowTable(options, new DiscardSink(), _classifier);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _classifier?.Dispose();
        _engine?.Dispose();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = CorpusPackets)]
    public int FlowTableOnly() => Run(_plain);

    [Benchmark(OperationsPerInvoke = CorpusPackets)]
    public int FlowTableWithNdpi() => Run(_ndpi);

    private int Run(FlowTable table)
    {
        foreach (var (frame, packet, timestampUs) in _packets)
        {
            var p = packet;
            table.Process(ref p, timestampUs, frame);
        }

        table.ExportAll();
        return _packets.Count;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Cluster.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"repository root (Cluster.sln) not found above {AppContext.BaseDirectory}");
    }

    private sealed class DiscardSink : IFlowSink
    {
        public void Export(in FlowRecord record)
        {
        }

        public void Flush()
        {
        }
    }
}
