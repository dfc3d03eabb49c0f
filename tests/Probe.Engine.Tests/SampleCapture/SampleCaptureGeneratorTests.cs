using System.Buffers.Binary;
using Flowhive.Probe.Engine.Capture;
using Flowhive.Probe.Engine.Flows;
using Flowhive.Probe.Engine.Tests.Support;
using Flowhive.Probe.Engine.Workers;
using Flowhive.Shared.Flows;
using Flowhive.Tools.SampleCapture;

namespace Flowhive.Probe.Engine.Tests.SampleCapture;

public sealed class SampleCaptureGeneratorTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void The_same_seed_writes_byte_identical_files_and_another_seed_does_not()
    {
        var first = SampleCaptureGenerator.Write(_dir.File("a.pcap"), seed: 1);
        var second = SampleCaptureGenerator.Write(_dir.File("b.pcap"), seed: 1);
        var other = SampleCaptureGenerator.Write(_dir.File("c.pcap"), seed: 2);

        Assert.Equal(File.ReadAllBytes(first.Path), File.ReadAllBytes(second.Path));
        Assert.NotEqual(File.ReadAllBytes(first.Path), File.ReadAllBytes(other.Path));
    }

    [Fact]
    public void The_committed_sample_is_what_the_generator_writes_by_default()
    {
        var committed = Path.Combine(RepositoryRoot(), "samples", "sample.pcap");
        var fresh = SampleCaptureGenerator.Write(_dir.File("sample.pcap"), seed: 1);

        // If this fails, the generator changed: regenerate (see samples/README.md) and update the README's counts.
        Assert.True(File.ReadAllBytes(committed).AsSpan().SequenceEqual(File.ReadAllBytes(fresh.Path)), "samples/sample.pcap is stale");
    }

    [Fact]
    public void The_sample_is_about_a_minute_of_a_few_thousand_packets_under_one_and_a_half_megabytes()
    {
        var summary = SampleCaptureGenerator.Write(_dir.File("sample.pcap"), seed: 1);
        var frames = SampleCaptureGenerator.Generate(1);

        Assert.InRange(summary.Packets, 2_000, 6_000);
        Assert.True(summary.FileBytes < 1_500_000, $"{summary.FileBytes} bytes");
        Assert.InRange(summary.DurationSeconds, 45, 60);
        // Time starts at the fixed base (2026-01-01T00:00:00Z), not at the clock.
        Assert.InRange(frames[0].TimestampUs - (SampleCaptureGenerator.BaseTime.ToUnixTimeMilliseconds() * 1000), 0, 2_000_000);
        Assert.All(frames.Zip(frames.Skip(1)), pair => Assert.True(pair.First.TimestampUs <= pair.Second.TimestampUs));
    }

    [Fact]
    public void The_sample_decodes_without_malformed_packets_and_its_flows_hold_every_ip_byte()
    {
        var path = SampleCaptureGenerator.Write(_dir.File("sample.pcap"), seed: 1).Path;
        var frames = SampleCaptureGenerator.Generate(1);

        // Count directly from the frames: ARP is the only non-IP traffic; IP bytes come from the IP headers.
        long arp = 0;
        ulong ipBytes = 0;
        foreach (var frame in frames.Select(f => f.Frame))
        {
            var at = 12;
            while (BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(at)) is 0x8100 or 0x88A8)
            {
                at += 4;
            }

            var etherType = BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(at));
            var ip = frame.AsSpan(at + 2);
            switch (etherType)
            {
                case 0x0806:
                    arp++;
                    break;
                case 0x0800:
                    ipBytes += BinaryPrimitives.ReadUInt16BigEndian(ip[2..]);
                    break;
                case 0x86DD:
                    ipBytes += 40u + BinaryPrimitives.ReadUInt16BigEndian(ip[4..]);
                    break;
                default:
                    Assert.Fail($"unexpected ethertype 0x{etherType:x4}");
                    break;
            }
        }

        var sink = new RecordingSink();
        using var engine = new CaptureEngine(new PcapFileReader(path), new FlowTableOptions(), sink);
        engine.Run();
        var stats = engine.Snapshot();
        var flows = sink.Records;

        Assert.Equal(frames.Count, stats.Packets);
        Assert.Equal(0, stats.MalformedPackets);
        Assert.Equal(new Dictionary<string, long> { ["not-ip"] = arp }, stats.DecodeDrops);
        Assert.Equal(ipBytes, flows.Aggregate(0ul, (s, r) => s + r.TotalBytes));

        // The traffic mix the sample promises.
        Assert.Contains(flows, r => r.Vlan == 10);
        Assert.Contains(flows, r => r.IpVersion == 6 && r.Protocol == 6 && r.DstPort == 443);
        Assert.Contains(flows, r => r.IpVersion == 6 && r.Protocol == 17 && r.DstPort == 53);
        Assert.Contains(flows, r => r.IpVersion == 6 && r.Protocol == 58);
        Assert.Contains(flows, r => r.IpVersion == 4 && r.Protocol == 1);
        Assert.Contains(flows, r => r.Protocol == 17 && r.DstPort == 443 && r.OutBytes > 50_000); // QUIC
        Assert.Contains(flows, r => r.Protocol == 6 && r.DstPort == 80);
        Assert.Contains(flows, r => r.Protocol == 6 && r.DstPort == 22);
        Assert.Contains(flows, r => r.Protocol == 17 && r.DstPort == 123);
        Assert.Contains(flows, r => r.Protocol == 17 && r.DstPort == 1900);
        Assert.Contains(flows, r => r.Protocol == 6 && r.ClientTcpFlags == (byte)TcpFlags.Syn && r.ServerTcpFlags == (byte)(TcpFlags.Rst | TcpFlags.Ack));
        Assert.Contains(flows, r => r.Protocol == 6 && r.EndReason == FlowEndReason.EndOfFlow && r.InBytes > 1000 && r.OutBytes > 1000 &&
                                    (r.ClientTcpFlags & (byte)TcpFlags.Fin) != 0 && (r.ServerTcpFlags & (byte)TcpFlags.Fin) != 0);
        Assert.All(flows.Where(r => r.Protocol == 6), r => Assert.Equal(0u, r.RetransmittedInPkts + r.RetransmittedOutPkts + r.OutOfOrderInPkts + r.OutOfOrderOutPkts));
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Cluster.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no Cluster.sln above {AppContext.BaseDirectory}");
    }
}
