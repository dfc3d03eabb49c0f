using Flowhive.Probe.Engine.Capture;
using Flowhive.Shared.Net;
using Flowhive.Tools.SampleCapture.Protocols;
using Flowhive.Tools.SampleCapture.Traffic;
using static Flowhive.Tools.SampleCapture.Traffic.SampleNetwork;

namespace Flowhive.Tools.SampleCapture;

/// <summary>What was written.</summary>
public sealed record SampleCaptureSummary(string Path, int Packets, long FrameBytes, long FileBytes, double DurationSeconds);

/// <summary>
/// The sample capture: about a minute of a small network's traffic (see samples/README.md for the mix).
/// The same seed always gives the same bytes: one seeded <see cref="Random"/> drives every choice in a fixed
/// order, and time starts at 2026-01-01T00:00:00Z rather than at the clock.
/// </summary>
public static class SampleCaptureGenerator
{
    public static readonly DateTimeOffset BaseTime = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static List<TimedFrame> Generate(int seed)
    {
        var random = new Random(seed);
        var timeline = new Timeline();
        var c = new Conversations(timeline, random);
        var baseUs = BaseTime.ToUnixTimeMilliseconds() * 1000;
        long Between(double fromSeconds, double toSeconds) =>
            baseUs + (long)(fromSeconds * 1_000_000) + random.NextInt64((long)((toSeconds - fromSeconds) * 1_000_000));

        // Link-layer housekeeping: IPv6 start-up (DAD, RS/RA, NS/NA on fe80::/10) and ARP, including the IoT VLAN.
        c.Ipv6Startup(Laptop, Between(0.1, 0.5));
        c.Ipv6Startup(Desktop, Between(0.5, 2));
        c.Arp(Laptop.Mac, Laptop.V4, RouterMac, RouterV4, 0, Between(0.2, 0.6));
        c.Arp(Camera.Mac, Camera.V4, RouterMac, RouterVlanV4, IotVlan, Between(1, 3));
        c.Arp(RouterMac, RouterV4, Phone.Mac, Phone.V4, 0, Between(3, 8));

        // Laptop (dual stack): Google over IPv6, YouTube over QUIC, git over SSH, the GitHub API, a shell on the NAS, a refused port.
        var t = c.Resolve(Laptop, Cloudflare, GoogleWeb, Between(2, 4));
        c.Https(Laptop, GoogleWeb, overIpv6: true, tls13: true, requestBytes: 620, responseBytes: 48_000, t, requests: 3);
        t = c.Resolve(Laptop, Cloudflare, YouTube, Between(8, 12));
        c.Quic(Laptop, YouTube, responseBytes: 160_000, t);
        t = c.Resolve(Laptop, Cloudflare, GitHub, Between(20, 26));
        c.Ssh(Laptop, GitHub, "babeld-1f0633a6", t, downloadBytes: 30_000, keystrokes: 0);
        t = c.Resolve(Laptop, Cloudflare, GitHubApi, Between(30, 40));
        c.Https(Laptop, GitHubApi, overIpv6: false, tls13: true, requestBytes: 480, responseBytes: 9_000, t);
        t = c.Arp(Laptop.Mac, Laptop.V4, Nas.Mac, Nas.V4, 0, Between(4.5, 5));
        c.Ssh(Laptop, Nas, "OpenSSH_8.2p1", t + 2_000, downloadBytes: 0, keystrokes: 120);
        c.NeighborResolution(Laptop, Desktop, Between(14, 16));
        c.Refused(Laptop, Nas, 8080, Between(45, 50));

        // Desktop (dual stack): apt over HTTP, Microsoft over TLS 1.2, Wikipedia over IPv6, ping and ping -6, NTP.
        t = c.Resolve(Desktop, Cloudflare, TimeServer, Between(1, 2));
        c.Ntp(Desktop, TimeServer, fromPort123: false, t);
        t = c.Resolve(Desktop, Cloudflare, Ubuntu, Between(3, 6));
        c.Http(Desktop, Ubuntu, "/ubuntu/dists/noble-updates/InRelease", "text/plain", bodyBytes: 24_000, t);
        t = c.Resolve(Desktop, Cloudflare, MicrosoftWeb, Between(12, 18));
        c.Https(Desktop, MicrosoftWeb, overIpv6: false, tls13: false, requestBytes: 540, responseBytes: 64_000, t, requests: 2);
        t = c.Resolve(Desktop, Cloudflare, Wikipedia, Between(25, 30));
        c.Https(Desktop, Wikipedia, overIpv6: true, tls13: true, requestBytes: 700, responseBytes: 52_000, t, requests: 2);
        c.Ping(Desktop, GoogleDns, overIpv6: false, count: 8, Between(35, 37));
        c.Ping(Desktop, GoogleDns, overIpv6: true, count: 4, Between(46, 48));
        c.Ping(Laptop, GoogleWeb, overIpv6: true, count: 4, Between(52, 54));

        // Phone (IPv4, Google's resolver): captive-portal check over HTTP, Facebook (TLS 1.3), Amazon (TLS 1.2, far away), an NXDOMAIN.
        t = c.Resolve(Phone, GoogleDns, Firefox, Between(6, 8));
        c.Http(Phone, Firefox, "/success.txt?ipv4", "text/plain", bodyBytes: 8, t);
        t = c.Resolve(Phone, GoogleDns, Facebook, Between(15, 20));
        c.Https(Phone, Facebook, overIpv6: false, tls13: true, requestBytes: 900, responseBytes: 70_000, t, requests: 3);
        t = c.Resolve(Phone, GoogleDns, Amazon, Between(32, 38));
        c.Https(Phone, Amazon, overIpv6: false, tls13: false, requestBytes: 800, responseBytes: 42_000, t);
        c.Lookup(Phone, GoogleDns, overIpv6: false, "wpad.home.arpa", Dns.TypeA, [], Between(50, 52), nxdomain: true);
        t = c.Resolve(Phone, GoogleDns, Facebook, Between(3, 5));
        c.Https(Phone, Facebook, overIpv6: false, tls13: true, requestBytes: 180, responseBytes: 4_800, t, requests: 14, maxThinkUs: 3_500_000); // a chat app
        c.Ntp(Phone, TimeServer, fromPort123: false, Between(9, 11));

        // Television: Netflix over TLS 1.2, YouTube over QUIC.
        t = c.Resolve(Television, GoogleDns, Netflix, Between(10, 14));
        c.Https(Television, Netflix, overIpv6: false, tls13: false, requestBytes: 650, responseBytes: 180_000, t, requests: 4);
        t = c.Resolve(Television, GoogleDns, YouTube, Between(40, 44));
        c.Quic(Television, YouTube, responseBytes: 90_000, t);
        c.Ntp(Television, TimeServer, fromPort123: false, Between(1, 3));
        for (var announce = 0; announce < 4; announce++)
        {
            c.SsdpNotify(Television, "4c1f2b8e-5d6a-4f3b-9e2c-7a0d1e6b3c55", Between(2 + (announce * 15), 5 + (announce * 15)));
        }

        // IoT VLAN 10: the camera sets its clock (NTP from port 123) and uploads a clip; the thermostat reports to Nest.
        t = c.Resolve(Camera, Cloudflare, TimeServer, Between(2, 4));
        c.Ntp(Camera, TimeServer, fromPort123: true, t);
        t = c.Resolve(Thermostat, Cloudflare, Nest, Between(18, 22));
        c.Https(Thermostat, Nest, overIpv6: false, tls13: true, requestBytes: 1_800, responseBytes: 1_200, t);
        t = c.Resolve(Camera, Cloudflare, Amazon, Between(26, 30));
        c.Https(Camera, Amazon, overIpv6: false, tls13: false, requestBytes: 60_000, responseBytes: 400, t);

        // Short API calls and background lookups (telemetry, OCSP, push services) spread over the minute. The
        // background names resolve into documentation ranges (RFC 5737/3849): no connection follows them.
        (Station Who, Server Resolver, Server What, bool V6)[] apiCalls =
        [
            (Laptop, Cloudflare, GitHubApi, false), (Laptop, Cloudflare, GoogleWeb, true), (Desktop, Cloudflare, MicrosoftWeb, false),
            (Phone, GoogleDns, Facebook, false), (Phone, GoogleDns, GoogleWeb, false), (Television, GoogleDns, Netflix, false),
            (Desktop, Cloudflare, Wikipedia, false), (Laptop, Cloudflare, Facebook, true), (Thermostat, Cloudflare, Nest, false),
            (Desktop, Cloudflare, GoogleWeb, true), (Phone, GoogleDns, Amazon, false), (Laptop, Cloudflare, Wikipedia, true),
        ];
        for (var round = 0; round < 2; round++)
        {
            foreach (var (who, resolver, what, v6) in apiCalls)
            {
                t = c.Resolve(who, resolver, what, Between(1, 54));
                c.Https(who, what, v6, tls13: random.Next(3) != 0, requestBytes: random.Next(300, 1500), responseBytes: random.Next(500, 4000), t);
            }
        }

        string[] backgroundNames =
        [
            "connectivitycheck.gstatic.com", "ocsp.digicert.com", "push.services.mozilla.com", "safebrowsing.googleapis.com",
            "incoming.telemetry.mozilla.org", "api.spotify.com", "clients4.google.com", "graph.facebook.com", "time.android.com",
            "update.googleapis.com", "r3.o.lencr.org", "mtalk.google.com", "settings-win.data.microsoft.com", "play.googleapis.com",
        ];
        Station[] askers = [Laptop, Desktop, Phone, Television, Thermostat];
        for (var i = 0; i < 60; i++)
        {
            var who = askers[random.Next(askers.Length)];
            var name = backgroundNames[random.Next(backgroundNames.Length)];
            var resolver = who == Phone || who == Television ? GoogleDns : Cloudflare;
            var answer = IpAddr.FromV4(0xCB00_7100u + (uint)random.Next(1, 255)); // 203.0.113.0/24
            c.Lookup(who, resolver, overIpv6: false, name, Dns.TypeA, [answer], Between(0.5, 58));
            if (who.HasGlobalV6)
            {
                var answer6 = new IpAddr(0x2001_0DB8_00FF_0000UL, (ulong)random.Next(1, 0xFFFF));
                c.Lookup(who, resolver, overIpv6: true, name, Dns.TypeAaaa, [answer6], Between(0.5, 58));
            }
        }

        return timeline.InCaptureOrder();
    }

    /// <summary>Generates the capture for <paramref name="seed"/> and writes it as classic pcap (Ethernet).</summary>
    public static SampleCaptureSummary Write(string path, int seed)
    {
        var frames = Generate(seed);
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        long frameBytes = 0;
        using (var writer = new PcapWriter(path, LinkType.Ethernet))
        {
            foreach (var frame in frames)
            {
                writer.WritePacket(frame.TimestampUs, frame.Frame);
                frameBytes += frame.Frame.Length;
            }
        }

        var duration = frames.Count == 0 ? 0 : (frames[^1].TimestampUs - frames[0].TimestampUs) / 1e6;
        return new SampleCaptureSummary(path, frames.Count, frameBytes, new FileInfo(path).Length, duration);
    }
}
