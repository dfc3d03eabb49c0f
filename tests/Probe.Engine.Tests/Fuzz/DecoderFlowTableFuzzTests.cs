using System.Diagnostics;
using Flowhive.Probe.Engine.Capture;
using Flowhive.Probe.Engine.Decode;
using Flowhive.Probe.Engine.Flows;
using Flowhive.Probe.Engine.Tests.Support;
using Flowhive.Shared.Flows;
using Xunit.Abstractions;
using static Flowhive.Probe.Engine.Tests.Support.Addr;

namespace Flowhive.Probe.Engine.Tests.Fuzz;

public sealed class DecoderFlowTableFuzzTests(ITestOutputHelper output)
{
    private const int Frames = 1_000_000;
    private const int MaxFlows = 512;

    private static readonly LinkType[] AllLinkTypes = Enum.GetValues<LinkType>();

    [Fact]
    public void A_million_mutated_frames_never_throw_and_the_table_stays_bounded_and_conserves_bytes()
    {
        var corpus = Corpus();
        var mutator = new FrameMutator(corpus.Select(c => c.Frame).ToList(), seed: 20260101);
        var random = new Random(7);
        var sink = new CheckingSink();
        var table = new FlowTable(new FlowTableOptions
        {
            MaxFlows = MaxFlows,
            IdleTimeout = TimeSpan.FromSeconds(5),
            Lifetime = TimeSpan.FromSeconds(20),
            TcpCloseGrace = TimeSpan.FromSeconds(1),
        }, sink);
        var buffer = new byte[FrameMutator.MaxFrame];
        var statuses = new long[DecodeStatuses.Count];
        var decoded = default(DecodedPacket);
        ulong bytesIn = 0, packetsIn = 0;
        var now = Packets.T0;
        var maxCount = 0;
        var watch = Stopwatch.StartNew();

        for (var i = 0; i < Frames; i++)
        {
            var length = mutator.Next(buffer, out var source);
            // Mostly the frame's own link type; sometimes any other, so every link parser sees foreign bytes.
            var link = random.Next(16) == 0 ? (int)AllLinkTypes[random.Next(AllLinkTypes.Length)] : (int)corpus[source].Link;
            now += random.Next(0, 3_000);
            var frame = buffer.AsSpan(0, length);
            try
            {
                var status = PacketDecoder.Decode(frame, link, ref decoded);
                statuses[(int)status]++;
                if (status == DecodeStatus.Ok)
                {
                    table.Process(ref decoded, now, frame);
                    bytesIn += (ulong)decoded.IpLength;
                    packetsIn++;
                }
            }
            catch (Exception e)
            {
                throw new InvalidOperationException($"frame {i} (link {link}) threw: {Convert.ToHexString(frame)}", e);
            }

            if (table.Count > maxCount)
            {
                maxCount = table.Count;
            }
        }

        table.ExportAll();
        watch.Stop();

        Assert.True(maxCount <= MaxFlows, $"table held {maxCount} flows, limit {MaxFlows}");
        Assert.Equal(0, table.Count);
        Assert.Equal(bytesIn, sink.Bytes);
        Assert.Equal(packetsIn, sink.Packets);
        Assert.Null(sink.FirstProblem);
        Assert.True(table.Counters.TableFullEvictions > 0, "the bounded table was never full: the fuzz did not reach eviction");
        Assert.True(statuses[(int)DecodeStatus.Ok] > Frames / 10, "too few mutated frames still decode: the corpus or mutator is off");

        output.WriteLine($"{Frames:N0} frames in {watch.Elapsed.TotalSeconds:F1} s; {packetsIn:N0} decoded, {sink.Records:N0} records, " +
                         $"{table.Counters.TableFullEvictions:N0} table-full evictions, peak {maxCount} flows");
        for (var s = 0; s < statuses.Length; s++)
        {
            output.WriteLine($"  {DecodeStatuses.Name((DecodeStatus)s)}: {statuses[s]:N0}");
        }
    }

    /// <summary>Valid frames of every link type and encapsulation the decoder knows, as mutation seeds.</summary>
    private static List<(byte[] Frame, LinkType Link)> Corpus()
    {
        var a = Ip("192.168.1.10");
        var b = Ip("93.184.216.34");
        var a6 = Ip("2001:db8:1::10");
        var b6 = Ip("2001:db8:2::20");
        byte[] payload = [.. "GET / HTTP/1.1\r\nHost: example.com\r\n\r\n"u8];
        FrameBuilder V4() => new FrameBuilder().Ethernet(Packets.MacOf(a), Packets.MacOf(b)).Ipv4(a, b, id: 77);
        FrameBuilder V6() => new FrameBuilder().Ethernet(Packets.MacOf(a6), Packets.MacOf(b6)).Ipv6(a6, b6);
        var tcp = V4().Tcp(40000, 80, TcpFlags.Ack | TcpFlags.Psh, 1, 2, options: [1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2]).Payload(payload);
        var ip4 = tcp.BuildIp();
        var ip6 = V6().Ipv6HopByHop().Ipv6Routing(b6).Ipv6DestinationOptions().Tcp(40000, 443, TcpFlags.Syn).Payload(payload).BuildIp();
        var inner = new FrameBuilder().Ethernet(5, 6).Ipv4(Ip("10.0.0.1"), Ip("10.0.0.2")).Udp(1000, 2000).Payload(payload);
        var list = new List<(byte[], LinkType)>
        {
            (tcp.Build(), LinkType.Ethernet),
            (V4().Udp(5353, 53).Payload(payload).PadTo(60).Build(), LinkType.Ethernet),
            (V4().Icmp(8, 0, 1, 2).Payload(new byte[16]).Build(), LinkType.Ethernet),
            (V4().Tcp(1, 2, TcpFlags.Syn).Vlan(10).Build(), LinkType.Ethernet),
            (V4().Udp(1, 2).Vlan(100).Vlan(20).Payload(payload).Build(), LinkType.Ethernet),
            (V6().Udp(1, 2).Payload(payload).Build(), LinkType.Ethernet),
            (V6().Icmp(135, 0).Payload(new byte[24]).Build(), LinkType.Ethernet),
            (V6().Ipv6HopByHop().Ipv6Routing(b6).Ipv6DestinationOptions().Ipv6Fragment(5, 0, true).Tcp(40000, 443, TcpFlags.Syn).Payload(payload).Build(), LinkType.Ethernet),
            (V6().Ipv6Fragment(5, 64, false).IpPayload(6).Payload(payload).Build(), LinkType.Ethernet),
            (V6().Ipv6Extension(51, new byte[14]).Udp(500, 4500).Build(), LinkType.Ethernet),
            (LinkHeaders.Mpls(ip4, 16, 17), LinkType.Ethernet),
            (LinkHeaders.Pppoe(ip4, 1, 0x0021), LinkType.Ethernet),
            (LinkHeaders.Pppoe(ip6, 1, 0x0057), LinkType.Ethernet),
            (V4().IpPayload(47).Payload(LinkHeaders.Gre(ip4, 0x0800, key: 9, checksum: true, sequence: 1)).Build(), LinkType.Ethernet),
            (V4().IpPayload(47).Payload(LinkHeaders.Gre(inner.Build(), 0x6558)).Build(), LinkType.Ethernet),
            (V4().Udp(40000, 4789).Payload(LinkHeaders.Vxlan(inner.Vlan(7).Build(), 42)).Build(), LinkType.Ethernet),
            (V4().Udp(2152, 2152).Payload(LinkHeaders.GtpU(ip6, 0x1000, withExtension: true)).Build(), LinkType.Ethernet),
            (V6().Udp(2152, 2152).Payload(LinkHeaders.GtpU(ip4, 0x2000)).Build(), LinkType.Ethernet),
            (new FrameBuilder().Ethernet(1, 2).EtherType(0x0806).Payload(new byte[28]).Build(), LinkType.Ethernet),
            (LinkHeaders.Sll(ip4, 0x0800), LinkType.LinuxSll),
            (LinkHeaders.Sll2(ip6, 0x86DD), LinkType.LinuxSll2),
            (ip4, LinkType.Raw),
            (ip6, LinkType.Ipv6),
            (ip4, LinkType.Ipv4),
            (LinkHeaders.Prefix([2, 0, 0, 0], ip4), LinkType.Null),
            (LinkHeaders.Prefix([0, 0, 0, 30], ip6), LinkType.Loop),
            (LinkHeaders.Prefix([0x0F, 0, 0x08, 0], ip4), LinkType.CiscoHdlc),
            (LinkHeaders.Prefix([0xFF, 0x03, 0x00, 0x21], ip4), LinkType.Ppp),
            (LinkHeaders.Prefix([0x57], ip6), LinkType.Ppp),
        };
        foreach (var fragment in V4().Udp(7000, 7001).Payload(new byte[600]).BuildIpv4Fragments(256))
        {
            list.Add((fragment, LinkType.Ethernet));
        }

        return list;
    }

    /// <summary>Sums what the table exports and remembers the first record that breaks an invariant.</summary>
    private sealed class CheckingSink : IFlowSink
    {
        public ulong Bytes { get; private set; }

        public ulong Packets { get; private set; }

        public long Records { get; private set; }

        public string? FirstProblem { get; private set; }

        public void Export(in FlowRecord record)
        {
            Records++;
            Bytes += record.TotalBytes;
            Packets += record.TotalPackets;
            if (FirstProblem is null && (record.TotalPackets == 0 || record.FirstSwitchedUs > record.LastSwitchedUs || record.EndReason == FlowEndReason.Unknown))
            {
                FirstProblem = $"record {Records}: {record.TotalPackets} packets, first {record.FirstSwitchedUs}, last {record.LastSwitchedUs}, reason {record.EndReason}";
            }
        }

        public void Flush()
        {
        }
    }
}
