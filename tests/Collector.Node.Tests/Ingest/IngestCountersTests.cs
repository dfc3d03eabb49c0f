using Flowhive.Collector.Ingest;

namespace Flowhive.Collector.Node.Tests.Ingest;

/// <summary>ntopng's msg_id rule, per source, without sockets (the ZeroMQ tests cover it end to end).</summary>
public sealed class IngestCountersTests
{
    private static IngestCounters.ProbeSource Track(uint sourceId, params uint[] ids)
    {
        var counters = new IngestCounters();
        foreach (var id in ids)
        {
            counters.TrackMessageId(sourceId, id, nowUs: 1);
        }

        return counters.Sources[sourceId];
    }

    [Fact]
    public void The_first_message_of_a_source_sets_the_baseline_whatever_its_id()
    {
        var source = Track(9, 1_000, 1_001);
        Assert.Equal((0L, 0L, 2L), (source.Drops, source.Rollbacks, source.Messages));
    }

    [Fact]
    public void A_repeated_id_is_neither_a_drop_nor_a_rollback_even_at_the_top_of_the_range()
    {
        var source = Track(9, 5, 5, uint.MaxValue - 1, uint.MaxValue, uint.MaxValue);
        Assert.Equal(uint.MaxValue - 1 - 5 - 1, source.Drops);
        Assert.Equal(0, source.Rollbacks);
    }

    [Fact]
    public void Sources_are_tracked_apart()
    {
        var counters = new IngestCounters();
        counters.TrackMessageId(1, 0, 1);
        counters.TrackMessageId(2, 10, 1);
        counters.TrackMessageId(1, 3, 1);
        counters.TrackMessageId(2, 11, 1);

        Assert.Equal(2, counters.Sources[1].Drops);
        Assert.Equal(0, counters.Sources[2].Drops);
        Assert.Equal(2, Interlocked.Read(ref counters.MessageDrops));
    }
}
