using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace Flowhive.Probe.Export;

/// <summary>
/// The probe's own IPv4 address for NPROBE_IPV4_ADDRESS and EXPORTER_IPV4_ADDRESS, found as nProbe finds it: the
/// address of the first capture interface that has one; for capture files (or interfaces without IPv4) the first
/// IPv4 address of an interface that is up and not loopback; 0 when the host has none.
/// </summary>
public static class ProbeAddress
{
    public static uint Discover(IEnumerable<string> captureSources)
    {
        NetworkInterface[] all;
        try
        {
            all = NetworkInterface.GetAllNetworkInterfaces();
        }
        catch (NetworkInformationException)
        {
            return 0; // nothing to name the probe by: the fields are left out
        }

        foreach (var source in captureSources)
        {
            if (all.FirstOrDefault(n => n.Name == source) is { } captured && FirstIpv4(captured) is var address and not 0)
            {
                return address;
            }
        }

        foreach (var candidate in all.Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback))
        {
            if (FirstIpv4(candidate) is var address and not 0)
            {
                return address;
            }
        }

        return 0;
    }

    private static uint FirstIpv4(NetworkInterface network)
    {
        foreach (var unicast in network.GetIPProperties().UnicastAddresses)
        {
            if (unicast.Address.AddressFamily == AddressFamily.InterNetwork)
            {
                var bytes = unicast.Address.GetAddressBytes();
                return ((uint)bytes[0] << 24) | ((uint)bytes[1] << 16) | ((uint)bytes[2] << 8) | bytes[3];
            }
        }

        return 0;
    }
}
