using Flowhive.Probe.Engine.Capture;
using Flowhive.Probe.Engine.Flows;
using Flowhive.Probe.Engine.Tests.Support;
using Flowhive.Probe.Engine.Workers;
using Flowhive.Shared.Flows;
using Flowhive.Shared.Net;
using static Flowhive.Probe.Engine.Tests.Support.Addr;
using static Flowhive.Probe.Engine.Tests.Support.Packets;

namespace Flowhive.Probe.Engine.Tests.Workers;

public sealed class CaptureEngineTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Counts_packets_and_decode_drops_and_exports_every_flow_at_the_end()
    {
        var client = Ip("192.168.1.10");
        var server = Ip("198.51.100.7");
        var frames = new List<byte[]>
        {
            Tcp(client, 40000, server, 443, TcpFlags.Syn),
            Tcp(server, 443, client, 40000, TcpFlags.Syn | TcpFlags.Ack),
            Tcp(client, 40000, server, 443, TcpFlags.Ack, payload: 517),
            Udp(client, 5353, server, 53, payload: 40),
            Udp(server, 53, client, 5353, payload: 120),
            Icmp(client, server, 8, 1, 1),
            new FrameBuilder().Ethernet(1, 0xFFFF_FFFF_FFFF).EtherType(0x0806).Payload(new byte[28]).Build(),
            new FrameBuilder().Ethernet(1, 0xFFFF_FFFF_FFFF).EtherType(0x88CC).Payload(new byte[40]).Build(),
            Tcp(client, 40001, server, 443, TcpFlags.Syn)[..40], // cut inside TCP
            Tcp(client, 40002, server, 443, TcpFlags.Syn)[..45],
        };
        var badVersion = Udp(client, 1, server, 2);
        badVersion[14] = 0x55;
        frames.Add(badVersion);

        var path = _dir.File("engine.pcap");
        long wireBytes = 0;
        using (var writer = new PcapWriter(path, LinkType.Ethernet))
        {
            for (var i = 0; i < frames.Count; i++)
            {
                writer.WritePacket(At(i * 0.01), frames[i], frames[i].Length + 4); // the wire also carried an FCS
                wireBytes += frames[i].Length + 4;
            }
        }

        var sink = new RecordingSink();
        using var engine = new CaptureEngine(new PcapFileReader(path), new FlowTableOptions(), sink);
        engine.Run();
        var stats = engine.Snapshot();

        Assert.True(engine.Finished);
        Assert.True(stats.Finished);
        Assert.Equal(frames.Count, stats.Packets);
        Assert.Equal(wireBytes, stats.WireBytes);
        Assert.Equal(new Dictionary<string, long> { ["not-ip"] = 2, ["truncated-tcp"] = 2, ["bad-ip-version"] = 1 }, stats.DecodeDrops);
        Assert.Equal(3, stats.MalformedPackets);
        Assert.Equal(3, stats.FlowsCreated);
        Assert.Equal(3, stats.FlowsExported);
        Assert.Equal(0, stats.ActiveFlows);
        Assert.Equal(1.0, stats.Progress);
        Assert.Null(stats.Error);
        Assert.Equal(path, stats.Source);
        Assert.Equal(3, sink.Records.Count);
        Assert.All(sink.Records, r => Assert.Equal(FlowEndReason.ForcedEnd, r.EndReason));
        Assert.Equal([(1, 1ul), (6, 3ul), (17, 2ul)], sink.Records.Select(r => ((int)r.Protocol, r.TotalPackets)).Order());
    }

    [Fact]
    public void Reader_error_and_truncation_show_in_the_statistics()
    {
        var file = new ClassicPcap((int)LinkType.Ethernet)
            .Packet(At(0), Udp(Ip("10.0.0.1"), 1, Ip("10.0.0.2"), 2))
            .Record(1, 0, 0x7FFF_FFFF, 0, new byte[20]);
        var path = _dir.File("bad.pcap");
        File.WriteAllBytes(path, file.ToArray());

        var sink = new RecordingSink();
        using var engine = new CaptureEngine(new PcapFileReader(path), new FlowTableOptions(), sink);
        engine.Run();
        var stats = engine.Snapshot();

        Assert.Equal(1, stats.Packets);
        Assert.Contains("offset", stats.Error);
        Assert.Single(sink.Records);
    }

    [Fact]
    public void Looping_replay_at_full_speed_counts_every_pass()
    {
        var path = _dir.File("loop.pcap");
        using (var writer = new PcapWriter(path, LinkType.Ethernet))
        {
            writer.WritePacket(At(0), Udp(Ip("10.0.0.1"), 1000, Ip("10.0.0.2"), 2000, payload: 100));
            writer.WritePacket(At(1), Udp(Ip("10.0.0.2"), 2000, Ip("10.0.0.1"), 1000, payload: 50));
        }

        var sink = new RecordingSink();
        using var engine = new CaptureEngine(new ReplaySource(new PcapFileReader(path), speed: 0, loops: 3), new FlowTableOptions(), sink);
        engine.Run();

        Assert.Equal(6, engine.Snapshot().Packets);
        Assert.Equal(6ul, sink.Records.Aggregate(0ul, (s, r) => s + r.TotalPackets));
        Assert.Equal(3ul * (128 + 78), sink.Records.Aggregate(0ul, (s, r) => s + r.TotalBytes));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 1)]
    [InlineData(3, 1)]
    [InlineData(1, 2)]
    [InlineData(2, 3)]
    [InlineData(3, 4)]
    public void Exported_bytes_and_packets_per_ip_equal_a_direct_count_of_the_frames(int seed, int workers)
    {
        var capture = RandomCapture.Build(seed, packets: 8000);
        var path = _dir.File($"random-{seed}.pcap");
        using (var writer = new PcapWriter(path, LinkType.Ethernet))
        {
            foreach (var p in capture)
            {
                writer.WritePacket(p.TimestampUs, p.Frame);
            }
        }

        // Small limits so that idle expiry, slices, TCP ends and table-full evictions all happen.
        var options = new FlowTableOptions
        {
            IdleTimeout = TimeSpan.FromSeconds(3),
            Lifetime = TimeSpan.FromSeconds(10),
            TcpCloseGrace = TimeSpan.FromSeconds(1),
            MaxFlows = 64,
        };
        var sinks = Enumerable.Range(0, workers).Select(_ => new RecordingSink()).ToArray();
        using var engine = new CaptureEngine(new PcapFileReader(path), options, i => sinks[i], null, workers);
        engine.Run();
        var sink = new RecordingSink();
        sink.Records.AddRange(sinks.SelectMany(s => s.Records));

        var expected = new Dictionary<IpAddr, Traffic>();
        foreach (var p in capture.Where(p => p.IpLength > 0))
        {
            expected[p.Src] = expected.GetValueOrDefault(p.Src) + new Traffic(p.IpLength, 1, 0, 0);
            expected[p.Dst] = expected.GetValueOrDefault(p.Dst) + new Traffic(0, 0, p.IpLength, 1);
        }

        var exported = new Dictionary<IpAddr, Traffic>();
        foreach (var r in sink.Records)
        {
            exported[r.SrcAddr] = exported.GetValueOrDefault(r.SrcAddr) + new Traffic((long)r.InBytes, (long)r.InPkts, (long)r.OutBytes, (long)r.OutPkts);
            exported[r.DstAddr] = exported.GetValueOrDefault(r.DstAddr) + new Traffic((long)r.OutBytes, (long)r.OutPkts, (long)r.InBytes, (long)r.InPkts);
        }

        Assert.Equal(expected.Count, exported.Count);
        foreach (var (ip, traffic) in expected)
        {
            Assert.Equal(traffic, exported[ip]);
        }

        var stats = engine.Snapshot();
        Assert.Equal(capture.Count, stats.Packets);
        Assert.Equal(capture.Count(p => p.IpLength == 0), stats.DecodeDrops.GetValueOrDefault("not-ip"));
        var reasons = sink.Records.Select(r => r.EndReason).ToHashSet();
        Assert.Contains(FlowEndReason.IdleTimeout, reasons);
        Assert.Contains(FlowEndReason.ActiveTimeout, reasons);
        Assert.Contains(FlowEndReason.EndOfFlow, reasons);
        Assert.Contains(FlowEndReason.LackOfResources, reasons);
        Assert.Contains(FlowEndReason.ForcedEnd, reasons);
    }

    private readonly record struct Traffic(long SentBytes, long SentPackets, long ReceivedBytes, long ReceivedPackets)
    {
        public static Traffic operator +(Traffic a, Traffic b) =>
            new(a.SentBytes + b.SentBytes, a.SentPackets + b.SentPackets, a.ReceivedBytes + b.ReceivedBytes, a.ReceivedPackets + b.ReceivedPackets);
    }

    [Fact]
    public void Several_workers_find_exactly_the_flows_one_worker_finds()
    {
        var capture = RandomCapture.Build(seed: 7, packets: 6000);
        var path = _dir.File("workers.pcap");
        using (var writer = new PcapWriter(path, LinkType.Ethernet))
        {
            foreach (var p in capture)
            {
                writer.WritePacket(p.TimestampUs, p.Frame);
            }
        }

        // Long timeouts and a roomy table: every flow lives until the end, so the flow sets must be identical.
        var options = new FlowTableOptions { IdleTimeout = TimeSpan.FromHours(1), Lifetime = TimeSpan.FromHours(1), MaxFlows = 1 << 16 };
        static string[] Flows(IEnumerable<FlowRecord> records) =>
            [.. records.Select(r => $"{r.Protocol} {r.SrcAddr}:{r.SrcPort} {r.DstAddr}:{r.DstPort} v{r.Vlan} {r.InPkts}/{r.InBytes} {r.OutPkts}/{r.OutBytes}").Order(StringComparer.Ordinal)];

        var single = new RecordingSink();
        using (var engine = new CaptureEngine(new PcapFileReader(path), options, single))
        {
            engine.Run();
        }

        var sinks = Enumerable.Range(0, 3).Select(_ => new RecordingSink()).ToArray();
        using (var engine = new CaptureEngine(new PcapFileReader(path), options, i => sinks[i], null, workers: 3))
        {
            engine.Run();
            Assert.Equal(3, engine.Workers);
            Assert.True(engine.Snapshot().Finished);
        }

        Assert.Equal(Flows(single.Records), Flows(sinks.SelectMany(s => s.Records)));
        Assert.All(sinks, s => Assert.NotEmpty(s.Records)); // the hash really spread the flows
    }
}
