using System.Net;
using System.Net.Sockets;

namespace Flowhive.Probe.Node.Tests.Support;

/// <summary>A loopback TCP port nobody listens on right now (asked from the OS, never a fixed number).</summary>
public static class FreeTcpPort
{
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
