using Flowhive.Shared.Net;

namespace Flowhive.Shared.Messages.Tests.Net;

public sealed class IpNetworkTests
{
    [Theory]
    [InlineData("192.168.1.0/24", "192.168.1.77", true)]
    [InlineData("192.168.1.0/24", "192.168.2.1", false)]
    [InlineData("10.0.0.0/8", "10.255.255.255", true)]
    [InlineData("0.0.0.0/0", "8.8.8.8", true)]
    [InlineData("0.0.0.0/0", "2001:db8::1", false)]
    [InlineData("192.168.1.5", "192.168.1.5", true)]
    [InlineData("192.168.1.5", "192.168.1.6", false)]
    [InlineData("192.168.1.77/24", "192.168.1.1", true)]
    [InlineData("2001:db8::/32", "2001:db8:ffff::1", true)]
    [InlineData("2001:db8::/32", "2001:db9::1", false)]
    [InlineData("fe80::/10", "febf::1", true)]
    [InlineData("fe80::/10", "fec0::1", false)]
    [InlineData("2001:db8::1/128", "2001:db8::1", true)]
    [InlineData("2001:db8:1:2::/72", "2001:db8:1:2:00ff::", true)]
    [InlineData("2001:db8:1:2::/72", "2001:db8:1:2:0100::", false)]
    [InlineData("::/0", "192.168.1.1", false)]
    public void Contains_follows_the_prefix(string network, string address, bool expected)
    {
        Assert.True(IpNetwork.TryParse(network, out var n));
        Assert.Equal(expected, n.Contains(IpAddr.Parse(address)));
    }

    [Fact]
    public void An_alias_after_equals_is_kept()
    {
        Assert.True(IpNetwork.TryParse("192.168.1.0/24=lan", out var n));
        Assert.Equal("lan", n.Alias);
        Assert.Equal("192.168.1.0/24=lan", n.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("192.168.1.0/33")]
    [InlineData("2001:db8::/129")]
    [InlineData("192.168.1.0/-1")]
    [InlineData("host.example/24")]
    [InlineData("192.168.1.0/24/8")]
    public void Bad_networks_are_refused(string text) => Assert.False(IpNetwork.TryParse(text, out _));

    [Fact]
    public void A_network_list_reads_a_comma_list_or_a_file_and_names_the_bad_entry()
    {
        var list = NetworkList.Parse("10.0.0.0/8, 2001:db8::/32");
        Assert.True(list.Contains(IpAddr.Parse("10.1.2.3")));
        Assert.True(list.Contains(IpAddr.Parse("2001:db8::9")));
        Assert.False(list.Contains(IpAddr.Parse("192.168.1.1")));

        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllLines(path, ["# local", "192.168.1.0/24,172.16.0.0/12 # office", "", "fd00::/8"]);
            var fromFile = NetworkList.Parse(path);
            Assert.Equal(3, fromFile.Networks.Count);
            Assert.True(fromFile.Contains(IpAddr.Parse("fd12::1")));

            File.WriteAllLines(path, ["192.168.1.0/24", "nonsense"]);
            var e = Assert.Throws<FormatException>(() => NetworkList.Parse(path));
            Assert.Contains($"{path}:2: 'nonsense'", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_local_network_is_found_by_position_and_named_by_its_alias_or_cidr()
    {
        var list = NetworkList.Parse("192.168.1.0/24=LAN, 10.0.0.0/8, 2001:db8::/32=lab v6");

        Assert.Equal(0, list.IndexOf(IpAddr.Parse("192.168.1.77")));
        Assert.Equal(1, list.IndexOf(IpAddr.Parse("10.200.0.1")));
        Assert.Equal(2, list.IndexOf(IpAddr.Parse("2001:db8::5")));
        Assert.Equal(-1, list.IndexOf(IpAddr.Parse("192.168.2.1")));
        Assert.Equal(["LAN", "10.0.0.0/8", "lab v6"], [list.NameAt(0), list.NameAt(1), list.NameAt(2)]);
        Assert.Equal(-1, NetworkList.Empty.IndexOf(IpAddr.Parse("10.0.0.1")));
    }
}
