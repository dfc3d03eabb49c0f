using Flowhive.Probe.Engine.Classification;

namespace Flowhive.Probe.Engine.Flows;

/// <summary>
/// One flow in a <see cref="FlowTable"/>. A struct in one array so that the table is a few large
/// allocations, not an object per flow. Counters are per slice: they reset when a long flow is exported
/// at its lifetime and keeps going.
/// </summary>
internal struct FlowEntry
{
    public FlowKey Key;
    public uint Hash;

    // Intrusive list (indices into the entry array, -1 = none): each flow is on either the age list (open, by
    // slice start) or the closing list. The LRU list, which orders every flow by last packet, is the table's.
    public int ListPrev;
    public int ListNext;
    public FlowList List;

    public bool ClientIsLow;
    public bool InUse;
    public byte ClientFlags;
    public byte ServerFlags;
    public TcpEnd TcpEnd;

    public ulong ClientMac;
    public ulong ServerMac;

    public ulong ClientBytes;
    public ulong ClientPackets;
    public ulong ServerBytes;
    public ulong ServerPackets;

    /// <summary>Earliest packet time in the current slice; meaningful only while the slice has packets.</summary>
    public long SliceFirstUs;
    public long LastUs;

    /// <summary>When the current slice started (age list order), or when the flow started closing (closing list order).</summary>
    public long ListTimeUs;

    public long SynUs;
    public long SynAckUs;
    public float ClientLatencyMs;
    public float ServerLatencyMs;

    public uint ClientNextSeq;
    public uint ServerNextSeq;
    public ushort ClientPendingGaps;
    public ushort ServerPendingGaps;
    public uint ClientRetransmissions;
    public uint ServerRetransmissions;
    public uint ClientOutOfOrder;
    public uint ServerOutOfOrder;

    public uint TunnelId;
    public FlowClassification Classification;
}

internal enum FlowList : byte
{
    None = 0,
    Age = 1,
    Closing = 2,
}

[Flags]
internal enum TcpEnd : byte
{
    None = 0,
    ClientFin = 1,
    ServerFin = 2,
    Reset = 4,
}
