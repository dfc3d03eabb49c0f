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
    /// <summary>ntopng's number of top sites a local host keeps (HOST_SITES_TOP_NUMBER).</summary>
    public const int SitesKept = 10;
    public const int FingerprintsKept = 32;

    /// <summary>ntopng's visited-sites period: "sites" is the current five minutes, "sites.old" the five before.</summary>
    public static readonly long SitesPeriodUs = TimeSpan.FromMinutes(5).Ticks / 10;

    private HostNames _names;
    private int _activeAsClient;
    private int _activeAsServer;
    private StrongBox<(DnsCounters AsClient, DnsCounters AsServer)>? _dns;
    private StrongBox<(HttpCounters AsClient, HttpCounters AsServer)>? _http;
    private long _sniFlowsAsClient;
    private long _sniFlowsAsServer;
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

    /// <param name="late">A resent delta older than what was applied since: its names only fill gaps, its active-flow gauges are stale.</param>
    public void Apply(HostProfile delta, bool late = false)
    {
        if (late)
        {
            _names = delta.Names.With(_names);
        }
        else
        {
            _names = _names.With(delta.Names);

            // A window's active flows are the host's active flows now: the latest window replaces the count.
            _activeAsClient = delta.ActiveFlowsAsClient;
            _activeAsServer = delta.ActiveFlowsAsServer;
        }

        AddApplications(delta.Apps);

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
            new ApplicationCounters(_dns?.Value.AsClient ?? default, _dns?.Value.AsServer ?? default, _http?.Value.AsClient ?? default,
                _http?.Value.AsServer ?? default, _sniFlowsAsClient, _sniFlowsAsServer),
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

    /// <summary>
    /// The whole running state as one profile, for a checkpoint: unlike <see cref="Snapshot"/>, the sites are the
    /// tables as they are (not aged to a time) and <see cref="HostProfile.SitesAtUs"/> is the start of their period.
    /// </summary>
    public HostProfile ToCheckpoint() => new(
        _names,
        _activeAsClient,
        _activeAsServer,
        new ApplicationCounters(_dns?.Value.AsClient ?? default, _dns?.Value.AsServer ?? default, _http?.Value.AsClient ?? default,
            _http?.Value.AsServer ?? default, _sniFlowsAsClient, _sniFlowsAsServer),
        TopTable<string>.CheckpointOf(_ja4),
        TopTable<string>.CheckpointOf(_hassh),
        _peersAsClient is null ? PeerSketch.Empty : new PeerSketch(_peersAsClient),
        _peersAsServer is null ? PeerSketch.Empty : new PeerSketch(_peersAsServer),
        TopTable<uint>.CheckpointOf(_contactedPorts),
        TopTable<uint>.CheckpointOf(_servedPorts),
        TopTable<string>.CheckpointOf(_sites),
        TopTable<string>.CheckpointOf(_sitesOld),
        _sitesPeriod * SitesPeriodUs);

    /// <summary>The state a <see cref="ToCheckpoint"/> profile was taken from.</summary>
    public static HostProfileState FromCheckpoint(HostProfile saved)
    {
        var state = new HostProfileState
        {
            _names = saved.Names,
            _activeAsClient = saved.ActiveFlowsAsClient,
            _activeAsServer = saved.ActiveFlowsAsServer,
            _sitesPeriod = saved.SitesAtUs / SitesPeriodUs,
        };
        state.AddApplications(saved.Apps);
        AddTo(ref state._ja4, saved.Ja4, FingerprintsKept);
        AddTo(ref state._hassh, saved.Hassh, FingerprintsKept);
        MergeInto(ref state._peersAsClient, saved.PeersAsClient);
        MergeInto(ref state._peersAsServer, saved.PeersAsServer);
        AddTo(ref state._contactedPorts, saved.ContactedPorts, PortsKept);
        AddTo(ref state._servedPorts, saved.ServedPorts, PortsKept);
        AddTo(ref state._sites, saved.Sites, SitesKept);
        AddTo(ref state._sitesOld, saved.SitesOld, SitesKept);
        return state;
    }

    /// <summary>DNS and HTTP counters each in a box made on first use: many hosts have DNS, few plain HTTP, and each is 10 or 20 longs.</summary>
    private void AddApplications(ApplicationCounters apps)
    {
        if (!apps.DnsAsClient.IsEmpty || !apps.DnsAsServer.IsEmpty)
        {
            _dns ??= new StrongBox<(DnsCounters, DnsCounters)>();
            _dns.Value = (_dns.Value.AsClient + apps.DnsAsClient, _dns.Value.AsServer + apps.DnsAsServer);
        }

        if (!apps.HttpAsClient.IsEmpty || !apps.HttpAsServer.IsEmpty)
        {
            _http ??= new StrongBox<(HttpCounters, HttpCounters)>();
            _http.Value = (_http.Value.AsClient + apps.HttpAsClient, _http.Value.AsServer + apps.HttpAsServer);
        }

        _sniFlowsAsClient += apps.SniFlowsAsClient;
        _sniFlowsAsServer += apps.SniFlowsAsServer;
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
