namespace Flowhive.Shared.Cluster.Messages;

/// <summary>Asks a host entity for its details.</summary>
public sealed record GetHostDetails(HostKey Host) : IHostMessage;

/// <summary>
/// A host entity's state (issue-by-issue this grows towards ntopng's host page), with its traffic by application
/// protocol and category and its <see cref="HostProfile"/> (null until the host had any of it).
/// </summary>
public sealed record HostDetails(HostKey Host, ulong Mac, HostCounters Totals, long FirstSeenUs, long LastSeenUs, bool Known, IReadOnlyList<L7Counters> L7,
    HostProfile? Profile = null) : IFlowhiveMessage
{
    public HostDetails(HostKey Host, ulong Mac, HostCounters Totals, long FirstSeenUs, long LastSeenUs, bool Known)
        : this(Host, Mac, Totals, FirstSeenUs, LastSeenUs, Known, [])
    {
    }

    /// <summary>Records compare lists by reference; two details are equal when their protocol lists hold the same entries and their profiles are equal.</summary>
    public bool Equals(HostDetails? other) =>
        other is not null && Host == other.Host && Mac == other.Mac && Totals == other.Totals && FirstSeenUs == other.FirstSeenUs &&
        LastSeenUs == other.LastSeenUs && Known == other.Known && L7.SequenceEqual(other.L7) && Equals(Profile, other.Profile);

    public override int GetHashCode() => HashCode.Combine(Host, Mac, Totals, FirstSeenUs, LastSeenUs, Known, L7.Count);
}
