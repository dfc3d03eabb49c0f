using Flowhive.Shared.Net;

namespace Flowhive.Probe.Engine.Tests.Support;

/// <summary>Short spellings for addresses in tests.</summary>
public static class Addr
{
    public static IpAddr Ip(string text) => IpAddr.Parse(text);

    public static ulong Mac(string text) => MacAddr.TryParse(text, out var mac) ? mac : throw new FormatException(text);
}
