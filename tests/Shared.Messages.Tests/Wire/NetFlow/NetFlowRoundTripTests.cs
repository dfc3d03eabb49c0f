using System.Buffers.Binary;
using Flowhive.Shared.Flows;
using Flowhive.Shared.Net;
using Flowhive.Shared.Wire.NetFlow;

namespace Flowhive.Shared.Messages.Tests.Wire.NetFlow;

/// <summary>Encoder to decoder, for every version, both directions, every field type and the edge cases of each format.</summary>
public sealed class NetFlowRoundTripTests
{
    /// <summary>A few seconds after the sample flows end.</summary>
    private static readonly long NowMs = (SampleFlows.StartUs / 1000) + 10_000;

    private static readonly NetFlowExporterId Exporter = new(IpAddr.Parse("127.0.0.1"), 40000);

    private const string EveryField = "@NTOPNG@ %L7_PROTO_NAME %FLOW_END_REASON %UPSTREAM_TUNNEL_ID";

    private static (List<FlowRecord> Records, NetFlowEncoder Encoder, List<byte[]> Datagrams) RoundTrip(
        NetFlowEncoderOptions options, IEnumerable<FlowRecord> flows, long? nowMs = null)
    {
        var encoder = NetFlowEncoder.Create(options);
        var sink = new DatagramCollector();
        foreach (var flow in flows)
        {
            encoder.Add(flow, nowMs ?? NowMs, sink);
        }

        encoder.Flush(nowMs ?? NowMs, sink);
        var decoder = new NetFlowDecoder();
        var records = new List<FlowRecord>();
        foreach (var datagram in sink.Datagrams)
        {
            Assert.True(datagram.Length <= options.Mtu, $"{datagram.Length}-byte datagram over the {options.Mtu}-byte MTU");
            var result = decoder.Decode(datagram, Exporter, records);
            Assert.Equal(NetFlowDecodeStatus.Ok, result.Status);
            Assert.Equal((ushort)options.Version, result.Version);
        }

        Assert.Empty(decoder.Counters.Problems);
        return (records, encoder, sink.Datagrams);
    }

    /// <summary>A flow whose counters fit 32 bits, so a record carries it whole.</summary>
    private static FlowRecord Small(int seed, bool ipv6 = false)
    {
        var record = ipv6 ? SampleFlows.Ipv6(seed) : SampleFlows.Ipv4(seed);
        record.OutBytes = 90_000 + (ulong)seed;
        record.OutPkts = 60;
        return record;
    }

    private static void AssertDirection(FlowRecord flow, FlowRecord decoded, bool reverse)
    {
        Assert.Equal(reverse ? flow.DstAddr : flow.SrcAddr, decoded.SrcAddr);
        Assert.Equal(reverse ? flow.SrcAddr : flow.DstAddr, decoded.DstAddr);
        Assert.Equal(reverse ? flow.DstPort : flow.SrcPort, decoded.SrcPort);
        Assert.Equal(reverse ? flow.SrcPort : flow.DstPort, decoded.DstPort);
        Assert.Equal(reverse ? flow.OutBytes : flow.InBytes, decoded.InBytes);
        Assert.Equal(reverse ? flow.OutPkts : flow.InPkts, decoded.InPkts);
        Assert.Equal(0UL, decoded.OutBytes);
        Assert.Equal(0UL, decoded.OutPkts);
        Assert.Equal(flow.Protocol, decoded.Protocol);
        Assert.Equal(flow.IpVersion, decoded.IpVersion);
        Assert.Equal(reverse ? flow.ServerTcpFlags : flow.ClientTcpFlags, decoded.ClientTcpFlags);
        Assert.Equal(flow.FirstSwitchedUs, decoded.FirstSwitchedUs);
        Assert.Equal(flow.LastSwitchedUs, decoded.LastSwitchedUs);
    }

    [Theory]
    [InlineData(NetFlowVersion.V5)]
    [InlineData(NetFlowVersion.V9)]
    [InlineData(NetFlowVersion.Ipfix)]
    public void Without_out_counters_each_direction_is_its_own_record(NetFlowVersion version)
    {
        var flows = Enumerable.Range(0, 50).Select(i => Small(i, ipv6: i % 5 == 4)).ToArray();
        flows[7].OutPkts = 0; // a flow without answer: no reverse record
        flows[7].OutBytes = 0;

        var (records, encoder, _) = RoundTrip(new NetFlowEncoderOptions { Version = version }, flows);

        // v5 carries IPv4 only; the IPv6 flows are counted as skipped.
        var carried = version == NetFlowVersion.V5 ? flows.Where(f => f.IpVersion == 4).ToArray() : flows;
        Assert.Equal(flows.Length - carried.Length, encoder.Counters.SkippedFlows);
        Assert.Equal((carried.Length * 2) - 1, records.Count);
        Assert.Equal(records.Count, encoder.Counters.Records);
        var position = 0;
        foreach (var flow in carried)
        {
            AssertDirection(flow, records[position++], reverse: false);
            if (flow.OutPkts > 0)
            {
                AssertDirection(flow, records[position++], reverse: true);
            }
        }

        Assert.Equal(carried.Sum(f => (decimal)f.TotalBytes), records.Sum(r => (decimal)r.InBytes));
    }

    [Theory]
    [InlineData(NetFlowVersion.V9)]
    [InlineData(NetFlowVersion.Ipfix)]
    public void A_template_with_out_counters_carries_both_directions_and_every_field_type(NetFlowVersion version)
    {
        var flows = new[]
        {
            SampleFlows.WithMetadata(Small(1)),
            SampleFlows.WithMetadata(Small(2, ipv6: true)),
            Small(3),
        };
        flows[0].TunnelId = 0xDEADBEEF;
        flows[0].Metadata!.L7ProtoName = "TLS.YouTube";

        var (records, encoder, _) = RoundTrip(new NetFlowEncoderOptions { Version = version, Template = FlowTemplate.Parse(EveryField) }, flows);

        Assert.Equal(flows.Length, records.Count);
        for (var i = 0; i < flows.Length; i++)
        {
            // L7_PROTO is one number, the application id; the master protocol does not travel.
            var expected = flows[i];
            expected.L7Master = expected.L7App != 0 ? (ushort)0 : expected.L7Master;
            // NetFlow's DIRECTION (IE 61) says which way the record points (0 client to server, 1 the reverse), not
            // the local-network direction that -L gives a flow: the latter does not travel in NetFlow records.
            expected.Direction = Flowhive.Shared.Flows.FlowDirection.Unknown;
            expected.L7Category = 0; // no NetFlow element carries the category: ZeroMQ's Flowhive field does
            SampleFlows.AssertEqual(expected, records[i]);
        }

        Assert.Equal(0, encoder.Counters.ExtraSlices);
    }

    [Theory]
    [InlineData(NetFlowVersion.V9)]
    [InlineData(NetFlowVersion.Ipfix)]
    public void Strings_are_cut_at_their_length_on_a_character_boundary(NetFlowVersion version)
    {
        var flow = Small(1);
        flow.Metadata = new FlowMetadata
        {
            DnsQuery = new string('q', 300),       // DNS_QUERY holds 256 bytes: in IPFIX a 255 + 2-byte length
            L7Info = "a" + new string('é', 12),     // 25 UTF-8 bytes for a 24-byte L7_INFO: the last 'é' does not fit whole
            HttpMethod = "GET",
        };

        var (records, _, _) = RoundTrip(
            new NetFlowEncoderOptions { Version = version, Template = FlowTemplate.Parse("%IPV4_SRC_ADDR %IPV4_DST_ADDR %DNS_QUERY %L7_INFO %HTTP_METHOD %IN_BYTES %OUT_BYTES") },
            [flow]);

        var metadata = Assert.Single(records).Metadata!;
        Assert.Equal(new string('q', 256), metadata.DnsQuery);
        Assert.Equal("a" + new string('é', 11), metadata.L7Info);
        Assert.Equal("GET", metadata.HttpMethod);
    }

    [Theory]
    [InlineData(NetFlowVersion.V5)]
    [InlineData(NetFlowVersion.V9)]
    [InlineData(NetFlowVersion.Ipfix)]
    public void Replays_of_old_captures_keep_their_real_times(NetFlowVersion version)
    {
        // Flows from 2020 exported in 2026; the last one starts 60 days after the first, past 32 bits of milliseconds.
        var start = new DateTimeOffset(2020, 3, 1, 12, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds() * 1000;
        var flows = new[] { 0L, 3_000, 125_000, 60L * 86_400_000 }.Select((offsetMs, i) =>
        {
            var flow = Small(i);
            flow.FirstSwitchedUs = start + (offsetMs * 1000) + 123_000;
            flow.LastSwitchedUs = flow.FirstSwitchedUs + 4_567_000;
            return flow;
        }).ToArray();
        var now = new DateTimeOffset(2026, 11, 22, 10, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

        var (records, encoder, _) = RoundTrip(new NetFlowEncoderOptions { Version = version }, flows, now);

        Assert.Equal(flows.Length * 2, records.Count);
        for (var i = 0; i < flows.Length; i++)
        {
            Assert.Equal(flows[i].FirstSwitchedUs, records[2 * i].FirstSwitchedUs);
            Assert.Equal(flows[i].LastSwitchedUs, records[(2 * i) + 1].LastSwitchedUs);
        }

        Assert.Equal(version == NetFlowVersion.Ipfix ? 0 : 1, encoder.Counters.ClockRebases);
    }

    [Fact]
    public void Live_export_states_the_current_time_in_v9_headers()
    {
        var flow = Small(1);
        var now = (flow.LastSwitchedUs / 1000) + 1_500;
        var (_, _, datagrams) = RoundTrip(new NetFlowEncoderOptions { Version = NetFlowVersion.V9 }, [flow], now);

        // unix_secs is now rounded up to a whole second; sysUptime counts from 10 minutes before the flow.
        var data = datagrams.Last();
        var seconds = BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(8));
        Assert.Equal((now + 999) / 1000, seconds);
        var uptime = BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(4));
        Assert.Equal((seconds * 1000L) - ((flow.FirstSwitchedUs / 1000) - 600_000), uptime);
    }

    [Theory]
    [InlineData(NetFlowVersion.V5)]
    [InlineData(NetFlowVersion.V9)]
    [InlineData(NetFlowVersion.Ipfix)]
    public void Counters_wider_than_their_fields_are_shared_out_over_several_records(NetFlowVersion version)
    {
        var flow = Small(1);
        flow.InBytes = 10_000_000_007; // 2.33 times what 32 bits hold
        flow.InPkts = 7_000_001;
        flow.OutPkts = 0;
        flow.OutBytes = 0;

        var (records, encoder, _) = RoundTrip(new NetFlowEncoderOptions { Version = version }, [flow]);

        Assert.Equal(3, records.Count);
        Assert.Equal(2, encoder.Counters.ExtraSlices);
        Assert.Equal(flow.InBytes, records.Aggregate(0UL, (sum, r) => sum + r.InBytes));
        Assert.Equal(flow.InPkts, records.Aggregate(0UL, (sum, r) => sum + r.InPkts));
        Assert.All(records, r => Assert.True(r.InBytes <= uint.MaxValue));
    }

    [Fact]
    public void V5_datagrams_hold_at_most_what_the_mtu_allows_and_count_flows_in_their_sequence()
    {
        var flows = Enumerable.Range(0, 40).Select(i => Small(i)).ToArray(); // 80 records

        var (records, _, datagrams) = RoundTrip(new NetFlowEncoderOptions { Version = NetFlowVersion.V5 }, flows);

        Assert.Equal(80, records.Count);
        Assert.Equal([28, 28, 24], datagrams.Select(d => (int)BinaryPrimitives.ReadUInt16BigEndian(d.AsSpan(2))));
        Assert.Equal([0u, 28u, 56u], datagrams.Select(d => BinaryPrimitives.ReadUInt32BigEndian(d.AsSpan(16))));

        var (_, _, full) = RoundTrip(new NetFlowEncoderOptions { Version = NetFlowVersion.V5, Mtu = 9000 }, flows);
        Assert.Equal(30, BinaryPrimitives.ReadUInt16BigEndian(full[0].AsSpan(2))); // Cisco's limit, whatever the MTU
    }

    [Theory]
    [InlineData(NetFlowVersion.V9)]
    [InlineData(NetFlowVersion.Ipfix)]
    public void Templates_come_first_and_again_every_twenty_datagrams(NetFlowVersion version)
    {
        var flows = Enumerable.Range(0, 1500).Select(i => Small(i, ipv6: i % 3 == 0)).ToArray();

        var (records, encoder, datagrams) = RoundTrip(new NetFlowEncoderOptions { Version = version }, flows);

        Assert.Equal(3000, records.Count);
        var templateSet = version == NetFlowVersion.V9 ? 0 : 2;
        var withTemplates = datagrams.Select((d, i) => (d, i)).Where(x => SetIds(x.d, version).Contains(templateSet)).Select(x => x.i).ToArray();
        Assert.True(datagrams.Count > 60, $"{datagrams.Count} datagrams");
        Assert.Equal(Enumerable.Range(0, withTemplates.Length).Select(n => n * 20), withTemplates);
        Assert.Equal(withTemplates.Length * 2, encoder.Counters.TemplatesSent);

        // Sequence numbers: v9 counts datagrams, IPFIX counts data records sent before the message.
        var sequences = datagrams.Select(d => BinaryPrimitives.ReadUInt32BigEndian(d.AsSpan(version == NetFlowVersion.V9 ? 12 : 8))).ToArray();
        if (version == NetFlowVersion.V9)
        {
            Assert.Equal(Enumerable.Range(0, datagrams.Count).Select(i => (uint)i), sequences);
        }
        else
        {
            var decoder = new NetFlowDecoder();
            var sent = 0u;
            for (var i = 0; i < datagrams.Count; i++)
            {
                Assert.Equal(sent, sequences[i]);
                sent += (uint)decoder.Decode(datagrams[i], Exporter, []).RecordsDecoded;
            }
        }
    }

    [Fact]
    public void Ticks_send_late_datagrams_and_refresh_templates_by_time()
    {
        var options = new NetFlowEncoderOptions { Version = NetFlowVersion.V9 };
        var encoder = NetFlowEncoder.Create(options);
        var sink = new DatagramCollector();
        encoder.Tick(NowMs, sink); // templates at start, before any flow
        Assert.Single(sink.Datagrams);

        encoder.Add(Small(1), NowMs, sink);
        encoder.Tick(NowMs + 999, sink);
        Assert.Single(sink.Datagrams);
        Assert.True(encoder.HasPendingRecords);

        encoder.Tick(NowMs + 1000, sink); // the first record has waited MaxDelay
        Assert.Equal(2, sink.Datagrams.Count);
        Assert.False(encoder.HasPendingRecords);

        encoder.Tick(NowMs + 59_999, sink);
        Assert.Equal(2, sink.Datagrams.Count);
        encoder.Tick(NowMs + 60_000, sink);
        Assert.Equal([0], SetIds(sink.Datagrams[2], NetFlowVersion.V9));
    }

    [Fact]
    public void Flows_without_packets_are_not_sent()
    {
        var flow = Small(1);
        flow.InPkts = 0;
        flow.OutPkts = 0;

        var (records, encoder, _) = RoundTrip(new NetFlowEncoderOptions { Version = NetFlowVersion.V9 }, [flow]);

        Assert.Empty(records);
        Assert.Equal(1, encoder.Counters.EmptyFlows);
    }

    [Theory]
    [InlineData(NetFlowVersion.V5, 64, "cannot hold one NetFlow v5 record")]
    [InlineData(NetFlowVersion.V9, 1000, "an IPv4 record of this template takes up to")]
    [InlineData(NetFlowVersion.Ipfix, 600, "an IPv4 record of this template takes up to")]
    public void A_template_that_cannot_fit_a_datagram_is_refused(NetFlowVersion version, int mtu, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => NetFlowEncoder.Create(
            new NetFlowEncoderOptions { Version = version, Mtu = mtu, Template = FlowTemplate.Parse("@NTOPNG@") }));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(NetFlowVersion.V5, "")]
    [InlineData(NetFlowVersion.V9, "")]
    [InlineData(NetFlowVersion.V9, EveryField)]
    [InlineData(NetFlowVersion.Ipfix, EveryField)]
    public void Encoding_allocates_nothing_per_flow(NetFlowVersion version, string template)
    {
        var options = new NetFlowEncoderOptions { Version = version, Template = template.Length == 0 ? FlowTemplate.NprobeDefault : FlowTemplate.Parse(template) };
        var encoder = NetFlowEncoder.Create(options);
        var sink = new CountingSink();
        var flows = Enumerable.Range(0, 256).Select(i => SampleFlows.WithMetadata(Small(i, ipv6: i % 4 == 0))).ToArray();
        for (var round = 0; round < 2; round++)
        {
            // The first round warms up (JIT, statics); the second is measured, templates, refreshes and ticks included.
            var before = GC.GetAllocatedBytesForCurrentThread();
            foreach (var flow in flows)
            {
                encoder.Add(flow, NowMs, sink);
            }

            encoder.Tick(NowMs + 120_000, sink);
            encoder.Flush(NowMs + 120_000, sink);
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            if (round == 1)
            {
                Assert.Equal(0, allocated);
            }
        }

        Assert.True(sink.Datagrams > 2);
    }

    /// <summary>Counts datagrams without keeping them, so the test measures the encoder's allocations only.</summary>
    private sealed class CountingSink : INetFlowDatagramSink
    {
        public int Datagrams;

        public void Send(ReadOnlySpan<byte> datagram) => Datagrams++;
    }

    /// <summary>Set ids in a v9 or IPFIX datagram, in order.</summary>
    internal static List<int> SetIds(byte[] datagram, NetFlowVersion version)
    {
        var ids = new List<int>();
        var position = version == NetFlowVersion.V9 ? 20 : 16;
        while (position + 4 <= datagram.Length)
        {
            ids.Add(BinaryPrimitives.ReadUInt16BigEndian(datagram.AsSpan(position)));
            position += BinaryPrimitives.ReadUInt16BigEndian(datagram.AsSpan(position + 2));
        }

        return ids;
    }
}
