using Flowhive.Shared.Cluster.Messages;

namespace Flowhive.Collector.State;

/// <summary>
/// Running totals by application protocol and category: a short array searched linearly, because a host speaks
/// a handful of protocols and a dictionary would cost more memory per host than its entries (ntopng keeps a
/// fixed per-protocol array per host, several KB; this holds only what was seen, 32 bytes per entry).
/// </summary>
public sealed class L7Table
{
    private L7Counters[] _items = [];
    private int _count;

    public int Count => _count;

    /// <summary>Every entry, in the order first seen (for a checkpoint: all of them, unlike <see cref="Snapshot"/>).</summary>
    public ReadOnlySpan<L7Counters> Items => _items.AsSpan(0, _count);

    public void Add(IReadOnlyList<L7Counters> deltas)
    {
        // By index: foreach over the interface would allocate an enumerator per message.
        for (var i = 0; i < deltas.Count; i++)
        {
            Add(deltas[i]);
        }
    }

    public void Add(L7Counters delta)
    {
        for (var i = 0; i < _count; i++)
        {
            ref var item = ref _items[i];
            if (item.Protocol == delta.Protocol && item.Category == delta.Category)
            {
                item = item.Plus(delta);
                return;
            }
        }

        if (_count == _items.Length)
        {
            Array.Resize(ref _items, Math.Max(4, _count * 2));
        }

        _items[_count++] = delta;
    }

    /// <summary>A copy, largest first, at most what one message may carry (the tail of a very mixed host is dropped from the answer, not from the totals).</summary>
    public L7Counters[] Snapshot()
    {
        var copy = _items.AsSpan(0, _count).ToArray();
        Array.Sort(copy, (a, b) => b.Bytes.CompareTo(a.Bytes));
        return copy.Length <= L7Counters.MaxPerMessage ? copy : copy[..L7Counters.MaxPerMessage];
    }
}
