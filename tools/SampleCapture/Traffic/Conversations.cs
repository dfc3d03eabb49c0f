using Flowhive.Probe.Engine.Capture;
using Flowhive.Shared.Net;
using Flowhive.Tools.SampleCapture.Protocols;

namespace Flowhive.Tools.SampleCapture.Traffic;

/// <summary>
/// Builds whole application conversations (DNS, HTTP, TLS, QUIC, SSH, NTP, ping, neighbor discovery) into
/// a timeline. Every choice comes from the one seeded <see cref="Random"/>, in call order, so the same
/// script and seed give the same bytes. Each method returns when its last packet was seen.
/// </summary>
internal sealed class Conversations(Timeline timeline, Random random)
{
    private const string FirefoxAgent = "Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0";
    private static readonly DateTimeOffset CertificatesIssued = new(2025, 11, 20, 8, 0, 0, TimeSpan.Zero);

    private readonly HashSet<(IpAddr, ushort)> _usedPorts = [];

    /// <summary>A DNS query and its answer; returns when the answer arrived.</summary>
    public long Lookup(Station station, Server resolver, bool overIpv6, string name, ushort type, IReadOnlyList<IpAddr> answers, long startUs, bool nxdomain = false)
    {
        var link = LinkTo(station, resolver, overIpv6);
        var port = EphemeralPort(link.Client);
        var id = (ushort)random.Next(0x10000);
        timeline.Add(startUs, link.FromClient().Udp(port, 53).Payload(Dns.Query(id, name, type)).Build());
        var answeredUs = startUs + Rtt(resolver) + random.Next(200, 3000);
        var response = Dns.Response(id, name, type, answers, (uint)random.Next(60, 300), nxdomain);
        timeline.Add(answeredUs, link.FromServer().Udp(53, port).Payload(response).Build());
        return answeredUs;
    }

    /// <summary>Looks up A (and AAAA for dual-stack hosts, in parallel, as browsers do) before a connection.</summary>
    public long Resolve(Station station, Server resolver, Server target, long startUs)
    {
        var done = Lookup(station, resolver, overIpv6: false, target.Name, Dns.TypeA, [target.V4], startUs);
        if (station.HasGlobalV6)
        {
            // An IPv4-only name answers AAAA with no records (NODATA), not NXDOMAIN.
            IReadOnlyList<IpAddr> v6 = target.V6 is { } address ? [address] : [];
            done = Math.Max(done, Lookup(station, resolver, overIpv6: true, target.Name, Dns.TypeAaaa, v6, startUs + 50));
        }

        return done + random.Next(200, 1500);
    }

    /// <summary>
    /// An HTTPS connection: TCP handshake, a TLS 1.3 or 1.2 handshake (ClientHello with SNI and ALPN; for
    /// 1.2 the certificate chain in the clear), <paramref name="requests"/> request/response exchanges of
    /// application data, close_notify and a FIN teardown.
    /// </summary>
    /// <param name="maxThinkUs">Longest pause before a follow-up request (a chat app waits seconds, a page load milliseconds).</param>
    public long Https(Station station, Server server, bool overIpv6, bool tls13, int requestBytes, int responseBytes, long startUs, int requests = 1, int maxThinkUs = 600_000)
    {
        var link = LinkTo(station, server, overIpv6);
        var tcp = new TcpConnection(timeline, link, random, EphemeralPort(link.Client), 443, startUs, Rtt(server));
        tcp.Open();
        var sessionId = new byte[32];
        random.NextBytes(sessionId);
        var clientHello = Tls.ClientHello(random, sessionId, server.Name, ["h2", "http/1.1"]);
        tcp.Send(fromClient: true, Tls.Record(Tls.HandshakeType, clientHello, version: 0x0301));

        var serverHello = Tls.Record(Tls.HandshakeType, Tls.ServerHello(random, tls13 ? sessionId : RandomBytes(32), tls13, tls13 ? null : "h2"));
        if (tls13)
        {
            // EncryptedExtensions, Certificate, CertificateVerify and Finished travel encrypted.
            tcp.Send(fromClient: false, [.. serverHello, .. Tls.ChangeCipherSpec(), .. Tls.Encrypted(random, Tls.ApplicationDataType, random.Next(2800, 4200))], ServerWorkUs());
            tcp.Send(fromClient: true, [.. Tls.ChangeCipherSpec(), .. Tls.Encrypted(random, Tls.ApplicationDataType, 53), .. Tls.ApplicationData(random, requestBytes)]);
        }
        else
        {
            var domain = server.Name.StartsWith("www.", StringComparison.Ordinal) ? server.Name[4..] : server.Name;
            var leaf = FakeCertificate.Create(random, server.Name, "Flowhive Sample TLS CA", "Flowhive Sample PKI", [server.Name, domain], CertificatesIssued);
            var issuer = FakeCertificate.Create(random, "Flowhive Sample TLS CA", "Flowhive Sample Root", "Flowhive Sample PKI", [], CertificatesIssued.AddYears(-2), isCa: true);
            tcp.Send(fromClient: false,
            [
                .. serverHello,
                .. Tls.Record(Tls.HandshakeType, Tls.Certificate([leaf, issuer])),
                .. Tls.Record(Tls.HandshakeType, Tls.ServerKeyExchange(random)),
                .. Tls.Record(Tls.HandshakeType, Tls.ServerHelloDone()),
            ], ServerWorkUs());
            tcp.Send(fromClient: true, [.. Tls.Record(Tls.HandshakeType, Tls.ClientKeyExchange(random)), .. Tls.ChangeCipherSpec(), .. Tls.Encrypted(random, Tls.HandshakeType, 40)]);
            tcp.Send(fromClient: false, [.. Tls.ChangeCipherSpec(), .. Tls.Encrypted(random, Tls.HandshakeType, 40)], ServerWorkUs());
            tcp.Send(fromClient: true, Tls.ApplicationData(random, requestBytes));
        }

        for (var i = 0; i < requests; i++)
        {
            if (i > 0)
            {
                tcp.Send(fromClient: true, Tls.ApplicationData(random, (requestBytes / 2) + random.Next(50)), random.Next(Math.Min(50_000, maxThinkUs), maxThinkUs));
            }

            var share = i == requests - 1 ? responseBytes - (responseBytes / requests * i) : responseBytes / requests;
            tcp.Send(fromClient: false, Tls.ApplicationData(random, share), ServerWorkUs());
        }

        tcp.Send(fromClient: true, Tls.Encrypted(random, Tls.AlertType, 19), random.Next(100_000, 900_000)); // close_notify
        tcp.Close(clientFirst: true);
        return tcp.NowUs;
    }

    /// <summary>A plain HTTP/1.1 GET answered 200 OK, then a FIN teardown started by either side.</summary>
    public long Http(Station station, Server server, string path, string contentType, int bodyBytes, long startUs)
    {
        var link = LinkTo(station, server, overIpv6: false);
        var tcp = new TcpConnection(timeline, link, random, EphemeralPort(link.Client), 80, startUs, Rtt(server));
        tcp.Open();
        tcp.Send(fromClient: true, Protocols.Http.Get(server.Name, path, FirefoxAgent));
        var body = Protocols.Http.Text(random, bodyBytes);
        tcp.Send(fromClient: false, Protocols.Http.Ok(tcp.NowUs + Rtt(server), contentType, body), ServerWorkUs());
        tcp.Close(clientFirst: random.Next(2) == 0);
        return tcp.NowUs;
    }

    /// <summary>
    /// A QUIC v1 connection to port 443: the client's protected Initial (TLS 1.3 ClientHello with SNI and ALPN
    /// h3), the server's Initial and Handshake flight, the client's Initial ACK and Handshake Finished, then
    /// 1-RTT packets carrying <paramref name="responseBytes"/> of response, client ACKs and a close.
    /// </summary>
    public long Quic(Station station, Server server, int responseBytes, long startUs)
    {
        var link = LinkTo(station, server, overIpv6: false);
        var port = EphemeralPort(link.Client);
        var rtt = Rtt(server);
        var originalDcid = RandomBytes(8);
        var clientId = RandomBytes(8);
        var serverId = RandomBytes(8);
        var now = startUs;
        void Datagram(bool fromClient, byte[] payload) =>
            timeline.Add(now, link.From(fromClient).Udp(fromClient ? port : (ushort)443, fromClient ? (ushort)443 : port).Payload(payload).Build());

        var clientHello = Tls.ClientHello(random, [], server.Name, ["h3"], Protocols.Quic.TransportParameters(clientId));
        Datagram(true, Protocols.Quic.ClientInitial(originalDcid, clientId, clientHello, packetNumber: 0));

        now += rtt + ServerWorkUs();
        var serverHello = Tls.ServerHello(random, [], tls13: true, alpn: null);
        Datagram(false, Protocols.Quic.ServerInitial(random, originalDcid, clientId, serverId, serverHello, 1200));
        now += 120;
        Datagram(false, Protocols.Quic.Handshake(random, clientId, serverId, 1200, packetNumber: 1));
        now += 120;
        Datagram(false, Protocols.Quic.Handshake(random, clientId, serverId, random.Next(700, 1100), packetNumber: 2));

        now += 300 + random.Next(400);
        Datagram(true, Protocols.Quic.ClientInitialAck(originalDcid, serverId, clientId, packetNumber: 1, handshake: Protocols.Quic.Handshake(random, serverId, clientId, 90, packetNumber: 0)));
        now += 40;
        Datagram(true, Protocols.Quic.ShortHeader(random, serverId, random.Next(250, 400))); // SETTINGS, request HEADERS

        now += rtt + ServerWorkUs();
        var sinceAck = 0;
        for (var sent = 0; sent < responseBytes; sent += 1200)
        {
            Datagram(false, Protocols.Quic.ShortHeader(random, clientId, Math.Min(1252, 52 + responseBytes - sent)));
            if (++sinceAck == 2)
            {
                var at = now;
                now += 300;
                Datagram(true, Protocols.Quic.ShortHeader(random, serverId, 38));
                now = at;
                sinceAck = 0;
            }

            now += 105 + random.Next(60);
            if (random.Next(40) == 0)
            {
                now += rtt; // a pause while the congestion window opens
            }
        }

        now += 400 + random.Next(2_000_000);
        Datagram(true, Protocols.Quic.ShortHeader(random, serverId, 36)); // CONNECTION_CLOSE
        return now;
    }

    /// <summary>SSH to an internet server, e.g. a git fetch (a bulk download, no keystrokes).</summary>
    public long Ssh(Station station, Server server, string serverSoftware, long startUs, int downloadBytes, int keystrokes)
    {
        var link = LinkTo(station, server, overIpv6: false);
        return Ssh(link, Rtt(server), serverSoftware, startUs, downloadBytes, keystrokes);
    }

    /// <summary>SSH to a host on the same LAN (sub-millisecond round trips), e.g. an interactive shell on the NAS.</summary>
    public long Ssh(Station station, Station lanServer, string serverSoftware, long startUs, int downloadBytes, int keystrokes)
    {
        var link = new Link(station.V4, station.Mac, lanServer.V4, lanServer.Mac, station.Vlan, 64, random);
        return Ssh(link, 300 + random.Next(300), serverSoftware, startUs, downloadBytes, keystrokes);
    }

    /// <summary>
    /// An SSH session: banners, KEXINIT both ways, curve25519 exchange, NEWKEYS, authentication, then a bulk
    /// download and/or interactive keystrokes echoed back, and a FIN teardown by the server.
    /// </summary>
    private long Ssh(Link link, long rtt, string serverSoftware, long startUs, int downloadBytes, int keystrokes)
    {
        var tcp = new TcpConnection(timeline, link, random, EphemeralPort(link.Client), 22, startUs, rtt);
        tcp.Open();
        tcp.Send(fromClient: false, Protocols.Ssh.Banner(serverSoftware), 500);
        tcp.Send(fromClient: true, Protocols.Ssh.Banner("OpenSSH_9.6p1 Ubuntu-3ubuntu13.5"));
        tcp.Send(fromClient: true, Protocols.Ssh.KexInit(random, server: false), 200);
        tcp.Send(fromClient: false, Protocols.Ssh.KexInit(random, server: true), 300);
        tcp.Send(fromClient: true, Protocols.Ssh.KexEcdhInit(random));
        tcp.Send(fromClient: false, Protocols.Ssh.KexEcdhReplyAndNewKeys(random), ServerWorkUs());
        tcp.Send(fromClient: true, [.. Protocols.Ssh.NewKeys(random), .. Protocols.Ssh.Encrypted(random, 28)]); // service request
        tcp.Send(fromClient: false, Protocols.Ssh.Encrypted(random, 28));
        tcp.Send(fromClient: true, Protocols.Ssh.Encrypted(random, 360)); // public key authentication
        tcp.Send(fromClient: false, Protocols.Ssh.Encrypted(random, 12), ServerWorkUs());
        tcp.Send(fromClient: true, Protocols.Ssh.Encrypted(random, 44)); // channel open, exec or shell
        tcp.Send(fromClient: false, Protocols.Ssh.Encrypted(random, 60));

        if (downloadBytes > 0)
        {
            tcp.Send(fromClient: true, Protocols.Ssh.Encrypted(random, 120)); // the git request
            var chunks = new List<byte>();
            for (var left = downloadBytes; left > 0; left -= 16_384)
            {
                chunks.AddRange(Protocols.Ssh.Encrypted(random, Math.Min(left, 16_384)));
            }

            tcp.Send(fromClient: false, [.. chunks], ServerWorkUs() * 4);
        }

        for (var k = 0; k < keystrokes; k++)
        {
            tcp.Send(fromClient: true, Protocols.Ssh.Encrypted(random, 16), random.Next(90_000, 650_000));
            tcp.Send(fromClient: false, Protocols.Ssh.Encrypted(random, 16));
            if (random.Next(8) == 0)
            {
                tcp.Send(fromClient: false, Protocols.Ssh.Encrypted(random, random.Next(200, 2500)), 2000); // command output
            }
        }

        tcp.Send(fromClient: false, Protocols.Ssh.Encrypted(random, 60), 3000); // exit status, channel close
        tcp.Close(clientFirst: false);
        return tcp.NowUs;
    }

    /// <summary>A SYN answered by RST/ACK.</summary>
    public long Refused(Station client, Station server, ushort port, long startUs)
    {
        var link = new Link(client.V4, client.Mac, server.V4, server.Mac, client.Vlan, 64, random);
        var tcp = new TcpConnection(timeline, link, random, EphemeralPort(link.Client), port, startUs, 250 + random.Next(200));
        tcp.Refused();
        return tcp.NowUs;
    }

    /// <summary>An NTP client request and the server's answer.</summary>
    public long Ntp(Station station, Server server, bool fromPort123, long startUs)
    {
        var link = LinkTo(station, server, overIpv6: false);
        var port = fromPort123 ? (ushort)123 : EphemeralPort(link.Client);
        timeline.Add(startUs, link.FromClient().Udp(port, 123).Payload(Protocols.Ntp.ClientRequest(startUs)).Build());
        var rtt = Rtt(server);
        var receive = startUs + (rtt / 2);
        var answer = Protocols.Ntp.ServerResponse(startUs, receive, receive + 25, startUs - 512_000_000, 0x0A_14_08_01);
        timeline.Add(startUs + rtt, link.FromServer().Udp(123, port).Payload(answer).Build());
        return startUs + rtt;
    }

    /// <summary>Echo requests one second apart, each answered (ping / ping -6 with Linux's 56-byte payload).</summary>
    public long Ping(Station station, Server server, bool overIpv6, int count, long startUs)
    {
        var link = LinkTo(station, server, overIpv6);
        var id = (ushort)random.Next(0x10000);
        var now = startUs;
        for (ushort seq = 1; seq <= count; seq++)
        {
            var payload = new byte[56];
            BitConverter.TryWriteBytes(payload.AsSpan(0, 8), now / 1_000_000);
            BitConverter.TryWriteBytes(payload.AsSpan(8, 8), now % 1_000_000);
            for (var i = 16; i < 56; i++)
            {
                payload[i] = (byte)i;
            }

            var (request, reply) = overIpv6 ? ((byte)128, (byte)129) : ((byte)8, (byte)0);
            timeline.Add(now, link.FromClient().Icmp(request, 0, id, seq).Payload(payload).Build());
            timeline.Add(now + Rtt(server), link.FromServer().Icmp(reply, 0, id, seq).Payload(payload).Build());
            now += 1_000_000 + random.Next(-300, 300);
        }

        return now;
    }

    /// <summary>
    /// SSDP alive announcements (UPnP device discovery, HTTP over UDP to 239.255.255.250:1900): one per
    /// notification type, as smart TVs and media devices repeat them.
    /// </summary>
    public long SsdpNotify(Station device, string uuid, long startUs)
    {
        var group = IpAddr.Parse("239.255.255.250");
        var link = new Link(device.V4, device.Mac, group, 0x0100_5E7F_FFFA, device.Vlan, 64, random, clientTtl: 2); // UPnP: TTL 2
        var now = startUs;
        foreach (var type in new[] { "upnp:rootdevice", $"uuid:{uuid}", "urn:dial-multiscreen-org:service:dial:1" })
        {
            var usn = type.StartsWith("uuid:", StringComparison.Ordinal) ? type : $"uuid:{uuid}::{type}";
            var text = "NOTIFY * HTTP/1.1\r\n" +
                       "HOST: 239.255.255.250:1900\r\n" +
                       "CACHE-CONTROL: max-age=1800\r\n" +
                       $"LOCATION: http://{device.V4}:8008/ssdp/device-desc.xml\r\n" +
                       $"NT: {type}\r\n" +
                       "NTS: ssdp:alive\r\n" +
                       "SERVER: Linux/5.4 UPnP/1.0 Cast/1.56\r\n" +
                       $"USN: {usn}\r\n\r\n";
            // Multicast from the device to the group: the client side's "send" is the only direction.
            timeline.Add(now, link.FromClient().Udp(1900, 1900).Payload(System.Text.Encoding.ASCII.GetBytes(text)).Build());
            now += 1_000 + random.Next(3_000);
        }

        return now;
    }

    /// <summary>Who-has from <paramref name="asker"/> (broadcast), is-at from the owner.</summary>
    public long Arp(ulong askerMac, IpAddr askerIp, ulong ownerMac, IpAddr ownerIp, ushort vlan, long startUs)
    {
        var request = Neighbors.Arp(Neighbors.ArpRequest, askerMac, askerIp, 0, ownerIp);
        timeline.Add(startUs, Ethernet(askerMac, 0xFFFF_FFFF_FFFF, vlan).EtherType(0x0806).Payload(request).Build());
        var reply = Neighbors.Arp(Neighbors.ArpReply, ownerMac, ownerIp, askerMac, askerIp);
        var at = startUs + 200 + random.Next(800);
        timeline.Add(at, Ethernet(ownerMac, askerMac, vlan).EtherType(0x0806).Payload(reply).Build());
        return at;
    }

    /// <summary>
    /// IPv6 start-up of a host: duplicate address detection for its link-local address, router solicitation
    /// and advertisement, then address resolution of the router (NS/NA), all on fe80::/10 and multicast.
    /// </summary>
    public long Ipv6Startup(Station station, long startUs)
    {
        var router = SampleNetwork.RouterLinkLocal;
        var now = startUs;
        var allRouters = IpAddr.Parse("ff02::2");
        var allNodes = IpAddr.Parse("ff02::1");
        var dadGroup = Neighbors.SolicitedNode(station.LinkLocal);
        timeline.Add(now, Icmpv6(station.Mac, Neighbors.MulticastMac(dadGroup), IpAddr.None, dadGroup, 135, 0, 0,
            Neighbors.NeighborMessage(station.LinkLocal, optionType: 0, station.Mac))); // from ::, so no link-layer option
        now += 1_000_000 + random.Next(100_000);
        timeline.Add(now, Icmpv6(station.Mac, Neighbors.MulticastMac(allRouters), station.LinkLocal, allRouters, 133, 0, 0, Neighbors.RouterSolicitation(station.Mac)));
        now += 2_000 + random.Next(5_000);
        timeline.Add(now, Icmpv6(SampleNetwork.RouterMac, Neighbors.MulticastMac(allNodes), router, allNodes, 134, (64 << 8) | 0x00, 1800,
            Neighbors.RouterAdvertisement(SampleNetwork.RouterMac, SampleNetwork.LanPrefix)));
        now += 300_000 + random.Next(200_000);
        var routerGroup = Neighbors.SolicitedNode(router);
        timeline.Add(now, Icmpv6(station.Mac, Neighbors.MulticastMac(routerGroup), station.LinkLocal, routerGroup, 135, 0, 0,
            Neighbors.NeighborMessage(router, 1, station.Mac)));
        now += 300 + random.Next(500);
        timeline.Add(now, Icmpv6(SampleNetwork.RouterMac, station.Mac, router, station.LinkLocal, 136, 0xE000, 0, // router, solicited, override
            Neighbors.NeighborMessage(router, 2, SampleNetwork.RouterMac)));
        return now;
    }

    /// <summary>Neighbor solicitation between two LAN hosts' global addresses and the advertisement answering it.</summary>
    public long NeighborResolution(Station asker, Station owner, long startUs)
    {
        var group = Neighbors.SolicitedNode(owner.GlobalV6);
        timeline.Add(startUs, Icmpv6(asker.Mac, Neighbors.MulticastMac(group), asker.GlobalV6, group, 135, 0, 0, Neighbors.NeighborMessage(owner.GlobalV6, 1, asker.Mac)));
        var at = startUs + 200 + random.Next(600);
        timeline.Add(at, Icmpv6(owner.Mac, asker.Mac, owner.GlobalV6, asker.GlobalV6, 136, 0x6000, 0, Neighbors.NeighborMessage(owner.GlobalV6, 2, owner.Mac)));
        return at;
    }

    private byte[] Icmpv6(ulong srcMac, ulong dstMac, IpAddr src, IpAddr dst, byte type, ushort word1, ushort word2, byte[] body) =>
        new FrameBuilder().Ethernet(srcMac, dstMac).Ipv6(src, dst, hopLimit: 255).Icmp(type, 0, word1, word2).Payload(body).Build();

    private static FrameBuilder Ethernet(ulong src, ulong dst, ushort vlan)
    {
        var b = new FrameBuilder().Ethernet(src, dst).PadTo(60);
        return vlan == 0 ? b : b.Vlan(vlan);
    }

    private Link LinkTo(Station station, Server server, bool overIpv6)
    {
        var (client, remote) = overIpv6
            ? (station.GlobalV6, server.V6 ?? throw new InvalidOperationException($"{server.Name} has no IPv6 address"))
            : (station.V4, server.V4);
        // Remote TTLs: a Linux-like initial 64 minus the hops, which grow with distance.
        var ttl = (byte)(64 - Math.Clamp((server.RttMs / 5) + 6, 6, 30));
        return new Link(client, station.Mac, remote, SampleNetwork.RouterMac, station.Vlan, ttl, random);
    }

    private long Rtt(Server server) => (server.RttMs * 1000L * random.Next(90, 121)) / 100;

    private long ServerWorkUs() => 300 + random.Next(6000);

    private ushort EphemeralPort(IpAddr host)
    {
        while (true)
        {
            var port = (ushort)random.Next(32768, 61000);
            if (_usedPorts.Add((host, port)))
            {
                return port;
            }
        }
    }

    private byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }
}
