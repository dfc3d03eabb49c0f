using Flowhive.Shared.Net;

namespace Flowhive.Shared.Messages.Tests.Net;

public sealed class IpPrefixMatcherTests
{
    [Fact]
    public void Answers_the_first_network_that_contains_the_address_as_a_scan_of_Contains_would()
    {
        var random = new Random(5);
        for (var round = 0; round < 200; round++)
        {
            // Networks of both families and every prefix length, host bits left set, some nested in others.
            var networks = new List<IpNetwork>();
            for (var i = random.Next(0, 40); i > 0; i--)
            {
                var address = RandomAddress(random, v4: random.Next(2) == 0);
                var prefix = address.IsV4 ? random.Next(0, 33) : random.Next(0, 129);
                networks.Add(new IpNetwork(address, prefix, null));
            }

            var matcher = new IpPrefixMatcher(networks);
            for (var probe = 0; probe < 200; probe++)
            {
                // Half the probes are near a network (its address with low bits changed), so matches are common.
                var address = networks.Count > 0 && random.Next(2) == 0
                    ? Near(networks[random.Next(networks.Count)].Network, random)
                    : RandomAddress(random, v4: random.Next(2) == 0);
                Assert.Equal(networks.FindIndex(n => n.Contains(address)), matcher.IndexOf(address));
            }
        }
    }

    [Fact]
    public void Families_do_not_mix_and_an_empty_list_matches_nothing()
    {
        var everything = new IpPrefixMatcher([Network("0.0.0.0/0"), Network("::/0")]);
        Assert.Equal(0, everything.IndexOf(IpAddr.Parse("8.8.8.8")));
        Assert.Equal(1, everything.IndexOf(IpAddr.Parse("2001:db8::1")));

        // IPv4 addresses are stored IPv4-mapped, yet an IPv6 network never holds them, as Contains says.
        var v6Only = new IpPrefixMatcher([Network("::/0")]);
        Assert.Equal(-1, v6Only.IndexOf(IpAddr.Parse("10.0.0.1")));

        Assert.Equal(-1, new IpPrefixMatcher([]).IndexOf(IpAddr.Parse("10.0.0.1")));
    }

    private static IpNetwork Network(string text) => IpNetwork.TryParse(text, out var network) ? network : throw new FormatException(text);

    private static IpAddr RandomAddress(Random random, bool v4) =>
        v4 ? IpAddr.FromV4((uint)random.NextInt64(0, 1L << 32)) : new IpAddr((ulong)random.NextInt64() | 0x2000_0000_0000_0000UL, (ulong)random.NextInt64());

    private static IpAddr Near(IpAddr address, Random random)
    {
        var bits = random.Next(0, 24);
        return address.IsV4
            ? IpAddr.FromV4(address.V4 ^ (uint)random.Next(0, 1 << bits))
            : new IpAddr(address.High, address.Low ^ (ulong)random.Next(0, 1 << bits));
    }
}
