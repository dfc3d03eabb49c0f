using BenchmarkDotNet.Attributes;
using Flowhive.Probe.Engine.Capture;
using Flowhive.Probe.Engine.Flows;
using Flowhive.Probe.Engine.Workers;

namespace Flowhive.Benchmarks.Probe;

/// <summary>
/// The whole capture path on a real file: read, decode, flow table, export into a discarding sink. Needs a
/// capture: FLOWHIVE_BENCH_PCAP, default .build/bench/bench-100k.pcap (generate with ../shared/bench/gen-pcap.py
/// --flows 4000 --packets 100000 --seed 1). Reported per packet.
/// </summary>
[MemoryDiagnoser]
public class EngineBenchmarks
{
    private string _path = "";
    private long _packets;

    [Params(1, 2)]
    public int Workers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _path = Environment.GetEnvironmentVariable("FLOWHIVE_BENCH_PCAP") ?? Path.Combine(BenchPaths.Root, ".build", "bench", "bench-100k.pcap");
        if (!File.Exists(_path))
        {
            throw new FileNotFoundException($"{_path}: generate it with ../shared/bench/gen-pcap.py (see bench/README.md)");
        }

        _packets = Run();
    }

    [Benchmark]
    public long ReadDecodeTrack() => Run();

    private long Run()
    {
        using var engine = new CaptureEngine(new PcapFileReader(_path), new FlowTableOptions(), _ => new DiscardSink(), null, Workers);
        engine.Run();
        return engine.Snapshot().Packets;
    }
}
