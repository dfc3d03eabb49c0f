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
        // The machine's own view, from iproute2 rather than .NET: IPv4 addresses of interfaces that are up, not loopback.
        var start = new System.Diagnostics.ProcessStartInfo("ip", "-4 -o addr show up") { RedirectStandardOutput = true };
        using var ip = System.Diagnostics.Process.Start(start)!;
        var candidates = ip.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length > 3 && f[1] != "lo")
            .Select(f => IpAddr.Parse(f[3].Split('/')[0]).V4)
            .ToHashSet();
        ip.WaitForExit();

        var address = ProbeAddress.Discover(["/tmp/capture.pcap"]);

        if (candidates.Count == 0)
        {
            Assert.Equal(0u, address); // no address to name the probe by: the fields are left out
        }
        else
        {
            Assert.Contains(address, candidates);
        }
    }
}
