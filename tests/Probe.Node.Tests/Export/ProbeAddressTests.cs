using Flowhive.Probe.Export;
using Flowhive.Shared.Net;

namespace Flowhive.Probe.Node.Tests.Export;

public sealed class ProbeAddressTests
{
    [Fact]
    public void A_capture_interface_with_an_ipv4_address_names_the_probe()
    {
        Assert.Equal(IpAddr.Parse("127.0.0.1").V4, ProbeAddress.Discover(["lo"]));
    }

    [Fact]
    public void Capture_files_fall_back_to_an_interface_that_is_up_never_to_loopback()
    {
        var address = ProbeAddress.Discover(["/tmp/capture.pcap"]);
        Assert.NotEqual(IpAddr.Parse("127.0.0.1").V4, address);
        Assert.NotEqual(127u, address >> 24);
    }
}
