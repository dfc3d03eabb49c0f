using Flowhive.Collector.State;
using Flowhive.Shared.Cluster;
using Flowhive.Shared.Cluster.Messages;
using Flowhive.Shared.Net;

namespace Flowhive.Collector.Node.Tests.State;

/// <summary>Each stamped delta counts once: in order, resent, or filling a gap that a PrevSeq revealed.</summary>
public sealed class AppliedStampsTests
{
    private const long Source = 77;

    [Fact]
    public void Deltas_in_order_apply_and_a_resent_one_is_a_duplicate()
    {
        var stamps = new AppliedStamps();

        Assert.Equal(StampVerdict.New, stamps.Accept(new IngestStamp(Source, 10, 0)));
        Assert.Equal(StampVerdict.New, stamps.Accept(new IngestStamp(Source, 14, 10)));
        Assert.Equal(StampVerdict.Duplicate, stamps.Accept(new IngestStamp(Source, 10, 0)));
        Assert.Equal(StampVerdict.Duplicate, stamps.Accept(new IngestStamp(Source, 14, 10)));
        Assert.Equal(StampVerdict.New, stamps.Accept(default));
        Assert.Equal(StampVerdict.New, stamps.Accept(default));
    }

    [Fact]
    public void A_prev_seq_past_the_last_applied_opens_a_gap_that_resent_deltas_fill_once()
    {
        var stamps = new AppliedStamps();
        stamps.Accept(new IngestStamp(Source, 10, 0));

        // 20 and 30 went to a node that died; 40 (previous: 30) arrives live.
        Assert.Equal(StampVerdict.New, stamps.Accept(new IngestStamp(Source, 40, 30)));
        Assert.Equal(StampVerdict.Duplicate, stamps.Accept(new IngestStamp(Source, 10, 0)));
        Assert.Equal(StampVerdict.Late, stamps.Accept(new IngestStamp(Source, 20, 10)));
        Assert.Equal(StampVerdict.Late, stamps.Accept(new IngestStamp(Source, 30, 20)));
        Assert.Equal(StampVerdict.Duplicate, stamps.Accept(new IngestStamp(Source, 20, 10)));
        Assert.Equal(StampVerdict.Duplicate, stamps.Accept(new IngestStamp(Source, 40, 30)));
    }

    [Fact]
    public void A_first_delta_with_a_prev_seq_means_the_earlier_ones_are_missing_and_a_resend_fills_them()
    {
        var stamps = new AppliedStamps();

        Assert.Equal(StampVerdict.New, stamps.Accept(new IngestStamp(Source, 50, 45)));
        Assert.Equal(StampVerdict.Late, stamps.Accept(new IngestStamp(Source, 45, 30)));
        Assert.Equal(StampVerdict.Late, stamps.Accept(new IngestStamp(Source, 30, 0)));
        Assert.Equal(StampVerdict.Duplicate, stamps.Accept(new IngestStamp(Source, 50, 45)));
    }

    [Fact]
    public void Sources_gaps_and_fills_survive_a_checkpoint()
    {
        var stamps = new AppliedStamps();
        stamps.Accept(new IngestStamp(1, 5, 0));
        stamps.Accept(new IngestStamp(Source, 10, 0));
        stamps.Accept(new IngestStamp(Source, 40, 30));
        stamps.Accept(new IngestStamp(Source, 20, 10));

        var restored = RoundTrip(stamps);

        Assert.Equal(2, restored.SourceCount);
        Assert.Equal(StampVerdict.Duplicate, restored.Accept(new IngestStamp(Source, 20, 10)));
        Assert.Equal(StampVerdict.Late, restored.Accept(new IngestStamp(Source, 30, 20)));
        Assert.Equal(StampVerdict.Duplicate, restored.Accept(new IngestStamp(1, 5, 0)));
        Assert.Equal(StampVerdict.New, restored.Accept(new IngestStamp(1, 6, 5)));
    }

    [Fact]
    public void At_most_eight_sources_are_remembered_the_least_recently_heard_going_first()
    {
        var stamps = new AppliedStamps();
        for (var source = 1; source <= AppliedStamps.MaxSources + 1; source++)
        {
            stamps.Accept(new IngestStamp(source, 100, 0));
        }

        Assert.Equal(AppliedStamps.MaxSources, stamps.SourceCount);
        Assert.Equal(StampVerdict.Duplicate, stamps.Accept(new IngestStamp(AppliedStamps.MaxSources + 1, 100, 0)));
        Assert.Equal(StampVerdict.New, stamps.Accept(new IngestStamp(1, 100, 0)));
    }

    [Fact]
    public void A_late_host_delta_adds_its_counters_but_not_its_stale_active_flow_gauge()
    {
        var key = new HostKey(0, 0, IpAddr.Parse("10.0.0.1"));
        var host = new HostState(key);
        HostTrafficDelta Delta(long seq, long prev, int active) =>
            new(key, 0, 1, 2, new HostCounters(10, 0, 1, 0, 0, 0), [], HostProfile.Empty with { ActiveFlowsAsClient = active }, new IngestStamp(Source, seq, prev));

        Assert.Equal(StampVerdict.New, host.Apply(Delta(1, 0, 3)));
        Assert.Equal(StampVerdict.New, host.Apply(Delta(9, 5, 7)));
        Assert.Equal(StampVerdict.Late, host.Apply(Delta(5, 1, 1)));
        Assert.Equal(StampVerdict.Duplicate, host.Apply(Delta(5, 1, 1)));

        Assert.Equal(30, host.Totals.BytesSent);
        Assert.Equal(7, host.Details().Profile!.ActiveFlowsAsClient);
    }

    [Fact]
    public void Stamps_that_do_not_decode_are_refused()
    {
        using var stream = new MemoryStream([9]);
        Assert.Throws<InvalidDataException>(() => new AppliedStamps().Read(new BinaryReader(stream)));
    }

    private static AppliedStamps RoundTrip(AppliedStamps stamps)
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            stamps.Write(w);
        }

        stream.Position = 0;
        var read = new AppliedStamps();
        read.Read(new BinaryReader(stream));
        return read;
    }
}
