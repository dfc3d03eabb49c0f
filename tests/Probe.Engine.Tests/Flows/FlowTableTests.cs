using Flowhive.Probe.Engine.Capture;
using Flowhive.Probe.Engine.Flows;
using Flowhive.Probe.Engine.Tests.Support;
using Flowhive.Shared.Flows;
using Flowhive.Shared.Net;
using static Flowhive.Probe.Engine.Tests.Support.Addr;
using static Flowhive.Probe.Engine.Tests.Support.Packets;

namespace Flowhive.Probe.Engine.Tests.Flows;

public sealed class FlowTableTests
{
    private static readonly IpAddr LowHost = Ip("10.0.0.5");
    private static readonly IpAddr HighHost = Ip("203.0.113.80");

    public static TheoryData<string, string> Orders => new() { { "10.0.0.5", "203.0.113.80" }, { "203.0.113.80", "10.0.0.5" } };

    [Theory]
    [MemberData(nameof(Orders))]
    public void Both_directions_of_a_tcp_connection_are_one_flow(string clientText, string serverText)
    {
        var client = Ip(clientText);
        var server = Ip(serverText);
        var h = new FlowTableHarness();
        ulong clientBytes = 0, serverBytes = 0;
        clientBytes += (ulong)h.Feed(Tcp(client, 50000, server, 8080, TcpFlags.Syn, seq: 100), At(0));
        serverBytes += (ulong)h.Feed(Tcp(server, 8080, client, 50000, TcpFlags.Syn | TcpFlags.Ack, seq: 900, ack: 101), At(0.01));
        clientBytes += (ulong)h.Feed(Tcp(client, 50000, server, 8080, TcpFlags.Ack, seq: 101, ack: 901), At(0.02));
        clientBytes += (ulong)h.Feed(Tcp(client, 50000, server, 8080, TcpFlags.Ack | TcpFlags.Psh, seq: 101, ack: 901, payload: 300), At(0.03));
        serverBytes += (ulong)h.Feed(Tcp(server, 8080, client, 50000, TcpFlags.Ack | TcpFlags.Psh, seq: 901, ack: 401, payload: 1400), At(0.05));
        serverBytes += (ulong)h.Feed(Tcp(server, 8080, client, 50000, TcpFlags.Ack | TcpFlags.Psh, seq: 2301, ack: 401, payload: 700), At(0.06));
        clientBytes += (ulong)h.Feed(Tcp(client, 50000, server, 8080, TcpFlags.Ack, seq: 401, ack: 3001), At(0.07));

        h.Table.ExportAll();

        var r = Assert.Single(h.Records);
        Assert.Equal(client, r.SrcAddr);
        Assert.Equal(server, r.DstAddr);
        Assert.Equal((ushort)50000, r.SrcPort);
        Assert.Equal((ushort)8080, r.DstPort);
        Assert.Equal(clientBytes, r.InBytes);
        Assert.Equal(4ul, r.InPkts);
        Assert.Equal(serverBytes, r.OutBytes);
        Assert.Equal(3ul, r.OutPkts);
        Assert.Equal(MacOf(client), r.SrcMac);
        Assert.Equal(MacOf(server), r.DstMac);
        Assert.Equal((byte)(TcpFlags.Syn | TcpFlags.Ack | TcpFlags.Psh), r.ClientTcpFlags);
        Assert.Equal((byte)(TcpFlags.Syn | TcpFlags.Ack | TcpFlags.Psh), r.ServerTcpFlags);
        Assert.Equal(At(0), r.FirstSwitchedUs);
        Assert.Equal(At(0.07), r.LastSwitchedUs);
        Assert.Equal(FlowEndReason.ForcedEnd, r.EndReason);
        Assert.Equal((byte)4, r.IpVersion);
        Assert.Equal(0u, r.RetransmittedInPkts + r.RetransmittedOutPkts + r.OutOfOrderInPkts + r.OutOfOrderOutPkts);
    }

    [Theory]
    [MemberData(nameof(Orders))]
    public void Client_is_the_syn_sender_even_when_the_syn_ack_is_seen_first(string clientText, string serverText)
    {
        var client = Ip(clientText);
        var server = Ip(serverText);
        var h = new FlowTableHarness();
        // Both ports ephemeral, so only the SYN-ACK can tell who the client is.
        var synAck = h.Feed(Tcp(server, 40001, client, 40002, TcpFlags.Syn | TcpFlags.Ack, seq: 5, ack: 1), At(0));
        var ack = h.Feed(Tcp(client, 40002, server, 40001, TcpFlags.Ack, seq: 1, ack: 6), At(0.001));

        h.Table.ExportAll();

        var r = Assert.Single(h.Records);
        Assert.Equal(client, r.SrcAddr);
        Assert.Equal((ushort)40002, r.SrcPort);
        Assert.Equal((ulong)ack, r.InBytes);
        Assert.Equal((ulong)synAck, r.OutBytes);
    }

    [Fact]
    public void Mid_stream_segment_from_a_well_known_port_makes_its_sender_the_server()
    {
        var h = new FlowTableHarness();
        h.Feed(Tcp(HighHost, 443, LowHost, 51000, TcpFlags.Ack, payload: 100), At(0));
        h.Feed(Tcp(LowHost, 51000, HighHost, 443, TcpFlags.Ack), At(0.01));

        h.Table.ExportAll();

        var r = Assert.Single(h.Records);
        Assert.Equal(LowHost, r.SrcAddr);
        Assert.Equal((ushort)443, r.DstPort);
    }

    [Theory]
    [MemberData(nameof(Orders))]
    public void Udp_client_is_the_first_sender(string clientText, string serverText)
    {
        var client = Ip(clientText);
        var server = Ip(serverText);
        var h = new FlowTableHarness();
        var query = h.Feed(Udp(client, 53, server, 53, payload: 30), At(0)); // same ports: only order decides
        var answer = h.Feed(Udp(server, 53, client, 53, payload: 90), At(0.02));

        h.Table.ExportAll();

        var r = Assert.Single(h.Records);
        Assert.Equal(client, r.SrcAddr);
        Assert.Equal((ulong)query, r.InBytes);
        Assert.Equal((ulong)answer, r.OutBytes);
        Assert.Equal(1ul, r.InPkts);
        Assert.Equal(1ul, r.OutPkts);
    }

    [Fact]
    public void Icmp_echo_and_reply_meet_in_one_flow()
    {
        var h = new FlowTableHarness();
        h.Feed(Icmp(LowHost, HighHost, 8, 7, 1), At(0));
        h.Feed(Icmp(HighHost, LowHost, 0, 7, 1), At(0.03));

        h.Table.ExportAll();

        var r = Assert.Single(h.Records);
        Assert.Equal(LowHost, r.SrcAddr);
        Assert.Equal(1ul, r.OutPkts);
    }

    [Fact]
    public void Vlans_and_ip_versions_keep_flows_apart()
    {
        var h = new FlowTableHarness();
        h.Feed(Udp(LowHost, 1000, HighHost, 2000, vlan: 10), At(0));
        h.Feed(Udp(LowHost, 1000, HighHost, 2000, vlan: 20), At(0));
        h.Feed(Udp(LowHost, 1000, HighHost, 2000), At(0));
        h.Feed(Udp(Ip("2001:db8::5"), 1000, Ip("2001:db8::80"), 2000), At(0));

        h.Table.ExportAll();

        Assert.Equal(4, h.Records.Count);
        Assert.Equal([0, 0, 10, 20], h.Records.Select(r => (int)r.Vlan).Order());
        Assert.Equal(1, h.Records.Count(r => r.IpVersion == 6));
    }

    [Fact]
    public void Idle_flow_is_exported_after_the_idle_timeout_by_packet_time()
    {
        var idle = TimeSpan.FromSeconds(30);
        var h = new FlowTableHarness(new FlowTableOptions { IdleTimeout = idle });
        h.Feed(Udp(LowHost, 1000, HighHost, 2000), At(0));
        h.Feed(Udp(HighHost, 2000, LowHost, 1000), At(5));

        h.Feed(Udp(LowHost, 3000, HighHost, 4000), At(5 + idle.TotalSeconds - 1));
        Assert.Empty(h.Records);

        h.Feed(Udp(LowHost, 3000, HighHost, 4000), At(5 + idle.TotalSeconds + 1));

        var r = Assert.Single(h.Records);
        Assert.Equal(FlowEndReason.IdleTimeout, r.EndReason);
        Assert.Equal((ushort)1000, r.SrcPort);
        Assert.Equal(At(0), r.FirstSwitchedUs);
        Assert.Equal(At(5), r.LastSwitchedUs);
        Assert.Equal(1, h.Table.Count);
        Assert.Equal(1, h.Table.Counters.IdleExpired);
    }

    [Fact]
    public void Tick_expires_idle_flows_without_packets()
    {
        var h = new FlowTableHarness(new FlowTableOptions { IdleTimeout = TimeSpan.FromSeconds(10) });
        h.Feed(Udp(LowHost, 1000, HighHost, 2000), At(0));

        h.Table.Tick(At(9));
        Assert.Empty(h.Records);
        h.Table.Tick(At(10));

        Assert.Equal(FlowEndReason.IdleTimeout, Assert.Single(h.Records).EndReason);
        Assert.Equal(0, h.Table.Count);
    }

    [Fact]
    public void Long_flow_is_sliced_at_the_lifetime_and_the_slices_add_up()
    {
        const int durationSeconds = 200;
        const int lifetimeSeconds = 60;
        var h = new FlowTableHarness(new FlowTableOptions { Lifetime = TimeSpan.FromSeconds(lifetimeSeconds), IdleTimeout = TimeSpan.FromSeconds(30) });
        var random = new Random(3);
        for (var s = 0; s <= durationSeconds; s++)
        {
            h.Feed(Udp(LowHost, 5004, HighHost, 5004, payload: random.Next(0, 1200)), At(s));
            h.Feed(Udp(HighHost, 5004, LowHost, 5004, payload: random.Next(0, 200)), At(s + 0.5));
        }

        h.Table.ExportAll();

        var slices = h.Records.Where(r => r.EndReason == FlowEndReason.ActiveTimeout).ToList();
        Assert.Equal(durationSeconds / lifetimeSeconds, slices.Count);
        Assert.Equal(FlowEndReason.ForcedEnd, h.Records[^1].EndReason);
        Assert.Equal(slices.Count + 1, h.Records.Count);
        Assert.Equal(h.BytesFed, h.BytesExported);
        Assert.Equal(h.PacketsFed, h.PacketsExported);
        Assert.All(h.Records, r => Assert.Equal(LowHost, r.SrcAddr));
        for (var i = 1; i < h.Records.Count; i++)
        {
            Assert.True(h.Records[i].FirstSwitchedUs > h.Records[i - 1].LastSwitchedUs, "slices must not overlap");
        }

        Assert.Equal(slices.Count, h.Table.Counters.SlicesExported);
    }

    [Fact]
    public void Fin_both_ways_ends_the_flow_after_the_close_grace_and_keeps_the_last_ack()
    {
        var grace = TimeSpan.FromSeconds(2);
        var h = new FlowTableHarness(new FlowTableOptions { TcpCloseGrace = grace });
        h.Feed(Tcp(LowHost, 40000, HighHost, 80, TcpFlags.Syn, seq: 1), At(0));
        h.Feed(Tcp(HighHost, 80, LowHost, 40000, TcpFlags.Syn | TcpFlags.Ack, seq: 10, ack: 2), At(0.01));
        h.Feed(Tcp(LowHost, 40000, HighHost, 80, TcpFlags.Ack, seq: 2, ack: 11), At(0.02));
        h.Feed(Tcp(LowHost, 40000, HighHost, 80, TcpFlags.Fin | TcpFlags.Ack, seq: 2, ack: 11), At(1));
        h.Feed(Tcp(HighHost, 80, LowHost, 40000, TcpFlags.Fin | TcpFlags.Ack, seq: 11, ack: 3), At(1.01));
        h.Feed(Tcp(LowHost, 40000, HighHost, 80, TcpFlags.Ack, seq: 3, ack: 12), At(1.02)); // the trailing ACK

        h.Feed(Udp(LowHost, 1, HighHost, 2), At(1.01 + grace.TotalSeconds - 0.5));
        Assert.Empty(h.Records);
        // Expiry runs once per second of packet time, so the export comes within a second after the grace.
        h.Feed(Udp(LowHost, 1, HighHost, 2), At(1.01 + grace.TotalSeconds + 1));

        var r = Assert.Single(h.Records);
        Assert.Equal(FlowEndReason.EndOfFlow, r.EndReason);
        Assert.Equal(4ul, r.InPkts);
        Assert.Equal(2ul, r.OutPkts);
        Assert.Equal(At(1.02), r.LastSwitchedUs);
        Assert.Equal(1, h.Table.Counters.EndedByTcp);
    }

    [Fact]
    public void Connection_refused_ends_with_the_reset()
    {
        var h = new FlowTableHarness();
        h.Feed(Tcp(LowHost, 40000, HighHost, 8080, TcpFlags.Syn, seq: 1), At(0));
        h.Feed(Tcp(HighHost, 8080, LowHost, 40000, TcpFlags.Rst | TcpFlags.Ack, ack: 2), At(0.001));

        h.Table.Tick(At(10));

        var r = Assert.Single(h.Records);
        Assert.Equal(FlowEndReason.EndOfFlow, r.EndReason);
        Assert.Equal(LowHost, r.SrcAddr);
        Assert.Equal((byte)TcpFlags.Syn, r.ClientTcpFlags);
        Assert.Equal((byte)(TcpFlags.Rst | TcpFlags.Ack), r.ServerTcpFlags);
    }

    [Fact]
    public void A_new_syn_on_a_closing_flow_starts_a_new_flow()
    {
        var h = new FlowTableHarness();
        h.Feed(Tcp(LowHost, 40000, HighHost, 80, TcpFlags.Syn, seq: 1), At(0));
        h.Feed(Tcp(HighHost, 80, LowHost, 40000, TcpFlags.Syn | TcpFlags.Ack, seq: 10, ack: 2), At(0.01));
        h.Feed(Tcp(LowHost, 40000, HighHost, 80, TcpFlags.Rst, seq: 2), At(0.5));
        h.Feed(Tcp(LowHost, 40000, HighHost, 80, TcpFlags.Syn, seq: 5000), At(0.6)); // port reuse inside the grace
        h.Feed(Tcp(HighHost, 80, LowHost, 40000, TcpFlags.Syn | TcpFlags.Ack, seq: 70, ack: 5001), At(0.61));

        var first = Assert.Single(h.Records);
        Assert.Equal(FlowEndReason.EndOfFlow, first.EndReason);
        Assert.Equal(2ul, first.InPkts);
        Assert.Equal(1, h.Table.Counters.EndedByTcp);

        h.Table.ExportAll();

        Assert.Equal(2, h.Records.Count);
        Assert.Equal(At(0.6), h.Records[1].FirstSwitchedUs);
        Assert.Equal(1ul, h.Records[1].InPkts);
        Assert.Equal(1ul, h.Records[1].OutPkts);
        Assert.Equal(h.BytesFed, h.BytesExported);
    }

    [Fact]
    public void Full_table_exports_the_least_recently_seen_flow_and_loses_no_bytes()
    {
        const int maxFlows = 16;
        var h = new FlowTableHarness(new FlowTableOptions { MaxFlows = maxFlows });
        for (var i = 0; i < maxFlows; i++)
        {
            h.Feed(Udp(LowHost, (ushort)(1000 + i), HighHost, 53, payload: i), At(i * 0.001));
        }

        h.Feed(Udp(HighHost, 53, LowHost, 1000), At(0.5)); // flow 0 is fresh again: flow 1 is now the oldest
        h.Feed(Udp(LowHost, 9999, HighHost, 53), At(0.6));

        var evicted = Assert.Single(h.Records);
        Assert.Equal(FlowEndReason.LackOfResources, evicted.EndReason);
        Assert.Equal((ushort)1001, evicted.SrcPort);
        Assert.Equal(1, h.Table.Counters.TableFullEvictions);
        Assert.Equal(maxFlows, h.Table.Count);

        for (var i = 0; i < 100; i++)
        {
            h.Feed(Udp(LowHost, (ushort)(20000 + i), HighHost, 53), At(1 + (i * 0.001)));
            Assert.True(h.Table.Count <= maxFlows);
        }

        h.Table.ExportAll();

        Assert.Equal(101, h.Table.Counters.TableFullEvictions);
        Assert.Equal(h.BytesFed, h.BytesExported);
        Assert.Equal(h.PacketsFed, h.PacketsExported);
        Assert.Equal(h.Table.Counters.FlowsCreated, h.Records.Count);
    }

    [Fact]
    public void Later_ipv4_fragments_are_counted_in_the_first_fragments_flow()
    {
        var h = new FlowTableHarness();
        var fragments = Ip(LowHost, HighHost).Ipv4(LowHost, HighHost, id: 321).Udp(4000, 4001).Payload(new byte[4000]).BuildIpv4Fragments(1480);
        ulong fragmentBytes = 0;
        foreach (var f in fragments)
        {
            fragmentBytes += (ulong)h.Feed(f, At(0));
        }

        var reply = h.Feed(Udp(HighHost, 4001, LowHost, 4000, payload: 10), At(0.1));

        h.Table.ExportAll();

        var r = Assert.Single(h.Records);
        Assert.Equal((ulong)fragments.Count, r.InPkts);
        Assert.Equal(fragmentBytes, r.InBytes);
        Assert.Equal((ulong)reply, r.OutBytes);
        Assert.Equal((ushort)4000, r.SrcPort);
        Assert.Equal(0, h.Table.Counters.UnmatchedFragments);
    }

    [Fact]
    public void Later_ipv6_fragments_follow_the_first_and_orphans_are_counted()
    {
        var src = Ip("2001:db8::1");
        var dst = Ip("2001:db8::2");
        var h = new FlowTableHarness();
        h.Feed(Ip(src, dst).Ipv6Fragment(9, 0, moreFragments: true).Udp(5000, 5001).Payload(new byte[1000]).Build(), At(0));
        h.Feed(Ip(src, dst).Ipv6Fragment(9, 1008, moreFragments: false).IpPayload(17).Payload(new byte[500]).Build(), At(0.001));
        h.Feed(Ip(src, dst).Ipv6Fragment(10, 1008, moreFragments: false).IpPayload(17).Payload(new byte[500]).Build(), At(0.002)); // first part never seen

        h.Table.ExportAll();

        Assert.Equal(2, h.Records.Count);
        var matched = Assert.Single(h.Records, r => r.SrcPort == 5000);
        Assert.Equal(2ul, matched.InPkts);
        var orphan = Assert.Single(h.Records, r => r.SrcPort == 0);
        Assert.Equal(1ul, orphan.InPkts);
        Assert.Equal(1, h.Table.Counters.UnmatchedFragments);
    }

    [Fact]
    public void Handshake_latencies_are_half_the_round_trips_on_each_side()
    {
        var h = new FlowTableHarness();
        h.Feed(Tcp(LowHost, 40000, HighHost, 443, TcpFlags.Syn, seq: 1), At(0));
        h.Feed(Tcp(HighHost, 443, LowHost, 40000, TcpFlags.Syn | TcpFlags.Ack, seq: 1, ack: 2), At(0.040));
        h.Feed(Tcp(LowHost, 40000, HighHost, 443, TcpFlags.Ack, seq: 2, ack: 2), At(0.050));

        h.Table.ExportAll();

        var r = Assert.Single(h.Records);
        Assert.Equal(40 / 2f, r.ServerNwLatencyMs, 3);
        Assert.Equal(10 / 2f, r.ClientNwLatencyMs, 3);
    }

    [Fact]
    public void Repeated_data_is_a_retransmission_and_a_filled_gap_is_out_of_order()
    {
        var h = new FlowTableHarness();
        h.Feed(Tcp(LowHost, 40000, HighHost, 80, TcpFlags.Syn, seq: 1000), At(0));
        h.Feed(Tcp(HighHost, 80, LowHost, 40000, TcpFlags.Syn | TcpFlags.Ack, seq: 5000, ack: 1001), At(0.01));
        h.Feed(Tcp(LowHost, 40000, HighHost, 80, TcpFlags.Ack, seq: 1001, ack: 5001, payload: 100), At(0.02));
        h.Feed(Tcp(LowHost, 40000, HighHost, 80, TcpFlags.Ack, seq: 1001, ack: 5001, payload: 100), At(0.3)); // again
        h.Feed(Tcp(HighHost, 80, LowHost, 40000, TcpFlags.Ack, seq: 5201, ack: 1101, payload: 200), At(0.4)); // skips 5001..5200
        h.Feed(Tcp(HighHost, 80, LowHost, 40000, TcpFlags.Ack, seq: 5001, ack: 1101, payload: 200), At(0.41)); // the gap arrives late

        h.Table.ExportAll();

        var r = Assert.Single(h.Records);
        Assert.Equal(1u, r.RetransmittedInPkts);
        Assert.Equal(0u, r.OutOfOrderInPkts);
        Assert.Equal(0u, r.RetransmittedOutPkts);
        Assert.Equal(1u, r.OutOfOrderOutPkts);
    }

    [Fact]
    public void Export_all_flushes_every_flow_and_the_sink()
    {
        var h = new FlowTableHarness();
        for (var i = 0; i < 50; i++)
        {
            h.Feed(Udp(LowHost, (ushort)(2000 + i), HighHost, 123, payload: 48), At(i * 0.1));
        }

        h.Table.ExportAll();

        Assert.Equal(50, h.Records.Count);
        Assert.All(h.Records, r => Assert.Equal(FlowEndReason.ForcedEnd, r.EndReason));
        Assert.Equal(0, h.Table.Count);
        Assert.Equal(1, h.Sink.Flushes);
        Assert.Equal(h.BytesFed, h.BytesExported);

        h.Table.ExportAll();
        Assert.Equal(50, h.Records.Count);
    }

    [Fact]
    public void Packets_with_a_zero_timestamp_are_still_exported()
    {
        // A pcapng file of simple packet blocks has no timestamps: every packet is at time 0.
        var h = new FlowTableHarness();
        h.Feed(Udp(LowHost, 1000, HighHost, 2000), 0);
        h.Feed(Udp(HighHost, 2000, LowHost, 1000), 0);
        h.Feed(Tcp(LowHost, 3000, HighHost, 80, TcpFlags.Syn), 0);

        h.Table.ExportAll();

        Assert.Equal(2, h.Records.Count);
        Assert.Equal(h.BytesFed, h.BytesExported);
    }

    [Fact]
    public void Table_growth_past_the_initial_capacity_keeps_every_flow()
    {
        const int flows = 50_000;
        var h = new FlowTableHarness(new FlowTableOptions { IdleTimeout = TimeSpan.FromHours(1), Lifetime = TimeSpan.FromHours(2) });
        var expectedBytes = new Dictionary<(IpAddr, ushort), ulong>();
        for (var pass = 0; pass < 2; pass++)
        {
            for (var i = 0; i < flows; i++)
            {
                var client = IpAddr.FromV4(0x0A00_0000u + (uint)(i / 500));
                var port = (ushort)(1024 + (i % 500));
                var bytes = h.Feed(Udp(client, port, HighHost, 53, payload: (i + pass) % 64), At(pass + (i * 1e-6)));
                expectedBytes[(client, port)] = expectedBytes.GetValueOrDefault((client, port)) + (ulong)bytes;
            }
        }

        Assert.Equal(flows, h.Table.Count);
        h.Table.ExportAll();

        Assert.Equal(flows, h.Records.Count);
        Assert.Equal(flows, h.Records.Select(r => (r.SrcAddr, r.SrcPort)).Distinct().Count());
        Assert.All(h.Records, r =>
        {
            Assert.Equal(2ul, r.InPkts);
            Assert.Equal(expectedBytes[(r.SrcAddr, r.SrcPort)], r.InBytes);
        });
        Assert.Equal(flows, h.Table.Counters.FlowsCreated);
        Assert.Equal(flows, h.Table.Counters.FlowsExported);
        Assert.Equal(0, h.Table.Counters.TableFullEvictions);
        Assert.Equal(0, h.Table.Count);
    }

    [Fact]
    public void Options_are_validated()
    {
        Assert.Throws<ArgumentException>(() => new FlowTable(new FlowTableOptions { MaxFlows = 8 }, new RecordingSink()));
        Assert.Throws<ArgumentException>(() => new FlowTable(new FlowTableOptions { IdleTimeout = TimeSpan.Zero }, new RecordingSink()));
        Assert.Throws<ArgumentException>(() => new FlowTable(new FlowTableOptions { Lifetime = TimeSpan.FromSeconds(-1) }, new RecordingSink()));
    }
}
