using Flowhive.Collector.Ingest;
using Flowhive.Shared.Cluster;
using Flowhive.Shared.Cluster.Messages;
using Flowhive.Shared.Net;

namespace Flowhive.Collector.Node.Tests.Ingest;

/// <summary>What an ingest pipeline stamps, remembers and resends after a node loss.</summary>
public sealed class RecentDeltasTests
{
    private static readonly HostKey A = new(0, 0, IpAddr.Parse("10.0.0.1"));
    private static readonly HostKey B = new(0, 0, IpAddr.Parse("10.0.0.2"));

    private static HostTrafficDelta Host(HostKey key) => new(key, 0, 1, 2, new HostCounters(1, 0, 1, 0, 0, 0));

    private static InterfaceTrafficDelta Interface() => new(0, "eth0", 1, 1, 0, [], []);

    [Fact]
    public void Each_delta_carries_this_source_a_rising_sequence_and_the_previous_sequence_sent_to_its_entity()
    {
        var recent = new RecentDeltas(TimeSpan.FromMinutes(1));

        var a1 = recent.Stamp(Host(A));
        var b1 = recent.Stamp(Host(B));
        var i1 = recent.Stamp(Interface());
        var a2 = recent.Stamp(Host(A));
        var i2 = recent.Stamp(Interface());

        Assert.All(new[] { a1.Stamp, b1.Stamp, i1.Stamp, a2.Stamp, i2.Stamp }, s => Assert.Equal(recent.Source, s.Source));
        Assert.NotEqual(0, recent.Source);
        Assert.Equal([1L, 2, 3, 4, 5], new[] { a1.Stamp.Seq, b1.Stamp.Seq, i1.Stamp.Seq, a2.Stamp.Seq, i2.Stamp.Seq });
        Assert.Equal([0L, 0, 0, 1, 3], new[] { a1.Stamp.PrevSeq, b1.Stamp.PrevSeq, i1.Stamp.PrevSeq, a2.Stamp.PrevSeq, i2.Stamp.PrevSeq });
        Assert.NotEqual(recent.Source, new RecentDeltas(TimeSpan.FromMinutes(1)).Source);
    }

    [Fact]
    public void A_resend_sends_every_kept_delta_again_in_order()
    {
        var recent = new RecentDeltas(TimeSpan.FromMinutes(1));
        var sent = new List<object> { recent.Stamp(Host(A)), recent.Stamp(Interface()), recent.Stamp(Host(B)) };

        var resent = new List<object>();
        Assert.Equal(3, recent.Resend(resent.Add, resent.Add));

        Assert.Equal(sent, resent);
    }

    [Fact]
    public async Task Deltas_older_than_the_keep_time_are_forgotten_and_a_full_memory_counts_what_it_drops()
    {
        var shortLived = new RecentDeltas(TimeSpan.FromMilliseconds(50));
        shortLived.Stamp(Host(A));
        await Task.Delay(200);
        shortLived.Stamp(Host(B));
        Assert.Equal(1, shortLived.Count);
        Assert.Equal(0, shortLived.Overflowed);

        var small = new RecentDeltas(TimeSpan.FromMinutes(1), maxMessages: 4);
        for (var i = 0; i < 10; i++)
        {
            small.Stamp(Host(A));
        }

        Assert.Equal(4, small.Count);
        Assert.Equal(6, small.Overflowed);
    }
}
