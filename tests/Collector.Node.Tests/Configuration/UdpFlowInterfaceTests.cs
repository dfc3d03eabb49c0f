using System.Net;
using Flowhive.Collector.Configuration;
using Flowhive.Hosting;

namespace Flowhive.Collector.Node.Tests.Configuration;

/// <summary><c>-i udp://host:port</c> makes a NetFlow/IPFIX/sFlow listener interface; bad addresses are command-line errors.</summary>
public sealed class UdpFlowInterfaceTests
{
    [Theory]
    [InlineData("udp://*:2055", "::", 2055, "udp://*:2055")]
    [InlineData("udp://127.0.0.1:9995", "127.0.0.1", 9995, "udp://127.0.0.1:9995")]
    [InlineData("udp://[::1]:6343", "::1", 6343, "udp://[::1]:6343")]
    [InlineData("routers@udp://0.0.0.0:2055", "::", 2055, "routers")]
    public void Udp_urls_make_listener_interfaces(string value, string address, int port, string name)
    {
        var iface = CollectorInterface.Parse(3, value);

        Assert.Equal((IPAddress.Parse(address), port), (iface.FlowListener!.Address, iface.FlowListener.Port));
        Assert.Equal(("netflow", name, false, null), (iface.Kind, iface.Name, iface.IsZmq, iface.CaptureSource));
    }

    [Theory]
    [InlineData("udp://*")]
    [InlineData("udp://*:0")]
    [InlineData("udp://*:70000")]
    [InlineData("udp://router.example:2055")]
    public void Bad_udp_urls_are_command_line_errors(string value) =>
        Assert.Throws<CommandLineException>(() => CollectorInterface.Parse(0, value));
}
