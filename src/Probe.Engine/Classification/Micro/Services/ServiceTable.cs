using Flowhive.Probe.Engine.Classification.Micro.Catalog;
using Flowhive.Shared.Net;

namespace Flowhive.Probe.Engine.Classification.Micro.Services;

/// <summary>
/// Host names and certificate names to nDPI 4.2 service protocols (<c>Data/services.tsv</c>). Immutable after
/// loading and shared by every worker. A lookup allocates nothing: label-boundary suffixes are one dictionary
/// probe per label; the few raw-suffix, first-label and certificate rules are scanned.
/// </summary>
public sealed class ServiceTable
{
    /// <summary>Longest DNS name (RFC 1035); longer "names" are not host names and match nothing.</summary>
    public const int MaxHostLength = 253;

    private const string FileName = "services.tsv";

    private readonly Dictionary<string, ServiceMatch> _suffixes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ServiceMatch>.AlternateLookup<ReadOnlySpan<char>> _suffixLookup;
    private readonly List<(string Suffix, ServiceMatch Match)> _rawSuffixes = [];
    private readonly List<(string FirstLabel, string Suffix, ServiceMatch Match)> _labelRules = [];
    private readonly List<(string Text, ServiceMatch Match)> _certificateRules = [];

    /// <summary>Network rules, longest prefix first, so the first that contains an address is the most specific.</summary>
    private IpPrefixMatcher _networks = new([]);
    private ServiceMatch[] _networkMatches = [];

    private ServiceTable()
    {
        _suffixLookup = _suffixes.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The table Flowhive ships.</summary>
    public static ServiceTable Default { get; } = Build(EmbeddedTable.Read(FileName), ProtocolCatalog.Ndpi42);

    /// <summary>Every service protocol some rule can report.</summary>
    public IReadOnlySet<ushort> Protocols { get; private set; } = new HashSet<ushort>();

    /// <summary>Parses a table in the <c>services.tsv</c> format (for tests and custom tables).</summary>
    public static ServiceTable Parse(string text, ProtocolCatalog catalog) => Build(EmbeddedTable.Parse(text), catalog);

    /// <summary>Looks up a host name (any case, optionally with a trailing dot).</summary>
    public bool TryMatchHost(ReadOnlySpan<char> host, out ServiceMatch match)
    {
        match = default;
        if (host.Length > 0 && host[^1] == '.')
        {
            host = host[..^1];
        }

        if (host.Length == 0 || host.Length > MaxHostLength)
        {
            return false;
        }

        Span<char> lower = stackalloc char[host.Length];
        host.ToLowerInvariant(lower);

        var bestLength = 0;

        // Label-boundary suffixes, longest first: the whole name, then after each dot.
        for (var start = 0; start < lower.Length; start++)
        {
            if (start == 0 || lower[start - 1] == '.')
            {
                if (_suffixLookup.TryGetValue(lower[start..], out var found))
                {
                    match = found;
                    bestLength = lower.Length - start;
                    break;
                }
            }
        }

        foreach (var (suffix, rule) in _rawSuffixes)
        {
            if (suffix.Length > bestLength && lower.EndsWith(suffix, StringComparison.Ordinal))
            {
                match = rule;
                bestLength = suffix.Length;
            }
        }

        foreach (var (firstLabel, suffix, rule) in _labelRules)
        {
            var length = firstLabel.Length + suffix.Length;
            if (length > bestLength && lower.Length > length &&
                lower.StartsWith(firstLabel, StringComparison.Ordinal) && lower.EndsWith(suffix, StringComparison.Ordinal))
            {
                match = rule;
                bestLength = length;
            }
        }

        return bestLength > 0;
    }

    /// <summary>
    /// Looks up a service by a flow's addresses (the server's first, then the client's): nDPI names a flow whose
    /// protocol DPI found but whose host name named no service by the network it talks to (HTTP.NetFlix to a
    /// Netflix cache addressed by IP). A compiled scan of a few dozen networks, once per flow.
    /// </summary>
    public bool TryMatchAddress(IpAddr server, IpAddr client, out ServiceMatch match)
    {
        var index = _networks.IndexOf(server);
        if (index < 0)
        {
            index = _networks.IndexOf(client);
        }

        match = index < 0 ? default : _networkMatches[index];
        return index >= 0;
    }

    /// <summary>Looks for a certificate rule in a certificate subject or issuer.</summary>
    public bool TryMatchCertificate(ReadOnlySpan<char> name, out ServiceMatch match)
    {
        foreach (var (text, rule) in _certificateRules)
        {
            if (name.Contains(text, StringComparison.Ordinal))
            {
                match = rule;
                return true;
            }
        }

        match = default;
        return false;
    }

    private static ServiceTable Build(IEnumerable<(int Line, string[] Fields)> rows, ProtocolCatalog catalog)
    {
        var table = new ServiceTable();
        var protocols = new HashSet<ushort>();
        var networks = new List<(IpNetwork Network, ServiceMatch Match)>();
        foreach (var (line, f) in rows)
        {
            if (f.Length != 4 || f[1].Length == 0)
            {
                throw EmbeddedTable.Error(FileName, line, "expected kind, pattern, protocol, category");
            }

            ushort protocol = 0;
            if (f[2] != "-")
            {
                if (!catalog.TryFind(f[2], out var info))
                {
                    throw EmbeddedTable.Error(FileName, line, $"'{f[2]}' is not an nDPI 4.2 protocol name");
                }

                protocol = info.Id;
                protocols.Add(protocol);
            }

            ushort category = 0;
            if (f[3] != "-" && !catalog.TryFindCategory(f[3], out category))
            {
                throw EmbeddedTable.Error(FileName, line, $"'{f[3]}' is not an nDPI 4.2 category name");
            }

            if (protocol == 0 && category == 0)
            {
                throw EmbeddedTable.Error(FileName, line, "a rule must name a protocol, a category or both");
            }

            var match = new ServiceMatch(protocol, category);
            var pattern = f[1];
            switch (f[0])
            {
                case "cert":
                    table._certificateRules.Add((pattern, match));
                    break;
                case "net":
                    if (!IpNetwork.TryParse(pattern, out var network) || network.Alias is not null)
                    {
                        throw EmbeddedTable.Error(FileName, line, $"'{pattern}' is not a network (a.b.c.d/n or x::/n)");
                    }

                    networks.Add((network, match));
                    break;
                case "host":
                    table.AddHostRule(pattern.ToLowerInvariant(), match, line);
                    break;
                default:
                    throw EmbeddedTable.Error(FileName, line, $"unknown kind '{f[0]}' (host, net or cert)");
            }
        }

        var ordered = networks.OrderByDescending(n => n.Network.PrefixLength + (n.Network.Network.IsV4 ? 96 : 0)).ToArray();
        table._networks = new IpPrefixMatcher([.. ordered.Select(n => n.Network)]);
        table._networkMatches = [.. ordered.Select(n => n.Match)];
        table.Protocols = protocols;
        return table;
    }

    private void AddHostRule(string pattern, ServiceMatch match, int line)
    {
        var star = pattern.IndexOf('*', StringComparison.Ordinal);
        if (star < 0)
        {
            if (!_suffixes.TryAdd(pattern, match))
            {
                throw EmbeddedTable.Error(FileName, line, $"duplicate host pattern '{pattern}'");
            }
        }
        else if (star == 0 && pattern.Length > 1 && pattern.IndexOf('*', 1) < 0)
        {
            _rawSuffixes.Add((pattern[1..], match));
        }
        else if (star > 0 && pattern[star - 1] == '.' && star + 1 < pattern.Length && pattern[star + 1] == '.' && pattern.IndexOf('*', star + 1) < 0)
        {
            _labelRules.Add((pattern[..star], pattern[(star + 1)..], match));
        }
        else
        {
            throw EmbeddedTable.Error(FileName, line, $"host pattern '{pattern}' is not name, *suffix or label.*.name");
        }
    }
}
