using Flowhive.Probe.Engine.Flows;
using Flowhive.Probe.Engine.Tests.Support;
using Flowhive.Shared.Flows;
using Flowhive.Shared.Net;

namespace Flowhive.Probe.Engine.Tests.Flows;

public sealed class FlowDirectionTests
{
    [Theory]
    [InlineData("192.168.1.10", "8.8.8.8", FlowDirection.Egress)]
    [InlineData("8.8.8.8", "192.168.1.10", FlowDirection.Ingress)]
    [InlineData("192.168.1.10", "192.168.1.20", FlowDirection.Unknown)]
    [InlineData("8.8.8.8", "1.1.1.1", FlowDirection.Unknown)]
    [InlineData("2001:db8::1", "2606:4700::1", FlowDirection.Egress)]
    public void Local_networks_mark_each_flow_ingress_or_egress_by_its_client(string client, string server, FlowDirection expected)
    {
        var harness = new FlowTableHarness(new FlowTableOptions { LocalNetworks = NetworkList.Parse("192.168.1.0/24,2001:db8::/32") });
        harness.Feed(Packets.Udp(IpAddr.Parse(client), 40000, IpAddr.Parse(server), 53, payload: 20), Packets.At(0));
        harness.Table.ExportAll();
        Assert.Equal(expected, Assert.Single(harness.Records).Direction);
    }

    [Fact]
    public void Without_local_networks_the_direction_is_unknown()
    {
        var harness = new FlowTableHarness();
        harness.Feed(Packets.Udp(IpAddr.Parse("192.168.1.10"), 40000, IpAddr.Parse("8.8.8.8"), 53), Packets.At(0));
        harness.Table.ExportAll();
        Assert.Equal(FlowDirection.Unknown, Assert.Single(harness.Records).Direction);
    }
}
