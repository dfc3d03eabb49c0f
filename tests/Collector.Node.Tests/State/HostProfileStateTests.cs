using Flowhive.Collector.State;
using Flowhive.Shared.Cluster;
using Flowhive.Shared.Cluster.Messages;
using Flowhive.Shared.Net;

namespace Flowhive.Collector.Node.Tests.State;

public sealed class HostProfileStateTests
{
    private static readonly HostKey Key = new(1, 0, IpAddr.Parse("192.168.1.10"));
    private static readonly long Period = HostProfileState.SitesPeriodUs;
    private static readonly long T0 = 20_000 * Period; // the start of a sites period

    private static HostTrafficDelta Delta(HostProfile profile, long lastUs = 0) =>
        new(Key, 0, Math.Max(1, lastUs - 1), Math.Max(2, lastUs), new HostCounters(1, 1, 1, 1, 1, 0), [], profile);

    private static TopCounts<TKey> Top<TKey>(params (TKey Key, long Count)[] items) => new([.. items.Select(i => new Counted<TKey>(i.Key, i.Count))], 0);

    private static PeerSketch Peers(int first, int count)
    {
        var registers = new byte[PeerSketch.Registers];
        for (var i = first; i < first + count; i++)
        {
            PeerSketch.Add(registers, IpAddr.Parse($"10.{i >> 16 & 255}.{i >> 8 & 255}.{i & 255}"));
        }

        return new PeerSketch(registers);
    }

    [Fact]
    public void A_host_without_profile_deltas_has_none_and_allocates_none()
    {
        var state = new HostState(Key);
        state.Apply(new HostTrafficDelta(Key, 0, 1, 2, new HostCounters(1, 1, 1, 1, 1, 0)));

        Assert.Null(state.Profile);
        Assert.Null(state.Details().Profile);
    }

    [Fact]
    public void Counters_add_up_names_take_the_newest_and_active_flows_are_the_latest_windows()
    {
        var state = new HostState(Key);
        state.Apply(Delta(HostProfile.Empty with
        {
            Names = new HostNames(null, "laptop", null, null, "a.example.com", null),
            ActiveFlowsAsClient = 5,
            Apps = new ApplicationCounters(new DnsCounters(1, 2, 3, 4, 5), default, default, new HttpCounters(1, 0, 0, 0, 0, 0, 1, 0, 0, 0), 2, 0),
        }, T0 + 10));
        state.Apply(Delta(HostProfile.Empty with
        {
            Names = new HostNames("host.example.com", null, null, null, "b.example.com", null),
            ActiveFlowsAsClient = 1,
            ActiveFlowsAsServer = 2,
            Apps = new ApplicationCounters(new DnsCounters(1, 0, 0, 1, 0), default, default, new HttpCounters(0, 1, 0, 0, 0, 0, 0, 0, 0, 1), 1, 0),
        }, T0 + 20));

        var profile = state.Details().Profile!;

        Assert.Equal(new HostNames("host.example.com", "laptop", null, null, "b.example.com", null), profile.Names);
        Assert.Equal("host.example.com", profile.Names.Best);
        Assert.Equal((1, 2), (profile.ActiveFlowsAsClient, profile.ActiveFlowsAsServer));
        Assert.Equal(new DnsCounters(2, 2, 3, 5, 5), profile.Apps.DnsAsClient);
        Assert.Equal(new HttpCounters(1, 1, 0, 0, 0, 0, 1, 0, 0, 1), profile.Apps.HttpAsServer);
        Assert.Equal(3, profile.Apps.SniFlowsAsClient);
    }

    [Fact]
    public void Fingerprints_are_bounded_per_host_and_the_rest_is_counted_not_lost()
    {
        var state = new HostState(Key);
        for (var i = 0; i < 40; i++)
        {
            // The first 32 hashes are used twice, the last 8 once: they do not displace any kept one.
            state.Apply(Delta(HostProfile.Empty with { Ja4 = Top(($"ja4-{i:D2}", i < 32 ? 2L : 1L)) }));
        }

        var ja4 = state.Details().Profile!.Ja4;

        Assert.Equal(HostProfileState.FingerprintsKept, ja4.Items.Count);
        Assert.Equal(8, ja4.Other);
        Assert.Equal((32 * 2) + 8, ja4.Total);
        Assert.DoesNotContain(ja4.Items, c => string.CompareOrdinal(c.Key, "ja4-32") >= 0);
    }

    [Fact]
    public void A_heavier_new_port_displaces_the_least_used_one_whose_count_moves_to_other()
    {
        var state = new HostState(Key);
        state.Apply(Delta(HostProfile.Empty with { ServedPorts = Top([.. Enumerable.Range(1, HostProfileState.PortsKept).Select(p => ((uint)p, (long)p))]) }));
        state.Apply(Delta(HostProfile.Empty with { ServedPorts = Top((443u, 100L)) }));

        var ports = state.Details().Profile!.ServedPorts;

        Assert.Equal(new Counted<uint>(443, 100), ports.Items[0]);
        Assert.DoesNotContain(ports.Items, c => c.Key == 1);
        Assert.Equal(1, ports.Other);
        Assert.Equal(100 + (16 * 17 / 2), ports.Total);
    }

    [Fact]
    public void An_oversized_list_in_a_delta_is_capped_and_counted()
    {
        var state = new HostState(Key);
        var many = Top([.. Enumerable.Range(0, 64).Select(p => ((uint)p, 1L))]);

        state.Apply(Delta(HostProfile.Empty with { ContactedPorts = many }));

        var ports = state.Details().Profile!.ContactedPorts;
        Assert.Equal(HostProfileState.PortsKept, ports.Items.Count);
        Assert.Equal(64 - HostProfileState.PortsKept, ports.Other);
    }

    [Fact]
    public void Peer_sketches_merge_across_deltas_so_a_peer_seen_twice_counts_once()
    {
        var state = new HostState(Key);
        state.Apply(Delta(HostProfile.Empty with { PeersAsClient = Peers(0, 40) }));
        state.Apply(Delta(HostProfile.Empty with { PeersAsClient = Peers(20, 40) })); // 20 of them again
        state.Apply(Delta(HostProfile.Empty with { PeersAsServer = Peers(1000, 3) }));

        var profile = state.Details().Profile!;

        Assert.InRange(profile.PeersAsClient.Estimate(), 54, 66); // 60 distinct
        Assert.Equal(3, profile.PeersAsServer.Estimate());
    }

    [Fact]
    public void Sites_rotate_every_five_minutes_on_the_flows_time()
    {
        var state = new HostState(Key);
        state.Apply(Delta(HostProfile.Empty with { Sites = Top(("a.example.com", 2L)), SitesAtUs = T0 + 10 }, T0 + 10));
        state.Apply(Delta(HostProfile.Empty with { Sites = Top(("a.example.com", 1L)), SitesAtUs = T0 + 20 }, T0 + 20));
        Assert.Equal(Top(("a.example.com", 3L)), state.Details().Profile!.Sites);

        state.Apply(Delta(HostProfile.Empty with { Sites = Top(("b.example.com", 1L)), SitesAtUs = T0 + Period + 5 }, T0 + Period + 5));
        state.Apply(Delta(HostProfile.Empty with { Sites = Top(("c.example.com", 1L)), SitesAtUs = T0 + 30 }, T0 + 30)); // late: the old period
        var profile = state.Details().Profile!;
        Assert.Equal(Top(("b.example.com", 1L)), profile.Sites);
        Assert.Equal(Top(("a.example.com", 3L), ("c.example.com", 1L)), profile.SitesOld);

        // Five more minutes without a site: the current becomes the old, the older ones are gone.
        state.Apply(Delta(HostProfile.Empty, T0 + (2 * Period) + 1));
        profile = state.Details().Profile!;
        Assert.True(profile.Sites.IsEmpty);
        Assert.Equal(Top(("b.example.com", 1L)), profile.SitesOld);

        // A site from before the old period has no place left: counted as dropped.
        state.Apply(Delta(HostProfile.Empty with { Sites = Top(("z.example.com", 4L)), SitesAtUs = T0 - Period }, T0 + (2 * Period) + 2));
        Assert.Equal(4, state.Profile!.LateSitesDropped);
    }
}
