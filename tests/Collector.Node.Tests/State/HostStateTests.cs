using Flowhive.Collector.State;
using Flowhive.Shared.Cluster;
using Flowhive.Shared.Cluster.Messages;
using Flowhive.Shared.Net;

namespace Flowhive.Collector.Node.Tests.State;

public sealed class HostStateTests
{
    private static readonly HostKey Key = new(3, 10, IpAddr.Parse("192.168.1.1"));

    private static HostTrafficDelta Delta(ulong mac, long firstUs, long lastUs, HostCounters counters) => new(Key, mac, firstUs, lastUs, counters);

    [Fact]
    public void A_new_host_is_unknown_and_empty()
    {
        var state = new HostState(Key);

        var details = state.Details();

        Assert.Equal(new HostDetails(Key, 0, default, 0, 0, Known: false), details);
    }

    [Fact]
    public void Deltas_add_up()
    {
        var state = new HostState(Key);
        var first = new HostCounters(100, 2000, 1, 3, 1, 0);
        var second = new HostCounters(50, 0, 1, 0, 0, 2);

        state.Apply(Delta(0xA, 1_000, 2_000, first));
        state.Apply(Delta(0xA, 3_000, 4_000, second));

        Assert.Equal(first + second, state.Totals);
        Assert.True(state.Known);
        Assert.Equal(state.Totals, state.Details().Totals);
    }

    [Fact]
    public void Protocol_traffic_adds_up_per_protocol_and_category_largest_first()
    {
        var state = new HostState(Key);
        state.Apply(new HostTrafficDelta(Key, 0, 1_000, 2_000, new HostCounters(110, 1100, 2, 3, 2, 0),
            [new L7Counters(126, 5, 100, 1000, 1), new L7Counters(5, 14, 10, 100, 1)]));
        state.Apply(new HostTrafficDelta(Key, 0, 3_000, 4_000, new HostCounters(5007, 20, 2, 2, 1, 1),
            [new L7Counters(5, 14, 7, 10, 1), new L7Counters(7, 5, 5000, 10, 1)]));

        var details = state.Details();

        Assert.Equal([new L7Counters(7, 5, 5000, 10, 1), new L7Counters(126, 5, 100, 1000, 1), new L7Counters(5, 14, 17, 110, 2)], details.L7);
        Assert.Equal((state.Totals.BytesSent, state.Totals.BytesRcvd), (details.L7.Sum(c => c.BytesSent), details.L7.Sum(c => c.BytesRcvd)));
        Assert.Equal(3, state.L7.Count);
    }

    [Fact]
    public void A_host_with_more_protocols_than_a_message_holds_answers_its_largest_and_keeps_every_total()
    {
        var state = new HostState(Key);
        var many = Enumerable.Range(1, L7Counters.MaxPerMessage + 10).Select(i => new L7Counters((ushort)i, 0, i, 0, 1)).ToArray();
        state.Apply(new HostTrafficDelta(Key, 0, 1, 2, new HostCounters(many.Sum(c => c.BytesSent), 0, 1, 0, many.Length, 0), many[..600]));
        state.Apply(new HostTrafficDelta(Key, 0, 1, 2, default, many[600..]));

        var details = state.Details();

        Assert.Equal(many.Length, state.L7.Count);
        Assert.Equal(L7Counters.MaxPerMessage, details.L7.Count);
        Assert.Equal(many.Length, details.L7[0].Protocol); // the largest first; the ten smallest are left out of the answer
        Assert.DoesNotContain(details.L7, c => c.Protocol <= 10);
    }

    [Fact]
    public void The_mac_is_kept_when_a_delta_has_none_and_replaced_by_a_new_one()
    {
        var state = new HostState(Key);

        state.Apply(Delta(0x0011_2233_4455, 1_000, 2_000, new HostCounters(1, 0, 1, 0, 0, 0)));
        state.Apply(Delta(0, 3_000, 4_000, new HostCounters(1, 0, 1, 0, 0, 0)));
        Assert.Equal(0x0011_2233_4455UL, state.Mac);

        state.Apply(Delta(0x00AA_BBCC_DDEE, 5_000, 6_000, new HostCounters(1, 0, 1, 0, 0, 0)));
        Assert.Equal(0x00AA_BBCC_DDEEUL, state.Details().Mac);
    }

    [Fact]
    public void First_seen_is_the_earliest_and_last_seen_the_latest_whatever_the_order()
    {
        var state = new HostState(Key);
        var counters = new HostCounters(1, 1, 1, 1, 0, 0);

        state.Apply(Delta(0, 5_000, 6_000, counters));
        state.Apply(Delta(0, 2_000, 3_000, counters)); // a late slice of older traffic
        state.Apply(Delta(0, 7_000, 9_000, counters));
        state.Apply(Delta(0, 0, 8_000, counters)); // no first-seen: leaves it alone

        Assert.Equal(2_000, state.FirstSeenUs);
        Assert.Equal(9_000, state.LastSeenUs);
        var details = state.Details();
        Assert.Equal((2_000L, 9_000L), (details.FirstSeenUs, details.LastSeenUs));
    }
}
