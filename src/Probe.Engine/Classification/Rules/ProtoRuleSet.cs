using Flowhive.Shared.Net;

namespace Flowhive.Probe.Engine.Classification.Rules;

/// <summary>
/// The user's protocol rules, immutable once built and shared by every worker (a reload builds a new set and
/// swaps it in). Host rules match a host name containing their text (as nDPI's host rules do), the longest text
/// winning; address and port rules match either end of a flow, IP rules before port rules.
/// </summary>
public sealed class ProtoRuleSet
{
    private readonly ProtoRule[] _hosts;
    private readonly ProtoRule[] _addresses;
    private readonly ProtoRule[] _ports;

    public ProtoRuleSet(IReadOnlyList<ProtoRule> rules)
    {
        Rules = rules;
        _hosts = [.. rules.Where(r => r.Kind == ProtoRuleKind.Host).OrderByDescending(r => r.Host.Length)];
        _addresses = [.. rules.Where(r => r.Kind == ProtoRuleKind.Ip).OrderByDescending(r => r.Network.PrefixLength)];
        _ports = [.. rules.Where(r => r.Kind is ProtoRuleKind.TcpPort or ProtoRuleKind.UdpPort)];
        Protocols = [.. rules.Select(r => r.Protocol).Distinct(StringComparer.Ordinal)];
    }

    public static ProtoRuleSet Empty { get; } = new([]);

    public IReadOnlyList<ProtoRule> Rules { get; }

    /// <summary>Every protocol name the rules give, in first-seen order.</summary>
    public IReadOnlyList<string> Protocols { get; }

    public bool IsEmpty => Rules.Count == 0;

    /// <summary>The rule whose text the host name contains (longest first), or null. Allocates nothing.</summary>
    public ProtoRule? MatchHost(ReadOnlySpan<char> host)
    {
        foreach (var rule in _hosts)
        {
            if (host.Contains(rule.Host, StringComparison.OrdinalIgnoreCase))
            {
                return rule;
            }
        }

        return null;
    }

    /// <summary>The first address rule, then port rule, that either end of the flow matches, or null.</summary>
    public ProtoRule? MatchFlow(byte l4, IpAddr server, ushort serverPort, IpAddr client, ushort clientPort)
    {
        foreach (var rule in _addresses)
        {
            if ((rule.Network.Contains(server) && PortMatches(rule, serverPort)) || (rule.Network.Contains(client) && PortMatches(rule, clientPort)))
            {
                return rule;
            }
        }

        var kind = l4 switch
        {
            6 => ProtoRuleKind.TcpPort,
            17 => ProtoRuleKind.UdpPort,
            _ => (ProtoRuleKind)(-1),
        };
        foreach (var rule in _ports)
        {
            if (rule.Kind == kind && (InRange(rule, serverPort) || InRange(rule, clientPort)))
            {
                return rule;
            }
        }

        return null;
    }

    private static bool PortMatches(ProtoRule rule, ushort port) => rule.PortLow == 0 || InRange(rule, port);

    private static bool InRange(ProtoRule rule, ushort port) => port >= rule.PortLow && port <= rule.PortHigh;
}
