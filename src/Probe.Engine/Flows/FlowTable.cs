using System.Numerics;
using System.Runtime.CompilerServices;
using Flowhive.Probe.Engine.Classification;
using Flowhive.Probe.Engine.Decode;
using Flowhive.Shared.Flows;

namespace Flowhive.Probe.Engine.Flows;

/// <summary>
/// A bidirectional flow table owned by one worker thread (not thread-safe by design: each worker owns a
/// slice of the flows, chosen by a symmetric hash). Open addressing with linear probing and backward-shift
/// deletion; entries live in one struct array; expiry walks intrusive lists in time order, so every
/// operation is O(1) and nothing is allocated per packet.
/// </summary>
public sealed class FlowTable
{
    private const int Nil = -1;
    private const int InitialCapacity = 4096;
    private const int SegmentBits = 13;
    private const int SegmentSize = 1 << SegmentBits;
    private const byte Fin = 0x01;
    private const byte Syn = 0x02;
    private const byte Rst = 0x04;
    private const byte Ack = 0x10;

    private readonly FlowTableOptions _options;
    private readonly IFlowSink _sink;
    private readonly IFlowClassifier? _classifier;
    private readonly FragmentCache _fragments = new();
    private readonly long _idleUs;
    private readonly long _lifetimeUs;
    private readonly long _closeGraceUs;

    // Entries live in fixed-size segments: the table grows a segment at a time, without copying or a doubling's slack.
    private FlowEntry[][] _segments;
    private int _capacity;
    // A bucket holds the flow's hash (high half) and its entry index + 1 (low half; 0 = empty): a probe that
    // meets another flow's bucket is rejected there, without loading that flow's entry (a cache miss).
    private long[] _buckets;

    // The LRU links, apart from the entries: moving a flow to the tail on every packet touches its two
    // neighbours, which in this small array are usually in cache, where their entries would not be.
    private LruLink[] _lru;
    private int _mask;
    private int _freeHead = Nil;
    private int _count;

    private int _lruHead = Nil;
    private int _lruTail = Nil;
    private int _ageHead = Nil;
    private int _ageTail = Nil;
    private int _closingHead = Nil;
    private int _closingTail = Nil;

    private long _nowUs;
    private long _lastExpiryUs;

    public FlowTable(FlowTableOptions options, IFlowSink sink, IFlowClassifier? classifier = null)
    {
        options.Validate();
        _options = options;
        _sink = sink;
        _classifier = classifier;
        _idleUs = ToMicroseconds(options.IdleTimeout);
        _lifetimeUs = ToMicroseconds(options.Lifetime);
        _closeGraceUs = ToMicroseconds(options.TcpCloseGrace);
        _segments = [];
        _buckets = [];
        _lru = [];
        Grow(Math.Min(InitialCapacity, options.MaxFlows));
    }

    public FlowTableCounters Counters { get; } = new();

    /// <summary>Flows currently held.</summary>
    public int Count => _count;

    /// <summary>The most flows held at once (for the memory-per-flow figure).</summary>
    public int PeakCount { get; private set; }

    /// <summary>Bytes held by the table's arrays (for the memory-per-flow figure).</summary>
    public long AllocatedBytes => ((long)_capacity * Unsafe.SizeOf<FlowEntry>()) + ((long)_buckets.Length * sizeof(long)) + ((long)_lru.Length * Unsafe.SizeOf<LruLink>());

    /// <summary>The table's clock: the latest packet time seen, or the latest <see cref="Tick"/>.</summary>
    public long NowUs => _nowUs;

    /// <summary>Accounts one decoded packet to its flow; runs expiry when the packet clock moved on by a second.</summary>
    public void Process(ref DecodedPacket p, long timestampUs, ReadOnlySpan<byte> frame)
    {
        if (timestampUs > _nowUs)
        {
            _nowUs = timestampUs;
            if (_nowUs - _lastExpiryUs >= 1_000_000)
            {
                Expire(_nowUs);
            }
        }

        if (p.IsFragment)
        {
            MapFragment(ref p, timestampUs);
        }

        var key = FlowKey.Of(p, out var fromLow);
        var hash = key.Hash();
        var index = Find(key, hash);
        if (index >= 0 && E(index).List == FlowList.Closing && p.Protocol == 6 && (p.TcpFlags & (Syn | Ack)) == Syn)
        {
            // A new connection reuses the ports of one that just closed: finish the old one first.
            Counters.EndedByTcp++;
            ExportAndRemove(index, FlowEndReason.EndOfFlow);
            index = Nil;
        }

        if (index < 0)
        {
            index = Insert(key, hash, ref p, fromLow, timestampUs);
        }
        else
        {
            MoveToLruTail(index);
        }

        ref var e = ref E(index);
        var fromClient = fromLow == e.ClientIsLow;
        // Packet counts, not a zero time, say whether the slice is empty: timestamps may be 0 (pcapng simple packets).
        if (e.ClientPackets + e.ServerPackets == 0 || timestampUs < e.SliceFirstUs)
        {
            e.SliceFirstUs = timestampUs;
        }

        if (timestampUs > e.LastUs)
        {
            e.LastUs = timestampUs;
        }

        if (fromClient)
        {
            e.ClientBytes += (ulong)p.IpLength;
            e.ClientPackets++;
            if (e.ClientMac == 0)
            {
                e.ClientMac = p.SrcMac;
                e.ServerMac = p.DstMac;
            }
        }
        else
        {
            e.ServerBytes += (ulong)p.IpLength;
            e.ServerPackets++;
            if (e.ServerMac == 0)
            {
                e.ServerMac = p.SrcMac;
                e.ClientMac = e.ClientMac == 0 ? p.DstMac : e.ClientMac;
            }
        }

        if (p.Protocol == 6 && !p.IsLaterFragment)
        {
            TrackTcp(index, ref e, ref p, fromClient, timestampUs);
        }

        if (_classifier is not null && !e.Classification.Done)
        {
            Classify(ref e, ref p, frame, fromClient, timestampUs);
        }
    }

    /// <summary>Advances the clock without a packet (live capture with a quiet link) and expires what is due.</summary>
    public void Tick(long nowUs)
    {
        if (nowUs > _nowUs)
        {
            _nowUs = nowUs;
        }

        Expire(_nowUs);
    }

    /// <summary>Exports every flow (end of a capture file, or shutdown) and empties the table.</summary>
    public void ExportAll()
    {
        while (_lruHead != Nil)
        {
            ExportAndRemove(_lruHead, FlowEndReason.ForcedEnd);
        }

        _sink.Flush();
    }

    private void Expire(long nowUs)
    {
        _lastExpiryUs = nowUs;
        while (_closingHead != Nil && E(_closingHead).ListTimeUs + _closeGraceUs <= nowUs)
        {
            Counters.EndedByTcp++;
            ExportAndRemove(_closingHead, FlowEndReason.EndOfFlow);
        }

        while (_lruHead != Nil && E(_lruHead).LastUs + _idleUs <= nowUs)
        {
            var reason = E(_lruHead).List == FlowList.Closing ? FlowEndReason.EndOfFlow : FlowEndReason.IdleTimeout;
            Counters.IdleExpired++;
            ExportAndRemove(_lruHead, reason);
        }

        while (_ageHead != Nil && E(_ageHead).ListTimeUs + _lifetimeUs <= nowUs)
        {
            ExportSlice(_ageHead, nowUs);
        }
    }

    private void MapFragment(ref DecodedPacket p, long timestampUs)
    {
        if (!p.IsLaterFragment)
        {
            _fragments.Remember(p.Src, p.Dst, p.FragmentId, p.Protocol, p.SrcPort, p.DstPort, timestampUs);
        }
        else if (_fragments.TryFind(p.Src, p.Dst, p.FragmentId, p.Protocol, timestampUs, out var srcPort, out var dstPort))
        {
            p.SrcPort = srcPort;
            p.DstPort = dstPort;
        }
        else
        {
            Counters.UnmatchedFragments++;
        }
    }

    private void TrackTcp(int index, ref FlowEntry e, ref DecodedPacket p, bool fromClient, long timestampUs)
    {
        var flags = p.TcpFlags;
        if (fromClient)
        {
            e.ClientFlags |= flags;
        }
        else
        {
            e.ServerFlags |= flags;
        }

        if ((flags & (Syn | Ack)) == Syn && fromClient)
        {
            if (e.SynUs == 0)
            {
                e.SynUs = timestampUs;
            }

            e.ClientNextSeq = p.TcpSeq + 1;
        }
        else if ((flags & (Syn | Ack)) == (Syn | Ack) && !fromClient)
        {
            if (e.SynAckUs == 0 && e.SynUs != 0)
            {
                e.SynAckUs = timestampUs;
                // nProbe reports half the round trip on each side of the probe.
                e.ServerLatencyMs = (timestampUs - e.SynUs) / 2000f;
            }

            e.ServerNextSeq = p.TcpSeq + 1;
        }
        else if ((flags & (Syn | Ack)) == Ack && fromClient && e.SynAckUs != 0 && e.ClientLatencyMs == 0)
        {
            e.ClientLatencyMs = Math.Max((timestampUs - e.SynAckUs) / 2000f, 0.001f);
        }

        var length = (uint)p.DeclaredPayloadLength;
        if (length > 0 && (flags & Syn) == 0)
        {
            if (fromClient)
            {
                TrackSequence(p.TcpSeq, length, ref e.ClientNextSeq, ref e.ClientPendingGaps, ref e.ClientRetransmissions, ref e.ClientOutOfOrder);
            }
            else
            {
                TrackSequence(p.TcpSeq, length, ref e.ServerNextSeq, ref e.ServerPendingGaps, ref e.ServerRetransmissions, ref e.ServerOutOfOrder);
            }
        }

        if ((flags & Rst) != 0)
        {
            e.TcpEnd |= TcpEnd.Reset;
        }
        else if ((flags & Fin) != 0)
        {
            e.TcpEnd |= fromClient ? TcpEnd.ClientFin : TcpEnd.ServerFin;
        }

        if (e.List != FlowList.Closing &&
            ((e.TcpEnd & TcpEnd.Reset) != 0 || (e.TcpEnd & (TcpEnd.ClientFin | TcpEnd.ServerFin)) == (TcpEnd.ClientFin | TcpEnd.ServerFin)))
        {
            // Wait a moment for the last ACK (and retransmitted FINs) before exporting the flow.
            Unlink(index, ref e);
            e.ListTimeUs = timestampUs;
            Append(index, ref e, FlowList.Closing);
        }
    }

    /// <summary>
    /// Retransmission and out-of-order heuristic on one direction: data before the next expected sequence is
    /// out of order if it fills a gap seen earlier, a retransmission otherwise.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void TrackSequence(uint seq, uint length, ref uint nextSeq, ref ushort pendingGaps, ref uint retransmissions, ref uint outOfOrder)
    {
        if (nextSeq == 0)
        {
            nextSeq = seq + length;
            return;
        }

        var delta = (int)(seq - nextSeq);
        if (delta == 0)
        {
            nextSeq = seq + length;
        }
        else if (delta > 0)
        {
            nextSeq = seq + length;
            if (pendingGaps < ushort.MaxValue)
            {
                pendingGaps++;
            }
        }
        else if (pendingGaps > 0)
        {
            pendingGaps--;
            outOfOrder++;
        }
        else
        {
            retransmissions++;
        }
    }

    private void Classify(ref FlowEntry e, ref DecodedPacket p, ReadOnlySpan<byte> frame, bool fromClient, long timestampUs)
    {
        var classifier = _classifier!;
        e.Classification.PacketsInspected++;
        if (classifier.InspectFrame(ref e.Classification, p, frame, fromClient, timestampUs) ||
            e.Classification.PacketsInspected >= classifier.MaxPacketsPerFlow)
        {
            e.Classification.Done = true;
            classifier.Release(ref e.Classification);
        }
    }

    private int Insert(FlowKey key, uint hash, ref DecodedPacket p, bool fromLow, long timestampUs)
    {
        if (_count == _capacity)
        {
            if (_capacity < _options.MaxFlows)
            {
                Grow(Math.Min(_capacity + SegmentSize, _options.MaxFlows));
            }
            else
            {
                // Full: the least recently seen flow leaves early, exported and counted (never dropped).
                Counters.TableFullEvictions++;
                ExportAndRemove(_lruHead, FlowEndReason.LackOfResources);
            }
        }

        var index = _freeHead;
        ref var e = ref E(index);
        _freeHead = _lru[index].Next;
        e = default;
        e.InUse = true;
        e.Key = key;
        e.Hash = hash;
        e.TunnelId = p.TunnelId;

        // The sender of the first packet is the client, unless the packet is a SYN-ACK, or a mid-stream
        // TCP segment sent from a well-known port to an ephemeral one.
        var senderIsServer = p.Protocol == 6 &&
            ((p.TcpFlags & (Syn | Ack)) == (Syn | Ack) ||
             ((p.TcpFlags & Syn) == 0 && p.SrcPort < 1024 && p.DstPort >= 1024));
        e.ClientIsLow = fromLow != senderIsServer;

        PlaceInBucket(index, hash);
        if (++_count > PeakCount)
        {
            PeakCount = _count;
        }
        Counters.FlowsCreated++;

        _lru[index] = new LruLink(_lruTail, Nil);
        if (_lruTail != Nil)
        {
            _lru[_lruTail].Next = index;
        }
        else
        {
            _lruHead = index;
        }

        _lruTail = index;
        e.ListTimeUs = timestampUs;
        Append(index, ref e, FlowList.Age);
        return index;
    }

    private void ExportSlice(int index, long nowUs)
    {
        ref var e = ref E(index);
        if (HasPackets(e))
        {
            Counters.SlicesExported++;
            Export(ref e, FlowEndReason.ActiveTimeout);
            e.ClientBytes = e.ClientPackets = e.ServerBytes = e.ServerPackets = 0;
            e.ClientFlags = e.ServerFlags = 0;
            e.ClientRetransmissions = e.ServerRetransmissions = e.ClientOutOfOrder = e.ServerOutOfOrder = 0;
        }

        Unlink(index, ref e);
        e.ListTimeUs = nowUs;
        Append(index, ref e, FlowList.Age);
    }

    private void ExportAndRemove(int index, FlowEndReason reason)
    {
        ref var e = ref E(index);

        // Release first: an engine that never reached a verdict gives its last answer there (nDPI's give-up guess).
        if (_classifier is not null && !e.Classification.Done)
        {
            _classifier.Release(ref e.Classification);
        }

        if (HasPackets(e))
        {
            Export(ref e, reason);
        }

        Remove(index);
    }

    private void Export(ref FlowEntry e, FlowEndReason reason)
    {
        var record = new FlowRecord
        {
            SrcAddr = e.ClientIsLow ? e.Key.LowAddr : e.Key.HighAddr,
            DstAddr = e.ClientIsLow ? e.Key.HighAddr : e.Key.LowAddr,
            SrcPort = e.ClientIsLow ? e.Key.LowPort : e.Key.HighPort,
            DstPort = e.ClientIsLow ? e.Key.HighPort : e.Key.LowPort,
            Protocol = e.Key.Protocol,
            IpVersion = e.Key.LowAddr.IsV4 ? (byte)4 : (byte)6,
            Vlan = e.Key.Vlan,
            SrcMac = e.ClientMac,
            DstMac = e.ServerMac,
            InBytes = e.ClientBytes,
            InPkts = e.ClientPackets,
            OutBytes = e.ServerBytes,
            OutPkts = e.ServerPackets,
            FirstSwitchedUs = e.SliceFirstUs,
            LastSwitchedUs = e.LastUs,
            ClientTcpFlags = e.ClientFlags,
            ServerTcpFlags = e.ServerFlags,
            EndReason = reason,
            L7Master = e.Classification.Master,
            L7App = e.Classification.App,
            L7Category = e.Classification.Category,
            RetransmittedInPkts = e.ClientRetransmissions,
            RetransmittedOutPkts = e.ServerRetransmissions,
            OutOfOrderInPkts = e.ClientOutOfOrder,
            OutOfOrderOutPkts = e.ServerOutOfOrder,
            ClientNwLatencyMs = e.ClientLatencyMs,
            ServerNwLatencyMs = e.ServerLatencyMs,
            TunnelId = e.TunnelId,
            Metadata = e.Classification.Metadata,
        };
        if (!_options.LocalNetworks.IsEmpty)
        {
            record.Direction = DirectionOf(record.SrcAddr, record.DstAddr);
        }

        Counters.FlowsExported++;
        _sink.Export(record);
    }

    /// <summary>Whether the current slice has anything to export (a slice boundary may have just emptied it).</summary>
    private static bool HasPackets(in FlowEntry e) => e.ClientPackets + e.ServerPackets != 0;

    private FlowDirection DirectionOf(Flowhive.Shared.Net.IpAddr client, Flowhive.Shared.Net.IpAddr server)
    {
        var clientLocal = _options.LocalNetworks.Contains(client);
        var serverLocal = _options.LocalNetworks.Contains(server);
        return clientLocal == serverLocal ? FlowDirection.Unknown : clientLocal ? FlowDirection.Egress : FlowDirection.Ingress;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Find(in FlowKey key, uint hash)
    {
        var slot = (int)(hash & _mask);
        while (true)
        {
            var bucket = _buckets[slot];
            if (bucket == 0)
            {
                return Nil;
            }

            if ((uint)(bucket >> 32) == hash)
            {
                var index = (int)(uint)bucket - 1;
                if (E(index).Key.Equals(key))
                {
                    return index;
                }
            }

            slot = (slot + 1) & _mask;
        }
    }

    private void PlaceInBucket(int index, uint hash)
    {
        var slot = (int)(hash & _mask);
        while (_buckets[slot] != 0)
        {
            slot = (slot + 1) & _mask;
        }

        _buckets[slot] = Bucket(index, hash);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long Bucket(int index, uint hash) => ((long)hash << 32) | (uint)(index + 1);

    private void Remove(int index)
    {
        ref var e = ref E(index);

        // Find the bucket, then close the gap by shifting later members of the probe run back (no tombstones).
        var slot = (int)(e.Hash & _mask);
        var own = Bucket(index, e.Hash);
        while (_buckets[slot] != own)
        {
            slot = (slot + 1) & _mask;
        }

        var hole = slot;
        var next = (hole + 1) & _mask;
        while (_buckets[next] != 0)
        {
            var home = (int)((uint)(_buckets[next] >> 32) & _mask);
            var distanceToNext = (next - home) & _mask;
            var distanceToHole = (hole - home) & _mask;
            if (distanceToHole < distanceToNext)
            {
                _buckets[hole] = _buckets[next];
                hole = next;
            }

            next = (next + 1) & _mask;
        }

        _buckets[hole] = 0;

        Unlink(index, ref e);
        var link = _lru[index];
        if (link.Prev != Nil)
        {
            _lru[link.Prev].Next = link.Next;
        }
        else
        {
            _lruHead = link.Next;
        }

        if (link.Next != Nil)
        {
            _lru[link.Next].Prev = link.Prev;
        }
        else
        {
            _lruTail = link.Prev;
        }

        e = default;
        _lru[index] = new LruLink(Nil, _freeHead);
        _freeHead = index;
        _count--;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void MoveToLruTail(int index)
    {
        if (index == _lruTail)
        {
            return;
        }

        ref var link = ref _lru[index];
        if (link.Prev != Nil)
        {
            _lru[link.Prev].Next = link.Next;
        }
        else
        {
            _lruHead = link.Next;
        }

        _lru[link.Next].Prev = link.Prev;
        link.Prev = _lruTail;
        link.Next = Nil;
        _lru[_lruTail].Next = index;
        _lruTail = index;
    }

    private void Append(int index, ref FlowEntry e, FlowList list)
    {
        ref var head = ref list == FlowList.Age ? ref _ageHead : ref _closingHead;
        ref var tail = ref list == FlowList.Age ? ref _ageTail : ref _closingTail;
        e.List = list;
        e.ListPrev = tail;
        e.ListNext = Nil;
        if (tail != Nil)
        {
            E(tail).ListNext = index;
        }
        else
        {
            head = index;
        }

        tail = index;
    }

    private void Unlink(int index, ref FlowEntry e)
    {
        if (e.List == FlowList.None)
        {
            return;
        }

        ref var head = ref e.List == FlowList.Age ? ref _ageHead : ref _closingHead;
        ref var tail = ref e.List == FlowList.Age ? ref _ageTail : ref _closingTail;
        if (e.ListPrev != Nil)
        {
            E(e.ListPrev).ListNext = e.ListNext;
        }
        else
        {
            head = e.ListNext;
        }

        if (e.ListNext != Nil)
        {
            E(e.ListNext).ListPrev = e.ListPrev;
        }
        else
        {
            tail = e.ListPrev;
        }

        e.List = FlowList.None;
        e.ListPrev = e.ListNext = Nil;
        _ = index;
    }

    private void Grow(int capacity)
    {
        var old = _capacity;
        var segmentsNeeded = (capacity + SegmentSize - 1) / SegmentSize;
        if (segmentsNeeded > _segments.Length)
        {
            Array.Resize(ref _segments, segmentsNeeded);
        }

        for (var s = 0; s < segmentsNeeded; s++)
        {
            // The last segment may be partial when MaxFlows is not a multiple of the segment size.
            var size = Math.Min(SegmentSize, capacity - (s * SegmentSize));
            if (_segments[s] is null || _segments[s].Length < size)
            {
                var segment = new FlowEntry[size];
                _segments[s]?.CopyTo(segment, 0);
                _segments[s] = segment;
            }
        }

        _capacity = capacity;

        // Buckets at two to four times the entries keep linear probe runs short; rebuilt only when they double.
        var bucketCount = (int)BitOperations.RoundUpToPowerOf2((uint)capacity * 2);
        if (bucketCount != _buckets.Length)
        {
            _buckets = new long[bucketCount];
            _mask = bucketCount - 1;
            for (var i = 0; i < old; i++)
            {
                if (E(i).InUse)
                {
                    PlaceInBucket(i, E(i).Hash);
                }
            }
        }

        Array.Resize(ref _lru, capacity);
        for (var i = capacity - 1; i >= old; i--)
        {
            _lru[i] = new LruLink(Nil, _freeHead);
            _freeHead = i;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ref FlowEntry E(int index) => ref _segments[index >> SegmentBits][index & (SegmentSize - 1)];

    private static long ToMicroseconds(TimeSpan span) => span.Ticks / 10;

    /// <summary>A flow's place on the LRU list, or (free entries) on the free list through <see cref="Next"/>.</summary>
    private struct LruLink(int prev, int next)
    {
        public int Prev = prev;
        public int Next = next;
    }
}
