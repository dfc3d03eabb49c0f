using System.Collections.Concurrent;

namespace Flowhive.Collector.Ingest;

/// <summary>
/// Per-interface ingest statistics, named as ntopng's <c>zmqRecvStats</c> where ntopng has a name:
/// messages received, flows, message drops (msg_id gaps) and undecodable messages by reason.
/// Written by the ingest threads, read by the API.
/// <para>
/// msg_id accounting follows ntopng: per source_id, a jump counts the skipped ids as dropped messages and a lower id is
/// a probe restart (a rollback, nothing counted). The first message of a source is never a gap, even when its id is
/// far above 0 as after a collector restart: what a probe sent before this collector subscribed was not lost on the
/// way to it (PUB sends nothing to absent subscribers, and another collector may have taken it). That id is kept as
/// <see cref="ProbeSource.FirstMsgId"/> so the messages this collector never saw stay visible without being called drops.
/// </para>
/// </summary>
public sealed class IngestCounters
{
    private readonly ConcurrentDictionary<string, long> _rejected = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<uint, ProbeSource> _sources = new();

    public long MessagesReceived;
    public long Flows;
    public long Events;
    public long Counters;
    public long Hellos;
    public long Templates;
    public long Options;
    public long OtherMessages;

    /// <summary>Flow messages whose payload was decoded (for ntopng's zmq_avg_msg_flows).</summary>
    public long FlowMessages;

    /// <summary>Flow records the decoders could not use (ntopng's dropped_flows): no addresses, over the limit, cut off.</summary>
    public long DroppedFlows;

    /// <summary>Deltas sent again after a state node was lost (<see cref="RecentDeltas"/>).</summary>
    public long Resent;

    /// <summary>Deltas forgotten before their time because the resend memory was full: a node loss then may lose them.</summary>
    public long ResendOverflow;

    /// <summary>DNS answers that named no host: more than <see cref="HostProfileWindow.MaxPendingNames"/> addresses were waiting for theirs.</summary>
    public long DnsNamesDropped;

    private readonly long[] _formats = new long[MessageFormats.Count];

    /// <summary>Messages lost between a probe and us, from msg_id gaps (ntopng's zmq_msg_drops).</summary>
    public long MessageDrops;

    /// <summary>Flows a probe reported dropping (its export queue was full, its table overflowed).</summary>
    public long ProbeReportedDrops;

    public IReadOnlyDictionary<string, long> Rejected => _rejected;

    public IReadOnlyDictionary<uint, ProbeSource> Sources => _sources;

    public void Reject(string reason) => _rejected.AddOrUpdate(reason, 1, (_, n) => n + 1);

    public long TotalRejected => _rejected.Values.Sum();

    /// <summary>Messages by header version, payload kind and compression ("v3 tlv", "v4 json zlib"), only those seen.</summary>
    public IReadOnlyDictionary<string, long> Formats =>
        Enumerable.Range(0, _formats.Length).Where(i => Interlocked.Read(ref _formats[i]) > 0)
            .ToDictionary(MessageFormats.Name, i => Interlocked.Read(ref _formats[i]), StringComparer.Ordinal);

    public void CountFormat(byte version, bool tlv, bool compressed) => Interlocked.Increment(ref _formats[MessageFormats.Index(version, tlv, compressed)]);

    /// <summary>
    /// Applies ntopng's msg_id rule for one source: next = last + 1 is fine; a lower id is a restart
    /// (rollback, nothing counted); a jump counts the missing ids as dropped messages.
    /// </summary>
    public ProbeSource TrackMessageId(uint sourceId, uint msgId, long nowUs)
    {
        var source = _sources.GetOrAdd(sourceId, id => new ProbeSource(id));
        lock (source)
        {
            source.Messages++;
            source.LastSeenUs = nowUs;
            if (source.Messages == 1)
            {
                source.FirstMsgId = msgId;
            }
            else
            {
                if (msgId < source.LastMsgId)
                {
                    source.Rollbacks++;
                }
                else if (msgId > (long)source.LastMsgId + 1)
                {
                    var gap = (long)msgId - source.LastMsgId - 1;
                    source.Drops += gap;
                    Interlocked.Add(ref MessageDrops, gap);
                }
            }

            source.LastMsgId = msgId;
        }

        return source;
    }

    /// <summary>What we know about one probe (by its source_id).</summary>
    public sealed class ProbeSource(uint sourceId)
    {
        public uint SourceId { get; } = sourceId;
        public long Messages { get; set; }

        /// <summary>Flow records received from this probe.</summary>
        public long Flows;

        /// <summary>The msg_id of the first message this collector saw from the probe (above 0 when the probe was already running).</summary>
        public uint FirstMsgId { get; set; }
        public long Drops { get; set; }
        public long Rollbacks { get; set; }
        public uint LastMsgId { get; set; }
        public long LastSeenUs { get; set; }

        /// <summary>The probe's latest statistics event (JSON), as sent.</summary>
        public string? LastEvent { get; set; }
    }
}
