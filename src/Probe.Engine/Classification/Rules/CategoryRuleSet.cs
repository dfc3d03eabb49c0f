using Flowhive.Shared.Net;

namespace Flowhive.Probe.Engine.Classification.Rules;

/// <summary>
/// The user's custom category rules (<c>--ndpi-categories</c>) for the micro engine, immutable once built and
/// shared by every worker (a reload builds a new set). As in nDPI, a host rule matches a host name that contains
/// its text (the longest text wins) and an IP rule matches either end of the flow (the longest prefix wins); a
/// host match is tried first.
/// </summary>
public sealed class CategoryRuleSet
{
    private readonly (string Host, ushort Category)[] _hosts;
    private readonly (IpNetwork Network, ushort Category)[] _networks;

    public CategoryRuleSet(IReadOnlyList<CategoryRule> rules)
    {
        Rules = rules;
        var hosts = new List<(string, ushort)>();
        var networks = new List<(IpNetwork, ushort)>();
        foreach (var rule in rules)
        {
            if (IpNetwork.TryParse(rule.HostOrIp, out var network) && network.Alias is null)
            {
                networks.Add((network, (ushort)rule.Category));
            }
            else
            {
                hosts.Add((rule.HostOrIp, (ushort)rule.Category));
            }
        }

        _hosts = [.. hosts.OrderByDescending(h => h.Item1.Length)];
        _networks = [.. networks.OrderByDescending(n => n.Item1.PrefixLength)];
    }

    public static CategoryRuleSet Empty { get; } = new([]);

    public IReadOnlyList<CategoryRule> Rules { get; }

    public bool IsEmpty => Rules.Count == 0;

    /// <summary>The category of the first rule the flow matches, or 0 (none). Allocates nothing.</summary>
    public ushort Match(string? host, IpAddr server, IpAddr client)
    {
        if (host is not null)
        {
            foreach (var (text, category) in _hosts)
            {
                if (host.Contains(text, StringComparison.OrdinalIgnoreCase))
                {
                    return category;
                }
            }
        }

        foreach (var (network, category) in _networks)
        {
            if (network.Contains(server) || network.Contains(client))
            {
                return category;
            }
        }

        return 0;
    }
}
