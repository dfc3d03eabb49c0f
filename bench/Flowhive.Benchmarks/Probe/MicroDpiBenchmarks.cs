using BenchmarkDotNet.Attributes;
using Flowhive.Probe.Engine.Capture;
using Flowhive.Probe.Engine.Classification;
using Flowhive.Probe.Engine.Classification.Micro;
using Flowhive.Probe.Engine.Decode;
using Flowhive.Probe.Engine.Flows;

namespace Flowhive.Benchmarks.Probe;

/// <summary>
/// The micro DPI engine in the flow table, per packet, on real traffic: every capture of the labelled corpus
/// (../shared/corpus/dev/pcap, 25 k packets of TLS, QUIC, DNS, HTTP and 60 other protocols) decoded once into
/// memory (the first 20 k packets). <see cref="ClassifyNewFlows"/> starts every flow afresh (flow table + DPI until each flow is decided);
/// <see cref="ClassifiedFlows"/> replays the packets into flows that are already decided, the steady state of a
/// long flow, which must allocate nothing. <c>Dpi = none</c> is the same table without an engine, for the difference.
/// </summary>
[MemoryDiagnoser]
public class MicroDpiBenchmarks
{
    /// <summary>The first this many decodable packets of the corpus (it has about 25 k), so results are per packet.</summary>
    private const int Packets = 20_000;

    private byte[][] _frames = [];
    private DecodedPacket[] _packets = [];

    /// <summary>The same packets as plain ACKs: replayed, a SYN or FIN would close and reopen flows (new flows, not the steady state).</summary>
    private DecodedPacket[] _steady = [];
    private long[] _timestamps = [];
    private FlowTable _fresh = null!;
    private FlowTable _classified = null!;

    [Params("none", "micro")]
    public string Dpi { get; set; } = "micro";

    [GlobalSetup]
    public void Setup()
    {
        var directory = Path.Combine(BenchPaths.Root, "..", "shared", "corpus", "dev", "pcap");
        var frames = new List<byte[]>();
        var packets = new List<DecodedPacket>();
        var timestamps = new List<long>();
        var batch = new PacketBatch();
        foreach (var file in Directory.GetFiles(directory).Order(StringComparer.Ordinal))
        {
            using var reader = new PcapFileReader(file);
            while (reader.Read(batch) == ReadStatus.Packets)
            {
                for (var i = 0; i < batch.Count; i++)
                {
                    var frame = batch.Packet(i).ToArray();
                    var p = default(DecodedPacket);
                    if (PacketDecoder.Decode(frame, batch.LinkTypes[i], ref p) == DecodeStatus.Ok)
                    {
                        frames.Add(frame);
                        packets.Add(p);

                        // One microsecond apart, so that no flow idles out between replays.
                        timestamps.Add(1_767_225_600_000_000 + packets.Count);
                    }
                }
            }
        }

        if (packets.Count < Packets)
        {
            throw new InvalidOperationException($"{directory}: {packets.Count} decodable packets, the benchmark needs {Packets}");
        }

        _frames = [.. frames.Take(Packets)];
        _packets = [.. packets.Take(Packets)];
        _timestamps = [.. timestamps.Take(Packets)];
        _fresh = NewTable();
        _steady = [.. _packets.Select(p => p.Protocol == 6 ? p with { TcpFlags = 0x10 } : p)];
        _classified = NewTable();

        // Every replay inspects at least one more packet of each undecided flow, so after this many every flow is
        // decided (by its dissector or by the packet limit) and the benchmark sees only the steady state.
        for (var i = 0; i <= MicroClassifier.DefaultMaxPacketsPerFlow; i++)
        {
            Replay(_classified, _steady);
        }
    }

    /// <summary>Flow table with DPI on flows that are all new: classification included, per packet.</summary>
    [Benchmark(OperationsPerInvoke = Packets)]
    public int ClassifyNewFlows()
    {
        var flows = Replay(_fresh);
        _fresh.ExportAll();
        return flows;
    }

    /// <summary>Flow table with DPI on flows it has already decided: per packet, zero allocations.</summary>
    [Benchmark(OperationsPerInvoke = Packets)]
    public int ClassifiedFlows() => Replay(_classified, _steady);

    private int Replay(FlowTable table) => Replay(table, _packets);

    private int Replay(FlowTable table, DecodedPacket[] packets)
    {
        for (var i = 0; i < packets.Length; i++)
        {
            var p = packets[i];
            table.Process(ref p, _timestamps[i], _frames[i]);
        }

        return table.Count;
    }

    private FlowTable NewTable()
    {
        IFlowClassifier? classifier = Dpi == "micro" ? new MicroEngine().CreateClassifier() : null;
        return new FlowTable(new FlowTableOptions { IdleTimeout = TimeSpan.FromDays(1), Lifetime = TimeSpan.FromDays(1) }, new DiscardSink(), classifier);
    }
}
