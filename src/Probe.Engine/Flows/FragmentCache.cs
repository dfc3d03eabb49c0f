using Flowhive.Shared.Net;

namespace Flowhive.Probe.Engine.Flows;

/// <summary>
/// Remembers the ports of recent first fragments so that later fragments (which carry no L4 header) are
/// accounted to the same flow. Direct-mapped and fixed-size: a collision just forgets an older entry.
/// </summary>
internal sealed class FragmentCache
{
    private const int Size = 4096;
    private static readonly long MaxAgeUs = TimeSpan.FromSeconds(30).Ticks / 10;
    private readonly Entry[] _entries = new Entry[Size];

    public void Remember(IpAddr src, IpAddr dst, uint id, byte protocol, ushort srcPort, ushort dstPort, long timestampUs)
    {
        ref var e = ref _entries[Slot(src, dst, id, protocol)];
        e = new Entry(src, dst, id, protocol, srcPort, dstPort, timestampUs);
    }

    public bool TryFind(IpAddr src, IpAddr dst, uint id, byte protocol, long timestampUs, out ushort srcPort, out ushort dstPort)
    {
        ref var e = ref _entries[Slot(src, dst, id, protocol)];
        if (e.TimestampUs != 0 && e.Id == id && e.Protocol == protocol && e.Src == src && e.Dst == dst &&
            timestampUs - e.TimestampUs <= MaxAgeUs)
        {
            srcPort = e.SrcPort;
            dstPort = e.DstPort;
            return true;
        }

        srcPort = dstPort = 0;
        return false;
    }

    private static int Slot(IpAddr src, IpAddr dst, uint id, byte protocol)
    {
        var h = (src.Low * 0x9E3779B97F4A7C15UL) ^ (dst.Low * 0xC2B2AE3D27D4EB4FUL) ^ (src.High + dst.High) ^ ((ulong)id << 8) ^ protocol;
        h ^= h >> 31;
        h *= 0xBF58476D1CE4E5B9UL;
        h ^= h >> 29;
        return (int)(h & (Size - 1));
    }

    private readonly record struct Entry(IpAddr Src, IpAddr Dst, uint Id, byte Protocol, ushort SrcPort, ushort DstPort, long TimestampUs);
}
