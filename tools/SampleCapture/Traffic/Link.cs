using Flowhive.Probe.Engine.Capture;
using Flowhive.Shared.Net;

namespace Flowhive.Tools.SampleCapture.Traffic;

/// <summary>
/// The two ends of one conversation as the capture point (the LAN side of the router) sees them: the
/// client's MAC on one side, the router's (or a LAN peer's) on the other, the VLAN tag, and per-direction
/// IPv4 identification counters and TTLs.
/// </summary>
internal sealed class Link
{
    private readonly ulong _clientMac;
    private readonly ulong _serverMac;
    private readonly ushort _vlan;
    private readonly byte _serverTtl;
    private readonly byte _clientTtl;
    private ushort _clientId;
    private ushort _serverId;

    public Link(IpAddr client, ulong clientMac, IpAddr server, ulong serverMac, ushort vlan, byte serverTtl, Random random, byte clientTtl = 64)
    {
        _clientTtl = clientTtl;
        Client = client;
        Server = server;
        _clientMac = clientMac;
        _serverMac = serverMac;
        _vlan = vlan;
        _serverTtl = serverTtl;
        _clientId = (ushort)random.Next(0x10000);
        _serverId = (ushort)random.Next(0x10000);
    }

    public IpAddr Client { get; }

    public IpAddr Server { get; }

    public bool IsV6 => !Client.IsV4;

    public FrameBuilder From(bool client) => client ? FromClient() : FromServer();

    public FrameBuilder FromClient() => Build(_clientMac, _serverMac, Client, Server, _clientTtl, _clientId++);

    public FrameBuilder FromServer() => Build(_serverMac, _clientMac, Server, Client, _serverTtl, _serverId++);

    private FrameBuilder Build(ulong srcMac, ulong dstMac, IpAddr src, IpAddr dst, byte ttl, ushort id)
    {
        var b = new FrameBuilder().Ethernet(srcMac, dstMac).PadTo(60);
        if (_vlan != 0)
        {
            b.Vlan(_vlan);
        }

        return src.IsV4 ? b.Ipv4(src, dst, ttl, id, dontFragment: true) : b.Ipv6(src, dst, ttl);
    }
}
