namespace Flowhive.Probe.Configuration;

/// <summary>One <c>-n</c> destination: a host name or address and a UDP port.</summary>
public sealed record NetFlowCollector(string Host, int Port)
{
    /// <summary>host:port, IPv6 addresses in brackets, as it can be given back to <c>-n</c>.</summary>
    public override string ToString() => Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";
}
