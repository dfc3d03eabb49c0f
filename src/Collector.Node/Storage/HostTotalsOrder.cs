namespace Flowhive.Collector.Storage;

/// <summary>
/// The one order of <see cref="IStatsStore.GetHostTotalsAsync"/> results: by VLAN, then by <see cref="Shared.Net.IpAddr"/>
/// (IPv4-mapped addresses sort among IPv6 as ::ffff:a.b.c.d). Stores sort in memory because PostgreSQL's inet
/// order (IPv4 before every IPv6) differs from a byte-order BLOB's.
/// </summary>
internal static class HostTotalsOrder
{
    public static int Compare(HostTotals x, HostTotals y)
    {
        var byVlan = x.Vlan.CompareTo(y.Vlan);
        return byVlan != 0 ? byVlan : x.Ip.CompareTo(y.Ip);
    }
}
