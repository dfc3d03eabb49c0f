using Flowhive.Shared.Cluster.Messages;

namespace Flowhive.Collector.State;

/// <summary>
/// What an entity applied from each ingest pipeline, so a resent delta counts exactly once: per source the last
/// sequence applied and, when a delta's <see cref="IngestStamp.PrevSeq"/> showed that some went missing, the gap and
/// which of its sequences a resend has filled since. A handful of pipelines feed an entity (usually one), gaps happen
/// only around a node loss: short arrays, the least recently heard source dropped beyond <see cref="MaxSources"/>,
/// the oldest gap beyond <see cref="MaxGaps"/>.
/// </summary>
public sealed class AppliedStamps
{
    public const int MaxSources = 8;
    public const int MaxGaps = 4;

    private Source[] _sources = [];

    public int SourceCount => _sources.Length;

    public StampVerdict Accept(IngestStamp stamp)
    {
        if (stamp.IsNone)
        {
            return StampVerdict.New;
        }

        var i = 0;
        while (i < _sources.Length && _sources[i].Id != stamp.Source)
        {
            i++;
        }

        if (i == _sources.Length)
        {
            // First word from this source. A PrevSeq says earlier deltas went to an incarnation whose state is gone.
            var fresh = new Source { Id = stamp.Source, Last = stamp.Seq };
            if (stamp.PrevSeq > 0)
            {
                fresh.AddGap(0, stamp.PrevSeq);
            }

            var grown = new Source[Math.Min(_sources.Length + 1, MaxSources)];
            grown[0] = fresh;
            Array.Copy(_sources, 0, grown, 1, grown.Length - 1);
            _sources = grown;
            return StampVerdict.New;
        }

        var source = _sources[i];
        if (i > 0)
        {
            // Most recently heard first: the tail is what gets dropped.
            Array.Copy(_sources, 0, _sources, 1, i);
            _sources[0] = source;
        }

        if (stamp.Seq > source.Last)
        {
            if (stamp.PrevSeq > source.Last)
            {
                source.AddGap(source.Last, stamp.PrevSeq);
            }

            source.Last = stamp.Seq;
            return StampVerdict.New;
        }

        return source.TryFill(stamp.Seq) ? StampVerdict.Late : StampVerdict.Duplicate;
    }

    public void Write(BinaryWriter w)
    {
        w.Write((byte)_sources.Length);
        foreach (var s in _sources)
        {
            w.Write(s.Id);
            w.Write(s.Last);
            w.Write((byte)s.Gaps.Count);
            foreach (var g in s.Gaps)
            {
                w.Write(g.After);
                w.Write(g.UpTo);
                w.Write(g.Filled.Count);
                foreach (var seq in g.Filled)
                {
                    w.Write(seq);
                }
            }
        }
    }

    /// <summary>Reads what <see cref="Write"/> wrote into this (empty) instance.</summary>
    public void Read(BinaryReader r)
    {
        var count = r.ReadByte();
        if (count > MaxSources)
        {
            throw new InvalidDataException($"{count} ingest sources (at most {MaxSources})");
        }

        var sources = new Source[count];
        for (var i = 0; i < count; i++)
        {
            var s = sources[i] = new Source { Id = r.ReadInt64(), Last = r.ReadInt64() };
            var gaps = r.ReadByte();
            if (gaps > MaxGaps)
            {
                throw new InvalidDataException($"{gaps} gaps (at most {MaxGaps})");
            }

            for (var g = 0; g < gaps; g++)
            {
                var gap = new Gap(r.ReadInt64(), r.ReadInt64());
                var filled = r.ReadInt32();
                if (filled is < 0 or > Gap.MaxFilled)
                {
                    throw new InvalidDataException($"{filled} filled sequences in a gap");
                }

                for (var f = 0; f < filled; f++)
                {
                    gap.Filled.Add(r.ReadInt64());
                }

                s.Gaps.Add(gap);
            }
        }

        _sources = sources;
    }

    private sealed class Source
    {
        public long Id;
        public long Last;
        private List<Gap>? _gaps;

        public List<Gap> Gaps => _gaps ??= [];

        public void AddGap(long after, long upTo)
        {
            if (Gaps.Count == MaxGaps)
            {
                Gaps.RemoveAt(0);
            }

            Gaps.Add(new Gap(after, upTo));
        }

        /// <summary>True when <paramref name="seq"/> lies in a gap and was not filled yet (it is now).</summary>
        public bool TryFill(long seq)
        {
            if (_gaps is null)
            {
                return false;
            }

            foreach (var gap in _gaps)
            {
                if (seq > gap.After && seq <= gap.UpTo)
                {
                    return gap.Filled.Count < Gap.MaxFilled && gap.Filled.Add(seq);
                }
            }

            return false;
        }
    }

    /// <summary>Sequences (<see cref="After"/>, <see cref="UpTo"/>] of which some were meant for this entity and never arrived.</summary>
    private sealed record Gap(long After, long UpTo)
    {
        /// <summary>An entity receives a few deltas a second: a gap of minutes holds a few hundred of its own.</summary>
        public const int MaxFilled = 4_096;

        public HashSet<long> Filled { get; } = [];
    }
}
