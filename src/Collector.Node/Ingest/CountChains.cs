using System.Runtime.InteropServices;
using Flowhive.Shared.Cluster.Messages;

namespace Flowhive.Collector.Ingest;

/// <summary>Where one host's counted keys of one kind start in a <see cref="CountChains{TKey}"/>, how many there are, and the uses that did not fit.</summary>
internal struct CountChain
{
    /// <summary>1 + the index of the host's newest entry; 0 = none yet.</summary>
    public int Head;
    public int Length;
    public long Other;

    public readonly bool IsEmpty => Head == 0 && Other == 0;
}

/// <summary>
/// Counted keys (ports, sites, fingerprints) of every host of an ingest window as chains of structs in one reused
/// list, as the window keeps protocols: adding allocates nothing once the list has grown. A chain holds at most
/// <see cref="TopCounts{TKey}.MaxPerMessage"/> keys (what one message may carry) so that a host scanning thousands of
/// ports costs a bounded search per record; further keys are counted in the chain's <see cref="CountChain.Other"/>.
/// </summary>
internal sealed class CountChains<TKey>
    where TKey : notnull
{
    private readonly List<Link> _links = [];

    public void Add(ref CountChain chain, TKey key, long count)
    {
        var comparer = EqualityComparer<TKey>.Default;
        var links = CollectionsMarshal.AsSpan(_links);
        for (var i = chain.Head - 1; i >= 0; i = links[i].Next - 1)
        {
            ref var link = ref links[i];
            if (comparer.Equals(link.Key, key))
            {
                link.Count += count;
                return;
            }
        }

        if (chain.Length == TopCounts<TKey>.MaxPerMessage)
        {
            chain.Other += count;
            return;
        }

        _links.Add(new Link { Key = key, Count = count, Next = chain.Head });
        chain.Head = _links.Count;
        chain.Length++;
    }

    public TopCounts<TKey> ToCounts(in CountChain chain)
    {
        if (chain.IsEmpty)
        {
            return TopCounts<TKey>.Empty;
        }

        var items = new Counted<TKey>[chain.Length];
        var n = 0;
        for (var i = chain.Head - 1; i >= 0; i = _links[i].Next - 1)
        {
            items[n++] = new Counted<TKey>(_links[i].Key, _links[i].Count);
        }

        return new TopCounts<TKey>(items, chain.Other);
    }

    public void Clear() => _links.Clear();

    private struct Link
    {
        public TKey Key;
        public long Count;
        public int Next;
    }
}
