using BenchmarkDotNet.Attributes;
using Flowhive.Probe.Engine.Capture;
using Flowhive.Probe.Engine.Decode;
using Flowhive.Probe.Engine.Flows;

namespace Flowhive.Benchmarks.Probe;

/// <summary>Cost of building the canonical bidirectional key and hashing it, and of the worker-selection hash, per packet.</summary>
public class HashBenchmarks
{
    private const int Packets = 4096;
    private DecodedPacket[] _packets = [];

    [GlobalSetup]
    public void Setup()
    {
        var frames = BenchmarkFrames.Create(Packets, flows: 1000);
        _packets = new DecodedPacket[Packets];
        for (var i = 0; i < Packets; i++)
        {
            PacketDecoder.Decode(frames[i], (int)LinkType.Ethernet, ref _packets[i]);
        }
    }

    [Benchmark(OperationsPerInvoke = Packets)]
    public uint FlowKeyAndHash()
    {
        uint h = 0;
        foreach (ref readonly var p in _packets.AsSpan())
        {
            h ^= FlowKey.Of(p, out _).Hash();
        }

        return h;
    }

    [Benchmark(OperationsPerInvoke = Packets)]
    public uint WorkerHash()
    {
        uint h = 0;
        foreach (ref readonly var p in _packets.AsSpan())
        {
            h ^= FlowKey.AddressPairHash(p);
        }

        return h;
    }
}
