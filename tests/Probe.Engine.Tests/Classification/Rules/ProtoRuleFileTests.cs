using Flowhive.Probe.Engine.Classification.Rules;
using Flowhive.Shared.Net;

namespace Flowhive.Probe.Engine.Tests.Classification.Rules;

public sealed class ProtoRuleFileTests
{
    private const string Sample = """
        # ntopng-style protos file
        tcp:81,tcp:8181@HTTP
        udp:5061-5062@SIP
        host:"api.example.com"@MyApp   # trailing comment
        host:"a#b.example",ip:10.1.2.3/32@Other
        ip:192.168.7.0/24:443@Intranet
        """;

    [Fact]
    public void Parses_every_rule_kind_of_the_ntopng_format()
    {
        var set = ProtoRuleFile.Parse(Sample, "protos.txt");

        Assert.Equal(["HTTP", "SIP", "MyApp", "Other", "Intranet"], set.Protocols);
        Assert.Equal(7, set.Rules.Count);
        var sip = Assert.Single(set.Rules, r => r.Protocol == "SIP");
        Assert.Equal((ProtoRuleKind.UdpPort, (ushort)5061, (ushort)5062, 3), (sip.Kind, sip.PortLow, sip.PortHigh, sip.Line));
        Assert.Contains(set.Rules, r => r is { Kind: ProtoRuleKind.Host, Host: "a#b.example", Protocol: "Other" });
        var intranet = Assert.Single(set.Rules, r => r.Protocol == "Intranet");
        Assert.Equal((24, (ushort)443), (intranet.Network.PrefixLength, intranet.PortLow));
    }

    [Fact]
    public void Matches_hosts_by_substring_and_flows_by_address_then_port()
    {
        var set = ProtoRuleFile.Parse(Sample, "protos.txt");

        Assert.Equal("MyApp", set.MatchHost("EU.API.Example.com")?.Protocol);
        Assert.Null(set.MatchHost("example.com"));
        Assert.Equal("Other", set.MatchFlow(17, IpAddr.Parse("10.1.2.3"), 53, IpAddr.Parse("10.9.9.9"), 40000)?.Protocol);
        Assert.Equal("Intranet", set.MatchFlow(6, IpAddr.Parse("192.168.7.9"), 443, IpAddr.Parse("10.9.9.9"), 40000)?.Protocol);
        Assert.Null(set.MatchFlow(6, IpAddr.Parse("192.168.7.9"), 80, IpAddr.Parse("10.9.9.9"), 40000));
        Assert.Equal("HTTP", set.MatchFlow(6, IpAddr.Parse("1.1.1.1"), 8181, IpAddr.Parse("10.9.9.9"), 40000)?.Protocol);
        Assert.Null(set.MatchFlow(17, IpAddr.Parse("1.1.1.1"), 8181, IpAddr.Parse("10.9.9.9"), 40000));
        Assert.Equal("SIP", set.MatchFlow(17, IpAddr.Parse("1.1.1.1"), 5062, IpAddr.Parse("10.9.9.9"), 40000)?.Protocol);
    }

    [Theory]
    [InlineData("tcp:81", "expected rules@Protocol")]
    [InlineData("tcp:0@X", "is not a port")]
    [InlineData("tcp:90-80@X", "is not a port")]
    [InlineData("udp:70000@X", "is not a port")]
    [InlineData("host:example.com@X", "double quotes")]
    [InlineData("ip:10.1.2.300/32@X", "not an address or network")]
    [InlineData("dns:\"x\"@X", "is not tcp:port")]
    [InlineData("tcp:81@My App", "is not a protocol name")]
    public void A_bad_line_is_an_error_naming_file_and_line(string line, string message)
    {
        var e = Assert.Throws<FormatException>(() => ProtoRuleFile.Parse("# first\n" + line + "\n", "p.txt"));
        Assert.StartsWith("p.txt:2: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }
}
