using Flowhive.Shared.Cluster.Messages;

namespace Flowhive.Collector.State;

/// <summary>
/// A host's most used keys (server ports, sites, fingerprints) with their counts, at most <see cref="Capacity"/>:
/// a short array searched linearly, grown 4, 8, 16... up to the capacity. When it is full, a new key takes the
/// place of the least used one only if it was used more in the delta; whichever loses goes into
/// <see cref="Other"/>, so the kept counts plus <see cref="Other"/> are always every use.
/// </summary>
public sealed class TopTable<TKey>(int capacity)
    where TKey : notnull
{
    private Counted<TKey>[] _items = [];
    private int _count;

    public int Capacity { get; } = Math.Min(capacity, TopCounts<TKey>.MaxPerMessage);

    public int Count => _count;

    /// <summary>Uses of keys that did not fit.</summary>
    public long Other { get; private set; }

    public void Add(TopCounts<TKey> delta)
    {
        // By index: foreach over the interface would allocate an enumerator per message.
        for (var i = 0; i < delta.Items.Count; i++)
        {
            Add(delta.Items[i].Key, delta.Items[i].Count);
        }

        Other += delta.Other;
    }

    public void Add(TKey key, long count)
    {
        var comparer = EqualityComparer<TKey>.Default;
        var least = -1;
        for (var i = 0; i < _count; i++)
        {
            ref var item = ref _items[i];
            if (comparer.Equals(item.Key, key))
            {
                item = item with { Count = item.Count + count };
                return;
            }

            if (least < 0 || item.Count < _items[least].Count)
            {
                least = i;
            }
        }

        if (_count < Capacity)
        {
            if (_count == _items.Length)
            {
                Array.Resize(ref _items, Math.Min(Capacity, Math.Max(4, _count * 2)));
            }

            _items[_count++] = new Counted<TKey>(key, count);
        }
        else if (count > _items[least].Count)
        {
            Other += _items[least].Count;
            _items[least] = new Counted<TKey>(key, count);
        }
        else
        {
            Other += count;
        }
    }

    /// <summary>A copy, most used first.</summary>
    public TopCounts<TKey> Snapshot()
    {
        var copy = _items.AsSpan(0, _count).ToArray();
        Array.Sort(copy, (a, b) => b.Count.CompareTo(a.Count));
        return new TopCounts<TKey>(copy, Other);
    }

    public static TopCounts<TKey> SnapshotOf(TopTable<TKey>? table) => table?.Snapshot() ?? TopCounts<TKey>.Empty;

    /// <summary>
    /// A copy in the table's own order, for a checkpoint: adding it to an empty table rebuilds this one exactly,
    /// including which of two equally used keys a new key would replace.
    /// </summary>
    public static TopCounts<TKey> CheckpointOf(TopTable<TKey>? table) =>
        table is null ? TopCounts<TKey>.Empty : new TopCounts<TKey>(table._items.AsSpan(0, table._count).ToArray(), table.Other);
}
