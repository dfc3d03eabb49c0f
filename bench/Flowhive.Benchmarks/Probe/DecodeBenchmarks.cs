using BenchmarkDotNet.Attributes;
using Flowhive.Probe.Engine.Capture;
using Flowhive.Probe.Engine.Decode;

namespace Flowhive.Benchmarks.Probe;

/// <summary>Packet decode cost per frame (Ethernet/VLAN/IPv4/IPv6/TCP/UDP/ICMP mix). Reported per frame via OperationsPerInvoke.</summary>
[MemoryDiagnoser]
public class DecodeBenchmarks
{
    private const int Frames = 4096;
    private byte[][] _frames = [];

    [GlobalSetup]
    public void Setup() => _frames = BenchmarkFrames.Create(Frames, flows: 1000);

    [Benchmark(OperationsPerInvoke = Frames)]
    public int Decode()
    {
        var p = default(DecodedPacket);
        var ok = 0;
        foreach (var frame in _frames)
        {
            if (PacketDecoder.Decode(frame, (int)LinkType.Ethernet, ref p) == DecodeStatus.Ok)
            {
                ok++;
            }
        }

        return ok;
    }
}
