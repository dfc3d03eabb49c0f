using System.Diagnostics;
using System.Runtime.InteropServices;
using Flowhive.Shared.Cluster;
using Flowhive.Shared.Cluster.Messages;

namespace Flowhive.Collector.Ingest;

/// <summary>
/// An ingest pipeline's stamps and its memory of what it sent lately. Every delta leaves stamped
/// (<see cref="IngestStamp"/>: this pipeline, a sequence, and the sequence of the previous delta to the same entity), and
/// stays here for <see cref="Keep"/>. When a state node dies, what was sent to it since its entities' last checkpoint,
/// and while the cluster had not yet noticed, is lost with it; <see cref="Resend"/> sends everything kept again, the
/// entities skip what they have and fill exactly the gaps their stamps show. <see cref="Keep"/> must cover the
/// checkpoint interval plus the time the cluster takes to remove a dead node (failure detection and the split-brain
/// resolver's stable-after, 20 s by default). Used by one thread, the pipeline's.
/// </summary>
public sealed class RecentDeltas(TimeSpan keep, int maxMessages = RecentDeltas.DefaultMaxMessages)
{
    /// <summary>About 250 MB of deltas at the most: past that, the oldest go early and are counted.</summary>
    public const int DefaultMaxMessages = 1_000_000;

    private readonly Queue<(long SentAt, object Message)> _sent = new();
    private readonly Dictionary<HostKey, (long Seq, long SentAt)> _lastToHost = [];
    private readonly long _keepTicks = (long)(keep.TotalSeconds * Stopwatch.Frequency);
    private long _lastToInterface;
    private long _seq;
    private long _lastSweep = Stopwatch.GetTimestamp();

    public TimeSpan Keep { get; } = keep;

    /// <summary>This pipeline run's source id: random, never 0.</summary>
    public long Source { get; } = Random.Shared.NextInt64(1, long.MaxValue);

    public int Count => _sent.Count;

    /// <summary>Deltas that left the memory before their time because it was full: a resend cannot restore them.</summary>
    public long Overflowed { get; private set; }

    public HostTrafficDelta Stamp(HostTrafficDelta delta)
    {
        var now = Stopwatch.GetTimestamp();
        var seq = ++_seq;
        ref var last = ref CollectionsMarshal.GetValueRefOrAddDefault(_lastToHost, delta.Host, out _);
        var stamped = delta with { Stamp = new IngestStamp(Source, seq, last.Seq) };
        last = (seq, now);
        Remember(stamped, now);
        return stamped;
    }

    public InterfaceTrafficDelta Stamp(InterfaceTrafficDelta delta)
    {
        var now = Stopwatch.GetTimestamp();
        var seq = ++_seq;
        var stamped = delta with { Stamp = new IngestStamp(Source, seq, _lastToInterface) };
        _lastToInterface = seq;
        Remember(stamped, now);
        return stamped;
    }

    /// <summary>Sends every kept delta again, oldest first (so each entity sees them in their order); returns how many.</summary>
    public int Resend(Action<HostTrafficDelta> toHost, Action<InterfaceTrafficDelta> toInterface)
    {
        foreach (var (_, message) in _sent)
        {
            switch (message)
            {
                case HostTrafficDelta h:
                    toHost(h);
                    break;
                case InterfaceTrafficDelta i:
                    toInterface(i);
                    break;
            }
        }

        return _sent.Count;
    }

    private void Remember(object message, long now)
    {
        _sent.Enqueue((now, message));
        while (_sent.Count > 0 && (now - _sent.Peek().SentAt > _keepTicks || _sent.Count > maxMessages))
        {
            if (now - _sent.Peek().SentAt <= _keepTicks)
            {
                Overflowed++;
            }

            _sent.Dequeue();
        }

        // A host quiet for longer than the memory has nothing to resend: forget its last sequence (its next delta
        // then says "no previous", which an entity reads as no gap).
        if (now - _lastSweep > _keepTicks)
        {
            _lastSweep = now;
            foreach (var (host, last) in _lastToHost)
            {
                if (now - last.SentAt > _keepTicks)
                {
                    _lastToHost.Remove(host);
                }
            }
        }
    }
}
