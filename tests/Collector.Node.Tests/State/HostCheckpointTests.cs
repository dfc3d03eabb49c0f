using Flowhive.Collector.State;
using Flowhive.Shared.Cluster;
using Flowhive.Shared.Cluster.Messages;
using Flowhive.Shared.Net;

namespace Flowhive.Collector.Node.Tests.State;

/// <summary>
/// A host restored from its checkpoint is the host it was: the same bytes when saved again, the same details, and
/// the same state as a host that never stopped after both take the same further deltas.
/// </summary>
public sealed class HostCheckpointTests
{
    private static readonly HostKey Key = new(3, 10, IpAddr.Parse("2001:db8::10"));
    private static readonly long Period = HostProfileState.SitesPeriodUs;
    private static readonly long T0 = 20_000 * Period;

    /// <summary>Deltas with every part of a host's state: counters, many L7 entries, names, DNS/HTTP, fingerprints, peers, ports and sites over three periods.</summary>
    private static IEnumerable<HostTrafficDelta> Deltas(int seed, int count)
    {
        var random = new Random(seed);
        for (var i = 0; i < count; i++)
        {
            var at = T0 + (i * Period / 7);
            var registers = new byte[PeerSketch.Registers];
            PeerSketch.Add(registers, IpAddr.Parse($"10.0.{random.Next(4)}.{random.Next(256)}"));
            var profile = HostProfile.Empty with
            {
                Names = new HostNames(random.Next(3) == 0 ? $"h{i}.example.com" : null, null, "laptop.local", null, null, null),
                ActiveFlowsAsClient = random.Next(10),
                Apps = new ApplicationCounters(new DnsCounters(1, random.Next(3), 0, 1, 0), default, new HttpCounters(1, 0, 0, 0, 0, 0, 1, 0, 0, 0), default, 1, 0),
                Ja4 = new TopCounts<string>([new Counted<string>($"t13d{random.Next(40)}_abc", 1)], 0),
                PeersAsClient = new PeerSketch(registers),
                ContactedPorts = new TopCounts<uint>([new Counted<uint>(HostProfile.PortKey(6, (ushort)random.Next(1, 40)), 1)], 0),
                Sites = new TopCounts<string>([new Counted<string>($"site{random.Next(15)}.example", 1)], 0),
                SitesAtUs = at,
            };
            L7Counters[] l7 = [new((ushort)random.Next(300), (ushort)random.Next(20), 100, 1, 1)];
            yield return new HostTrafficDelta(Key, 0x0011_2233_4400UL + (ulong)random.Next(2), at - 5, at, new HostCounters(100 + i, 50, 2, 1, 1, i % 2), l7, profile,
                new IngestStamp(9, (i + 1) * 3, i * 3));
        }
    }

    private static HostState Apply(IEnumerable<HostTrafficDelta> deltas, HostState? into = null)
    {
        var host = into ?? new HostState(Key);
        foreach (var d in deltas)
        {
            host.Apply(d);
        }

        return host;
    }

    [Fact]
    public void A_restored_host_saves_the_same_bytes_and_shows_the_same_details()
    {
        var host = Apply(Deltas(1, 60));
        var saved = HostCheckpoint.Write(host);

        var restored = HostCheckpoint.Read(Key, saved);

        Assert.Equal(saved, HostCheckpoint.Write(restored));
        var (before, after) = (host.Details(), restored.Details());
        Assert.Equal(before.Totals, after.Totals);
        Assert.Equal(before.Mac, after.Mac);
        Assert.Equal((before.FirstSeenUs, before.LastSeenUs), (after.FirstSeenUs, after.LastSeenUs));
        Assert.Equal(before.L7, after.L7);
        Assert.True(host.L7.Count > 50, "the test should carry many L7 entries");
        Assert.Equal(before.Profile!.Names, after.Profile!.Names);
        Assert.Equal(before.Profile.Apps, after.Profile.Apps);
        Assert.Equal(before.Profile.Ja4.Items, after.Profile.Ja4.Items);
        Assert.Equal(before.Profile.Ja4.Other, after.Profile.Ja4.Other);
        Assert.Equal(before.Profile.PeersAsClient.Estimate(), after.Profile.PeersAsClient.Estimate());
        Assert.Equal(before.Profile.Sites.Items, after.Profile.Sites.Items);
        Assert.Equal(before.Profile.SitesOld.Items, after.Profile.SitesOld.Items);
        Assert.NotEmpty(after.Profile.SitesOld.Items);
    }

    [Fact]
    public void A_host_restored_midway_ends_where_a_host_that_never_stopped_ends()
    {
        var all = Deltas(2, 90).ToList();
        var (first, rest) = (all[..40], all[40..]);

        var unbroken = Apply(all);
        var restored = HostCheckpoint.Read(Key, HostCheckpoint.Write(Apply(first)));

        // Resent deltas it had applied before the checkpoint change nothing (their stamps came back with it).
        Assert.All(first, d => Assert.Equal(StampVerdict.Duplicate, restored.Apply(d)));
        var resumed = Apply(rest, restored);

        Assert.Equal(HostCheckpoint.Write(unbroken), HostCheckpoint.Write(resumed));
    }

    [Fact]
    public void A_host_that_never_had_a_profile_restores_without_one()
    {
        var host = Apply([new HostTrafficDelta(Key, 0, 1, 2, new HostCounters(1, 2, 3, 4, 5, 6))]);

        var restored = HostCheckpoint.Read(Key, HostCheckpoint.Write(host));

        Assert.Null(restored.Profile);
        Assert.Equal(new HostCounters(1, 2, 3, 4, 5, 6), restored.Totals);
    }

    [Fact]
    public void Another_hosts_checkpoint_a_newer_format_and_cut_or_damaged_bytes_are_refused_with_invalid_data()
    {
        var saved = HostCheckpoint.Write(Apply(Deltas(3, 20)));
        var other = new HostKey(3, 10, IpAddr.Parse("2001:db8::11"));

        Assert.Contains("not", Assert.Throws<InvalidDataException>(() => HostCheckpoint.Read(other, saved)).Message, StringComparison.Ordinal);
        var newer = (byte[])saved.Clone();
        newer[0] = 2;
        Assert.Contains("format 2", Assert.Throws<InvalidDataException>(() => HostCheckpoint.Read(Key, newer)).Message, StringComparison.Ordinal);
        for (var length = 0; length < saved.Length; length += 7)
        {
            Assert.Throws<InvalidDataException>(() => HostCheckpoint.Read(Key, saved[..length]));
        }

        Assert.Throws<InvalidDataException>(() => HostCheckpoint.Read(Key, [.. saved, 0]));

        // Flipped bytes: either a valid (different) state or InvalidDataException, never another exception.
        var random = new Random(4);
        for (var i = 0; i < 2_000; i++)
        {
            var damaged = (byte[])saved.Clone();
            damaged[random.Next(damaged.Length)] ^= (byte)(1 + random.Next(255));
            try
            {
                HostCheckpoint.Read(Key, damaged);
            }
            catch (InvalidDataException)
            {
            }
        }
    }
}
