using System.Net;
using System.Net.Sockets;

namespace Flowhive.EndToEnd.Support;

/// <summary>Loopback ports the OS says are free right now (tests never use fixed ports).</summary>
public static class FreePort
{
    public static int Tcp()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
