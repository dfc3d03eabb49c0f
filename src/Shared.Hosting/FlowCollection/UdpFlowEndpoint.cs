using System.Globalization;
using System.Net;
namespace Flowhive.Hosting.FlowCollection;

/// <summary>
/// Where a NetFlow/IPFIX/sFlow listener binds: <c>udp://*:2055</c> (every address, IPv4 and IPv6), <c>udp://127.0.0.1:2055</c>,
/// <c>udp://[::1]:2055</c>; the collector's <c>-i udp://...</c> and the probe's <c>-3</c>.
/// </summary>
public sealed record UdpFlowEndpoint(IPAddress Address, int Port)
{
    public bool AnyAddress => Address.Equals(IPAddress.IPv6Any);

    public override string ToString() => AnyAddress ? $"udp://*:{Port}" : $"udp://{new IPEndPoint(Address, Port)}";

    /// <summary>Parses udp://host:port; <paramref name="flag"/> (the option as given, e.g. "-i udp://*:2055") starts each error message.</summary>
    public static UdpFlowEndpoint Parse(string url, string flag)
    {
        if (!url.StartsWith("udp://", StringComparison.Ordinal))
        {
            throw new CommandLineException($"{flag}: '{url}' is not udp://host:port");
        }

        var hostPort = url["udp://".Length..];
        var colon = hostPort.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(hostPort[(colon + 1)..], NumberStyles.Integer, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw new CommandLineException($"{flag}: '{url}' needs a port between 1 and 65535 (udp://*:2055)");
        }

        var host = hostPort[..colon].Trim('[', ']');
        if (host is "*" or "0.0.0.0" or "::")
        {
            return new UdpFlowEndpoint(IPAddress.IPv6Any, port);
        }

        if (!IPAddress.TryParse(host, out var address))
        {
            throw new CommandLineException($"{flag}: '{host}' is not an IP address to bind (use * for every address)");
        }

        return new UdpFlowEndpoint(address, port);
    }
}
