using System.Runtime.CompilerServices;
using Flowhive.Shared.Cluster.Messages;

namespace Flowhive.Collector.State;

/// <summary>
/// A host's running <see cref="HostProfile"/>: created for a host's first profile delta, and inside it each part
/// only when the host has any (most hosts never speak HTTP or SSH, and only local hosts have visited sites), so an
/// ordinary host pays for its names, two 64-byte peer sketches and two short port tables.
/// </summary>
public sealed class HostProfileState
{
    public const int PortsKept = 16;
    public const int SitesKept = 16;
    public const int FingerprintsKept = 32;

    /// <summary>ntopng's visited-sites period: "sites" is the current five minutes, "sites.old" the five before.</summary>
    public static readonly long SitesPeriodUs = TimeSpan.FromMinutes(5).Ticks / 10;

    private HostNames _names;
    private int _activeAsClient;
    private int _activeAsServer;
    private StrongBox<ApplicationCounters>? _apps;
    private TopTable<string>? _ja4;
    private TopTable<string>? _hassh;
    private byte[]? _peersAsClient;
    private byte[]? _peersAsServer;
    private TopTable<uint>? _contactedPorts;
    private TopTable<uint>? _servedPorts;
    private TopTable<string>? _sites;
    private TopTable<string>? _sitesOld;
    private long _sitesPeriod;

    /// <summary>Visited sites of a period more than one before the current one, which have no place left.</summary>
    public long LateSitesDropped { get; private set; }

    public void Apply(HostProfile delta)
    {
        _names = _names.With(delta.Names);

        // A window's active flows are the host's active flows now: the latest window replaces the count.
        _activeAsClient = delta.ActiveFlowsAsClient;
        _activeAsServer = delta.ActiveFlowsAsServer;
        if (!delta.Apps.IsEmpty)
        {
            // Boxed: most hosts never have any, and the counters are 30 longs.
            (_apps ??= new StrongBox<ApplicationCounters>()).Value += delta.Apps;
        }

        AddTo(ref _ja4, delta.Ja4, FingerprintsKept);
        AddTo(ref _hassh, delta.Hassh, FingerprintsKept);
        MergeInto(ref _peersAsClient, delta.PeersAsClient);
        MergeInto(ref _peersAsServer, delta.PeersAsServer);
        AddTo(ref _contactedPorts, delta.ContactedPorts, PortsKept);
        AddTo(ref _servedPorts, delta.ServedPorts, PortsKept);
        AddSites(delta.Sites, delta.SitesAtUs);
    }

    /// <summary>The profile as of <paramref name="nowUs"/> (the host's last-seen time): sites of a period that has passed move to "old".</summary>
    public HostProfile Snapshot(long nowUs)
    {
        var (sites, sitesOld) = (_sites, _sitesOld);
        var period = nowUs / SitesPeriodUs;
        if (period > _sitesPeriod)
        {
            (sites, sitesOld) = (null, period == _sitesPeriod + 1 ? _sites : null);
        }

        return new HostProfile(
            _names,
            _activeAsClient,
            _activeAsServer,
            _apps?.Value ?? default,
            TopTable<string>.SnapshotOf(_ja4),
            TopTable<string>.SnapshotOf(_hassh),
            _peersAsClient is null ? PeerSketch.Empty : new PeerSketch(_peersAsClient),
            _peersAsServer is null ? PeerSketch.Empty : new PeerSketch(_peersAsServer),
            TopTable<uint>.SnapshotOf(_contactedPorts),
            TopTable<uint>.SnapshotOf(_servedPorts),
            TopTable<string>.SnapshotOf(sites),
            TopTable<string>.SnapshotOf(sitesOld),
            period * SitesPeriodUs);
    }

    private static void AddTo<TKey>(ref TopTable<TKey>? table, TopCounts<TKey> delta, int capacity)
        where TKey : notnull
    {
        if (!delta.IsEmpty)
        {
            (table ??= new TopTable<TKey>(capacity)).Add(delta);
        }
    }

    private static void MergeInto(ref byte[]? registers, PeerSketch delta)
    {
        if (!delta.IsEmpty)
        {
            PeerSketch.Merge(registers ??= new byte[PeerSketch.Registers], delta.Span);
        }
    }

    /// <summary>Rotates the visited sites on the delta's time: a later period makes the current one "old".</summary>
    private void AddSites(TopCounts<string> delta, long atUs)
    {
        if (delta.IsEmpty)
        {
            return;
        }

        var period = atUs / SitesPeriodUs;
        if (_sites is null || period > _sitesPeriod)
        {
            _sitesOld = _sites is not null && period == _sitesPeriod + 1 ? _sites : null;
            _sites = new TopTable<string>(SitesKept);
            _sitesPeriod = period;
        }

        if (period == _sitesPeriod)
        {
            _sites.Add(delta);
        }
        else if (period == _sitesPeriod - 1)
        {
            (_sitesOld ??= new TopTable<string>(SitesKept)).Add(delta);
        }
        else
        {
            LateSitesDropped += delta.Total;
        }
    }
}
