using BenchmarkDotNet.Attributes;
using Flowhive.Probe.Engine.Capture;
using Flowhive.Probe.Engine.Decode;
using Flowhive.Probe.Engine.Flows;

namespace Flowhive.Benchmarks.Probe;

/// <summary>Flow table update cost per packet (lookup or insert, counters, TCP tracking), for a small and a large working set.</summary>
[MemoryDiagnoser]
public class FlowTableBenchmarks
{
    private const int Packets = 65536;
    private DecodedPacket[] _packets = [];
    private byte[][] _frames = [];
    private FlowTable _table = null!;

    [Params(1_000, 100_000)]
    public int Flows { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _frames = BenchmarkFrames.Create(Packets, Flows);
        _packets = new DecodedPacket[Packets];
        for (var i = 0; i < Packets; i++)
        {
            PacketDecoder.Decode(_frames[i], (int)LinkType.Ethernet, ref _packets[i]);
        }

        // Long timeouts: this measures updates, not exports; the table is warmed with every flow first.
        _table = new FlowTable(new FlowTableOptions { IdleTimeout = TimeSpan.FromDays(1), Lifetime = TimeSpan.FromDays(1) }, new DiscardSink());
        Update();
    }

    [Benchmark(OperationsPerInvoke = Packets)]
    public int Update()
    {
        for (var i = 0; i < _packets.Length; i++)
        {
            var p = _packets[i];
            _table.Process(ref p, 1_767_225_600_000_000 + i, _frames[i]);
        }

        return _table.Count;
    }
}
