using System.Collections.Concurrent;

namespace Flowhive.Collector.Ingest;

/// <summary>
/// Per-interface ingest statistics, named as ntopng's <c>zmqRecvStats</c> where ntopng has a name:
/// messages received, flows, message drops (msg_id gaps) and undecodable messages by reason.
/// Written by the ingest threads, read by the API.
/// </summary>
public sealed class IngestCounters
{
    private readonly ConcurrentDictionary<string, long> _rejected = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<uint, ProbeSource> _sources = new();

    public long MessagesReceived;
    public long Flows;
    public long Events;
    public long Counters;
    public long OtherMessages;

    /// <summary>Messages lost between a probe and us, from msg_id gaps (ntopng's zmq_msg_drops).</summary>
    public long MessageDrops;

    /// <summary>Flows a probe reported dropping (its export queue was full, its table overflowed).</summary>
    public long ProbeReportedDrops;

    public IReadOnlyDictionary<string, long> Rejected => _rejected;

    public IReadOnlyDictionary<uint, ProbeSource> Sources => _sources;

    public void Reject(string reason) => _rejected.AddOrUpdate(reason, 1, (_, n) => n + 1);

    public long TotalRejected => _rejected.Values.Sum();

    /// <summary>
    /// Applies ntopng's msg_id rule for one source: next = last + 1 is fine; a lower id is a restart
    /// (rollback, nothing counted); a jump counts the missing ids as dropped messages.
    /// </summary>
    public void TrackMessageId(uint sourceId, uint msgId, long nowUs)
    {
        var source = _sources.GetOrAdd(sourceId, id => new ProbeSource(id));
        lock (source)
        {
            source.Messages++;
            source.LastSeenUs = nowUs;
            if (source.Messages > 1)
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
    }

    /// <summary>What we know about one probe (by its source_id).</summary>
    public sealed class ProbeSource(uint sourceId)
    {
        public uint SourceId { get; } = sourceId;
        public long Messages { get; set; }
        public long Drops { get; set; }
        public long Rollbacks { get; set; }
        public uint LastMsgId { get; set; }
        public long LastSeenUs { get; set; }

        /// <summary>The probe's latest statistics event (JSON), as sent.</summary>
        public string? LastEvent { get; set; }
    }
}
