using Flowhive.Shared.Net;

namespace Flowhive.Tools.SampleCapture.Traffic;

/// <summary>
/// The captured network: a home/office LAN (192.168.1.0/24 and 2001:db8:1::/64) with an IoT VLAN
/// (VLAN 10, 10.10.0.0/24) behind one router, and the public services its hosts use. Public addresses are
/// ones those services really answer on, so that address-based classification has something to match.
/// </summary>
internal static class SampleNetwork
{
    public static readonly ulong RouterMac = 0x000D_B94A_1001; // PC Engines
    public static readonly IpAddr RouterV4 = IpAddr.Parse("192.168.1.1");
    public static readonly IpAddr RouterVlanV4 = IpAddr.Parse("10.10.0.1");
    public static readonly IpAddr RouterLinkLocal = IpAddr.Parse("fe80::1");
    public static readonly IpAddr LanPrefix = IpAddr.Parse("2001:db8:1::");
    public const ushort IotVlan = 10;

    public static readonly Station Laptop = new("alice-laptop", IpAddr.Parse("192.168.1.23"), 0x3C22_FB12_3423, HasGlobalV6: true);
    public static readonly Station Desktop = new("bob-desktop", IpAddr.Parse("192.168.1.31"), 0x001B_2144_5531, HasGlobalV6: true);
    public static readonly Station Phone = new("carol-phone", IpAddr.Parse("192.168.1.45"), 0xF45C_8977_0145);
    public static readonly Station Television = new("living-room-tv", IpAddr.Parse("192.168.1.52"), 0x7C64_5690_0152);
    public static readonly Station Nas = new("nas", IpAddr.Parse("192.168.1.10"), 0x0011_3288_9910, HasGlobalV6: true);
    public static readonly Station Camera = new("porch-camera", IpAddr.Parse("10.10.0.21"), 0xB827_EB10_0021, IotVlan);
    public static readonly Station Thermostat = new("thermostat", IpAddr.Parse("10.10.0.22"), 0x18B4_3000_0022, IotVlan);

    public static readonly Server Cloudflare = new("one.one.one.one", IpAddr.Parse("1.1.1.1"), IpAddr.Parse("2606:4700:4700::1111"), 9);
    public static readonly Server GoogleDns = new("dns.google", IpAddr.Parse("8.8.8.8"), IpAddr.Parse("2001:4860:4860::8888"), 12);
    public static readonly Server GoogleWeb = new("www.google.com", IpAddr.Parse("142.250.185.68"), IpAddr.Parse("2a00:1450:4001:82b::2004"), 12);
    public static readonly Server YouTube = new("www.youtube.com", IpAddr.Parse("142.250.186.78"), null, 14);
    public static readonly Server GitHub = new("github.com", IpAddr.Parse("140.82.121.4"), null, 26);
    public static readonly Server GitHubApi = new("api.github.com", IpAddr.Parse("140.82.121.6"), null, 26);
    public static readonly Server Wikipedia = new("www.wikipedia.org", IpAddr.Parse("185.15.59.224"), IpAddr.Parse("2a02:ec80:300:ed1a::1"), 22);
    public static readonly Server Facebook = new("www.facebook.com", IpAddr.Parse("157.240.9.35"), IpAddr.Parse("2a03:2880:f10c:283:face:b00c:0:25de"), 18);
    public static readonly Server Amazon = new("www.amazon.com", IpAddr.Parse("52.94.236.248"), null, 88);
    public static readonly Server MicrosoftWeb = new("www.microsoft.com", IpAddr.Parse("23.35.229.160"), null, 16);
    public static readonly Server Netflix = new("www.netflix.com", IpAddr.Parse("54.155.178.5"), null, 24);
    public static readonly Server Ubuntu = new("archive.ubuntu.com", IpAddr.Parse("91.189.91.82"), null, 30);
    public static readonly Server Firefox = new("detectportal.firefox.com", IpAddr.Parse("34.107.221.82"), null, 15);
    public static readonly Server Nest = new("home.nest.com", IpAddr.Parse("216.58.206.46"), null, 14);
    public static readonly Server TimeServer = new("time.cloudflare.com", IpAddr.Parse("162.159.200.1"), null, 8);
}
