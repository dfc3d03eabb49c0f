namespace Flowhive.Shared.Cluster.Messages;

/// <summary>One counted key of a <see cref="TopCounts{TKey}"/> list: a port, a site, a fingerprint.</summary>
public readonly record struct Counted<TKey>(TKey Key, long Count);

/// <summary>
/// A bounded list of counted keys (a host's server ports, visited sites, fingerprints) and what did not fit:
/// <see cref="Other"/> counts the uses of keys left out, so the list's counts plus <see cref="Other"/> are every use.
/// </summary>
public sealed record TopCounts<TKey>(IReadOnlyList<Counted<TKey>> Items, long Other)
{
    /// <summary>At most this many keys per list in one message, so a hostile or broken sender cannot make a list unbounded.</summary>
    public const int MaxPerMessage = 64;

    public static readonly TopCounts<TKey> Empty = new([], 0);

    public bool IsEmpty => Items.Count == 0 && Other == 0;

    public long Total => Items.Sum(c => c.Count) + Other;

    /// <summary>Records compare lists by reference; two lists are equal when they hold the same entries in the same order.</summary>
    public bool Equals(TopCounts<TKey>? other) => other is not null && Other == other.Other && Items.SequenceEqual(other.Items);

    public override int GetHashCode() => HashCode.Combine(Items.Count, Other);

    public override string ToString() => $"[{string.Join(", ", Items)}] + {Other}";
}
