using Flowhive.Shared.Cluster.Messages;
using Flowhive.Shared.Net;

namespace Flowhive.Shared.Messages.Tests.Cluster;

public sealed class PeerSketchTests
{
    private static byte[] SketchOf(IEnumerable<IpAddr> peers)
    {
        var registers = new byte[PeerSketch.Registers];
        foreach (var peer in peers)
        {
            PeerSketch.Add(registers, peer);
        }

        return registers;
    }

    private static IEnumerable<IpAddr> V4(int first, int count) =>
        Enumerable.Range(first, count).Select(i => IpAddr.Parse($"10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}"));

    [Theory]
    [InlineData(1, 0.0)]
    [InlineData(10, 0.1)]
    [InlineData(50, 0.1)]
    [InlineData(1000, 0.3)]
    [InlineData(100_000, 0.3)]
    public void Estimates_distinct_peers_within_its_error(int peers, double tolerance)
    {
        var estimate = PeerSketch.Estimate(SketchOf(V4(0, peers)));

        Assert.InRange(estimate, peers * (1 - tolerance), peers * (1 + tolerance));
    }

    [Fact]
    public void Repeats_do_not_count_and_merging_is_the_union()
    {
        var a = SketchOf(V4(0, 30).Concat(V4(0, 30)));
        var b = SketchOf(V4(15, 30));

        PeerSketch.Merge(a, b);

        Assert.Equal(SketchOf(V4(0, 45)), a);
    }

    [Fact]
    public void Ipv6_peers_that_differ_in_the_low_bits_only_spread_over_the_registers()
    {
        var peers = Enumerable.Range(1, 40).Select(i => IpAddr.Parse($"2001:db8::{i:x}"));

        Assert.InRange(PeerSketch.Estimate(SketchOf(peers)), 36, 44);
    }

    [Fact]
    public void A_sketch_of_the_wrong_size_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new PeerSketch(new byte[PeerSketch.Registers - 1]));
        Assert.Equal(0, PeerSketch.Empty.Estimate());
    }
}
