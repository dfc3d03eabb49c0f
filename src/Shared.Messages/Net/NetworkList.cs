namespace Flowhive.Shared.Net;

/// <summary>
/// The local networks (nProbe <c>-L</c>, ntopng <c>-m</c>): a comma-separated CIDR list, or the path of a file with
/// such lists, one or more per line, <c>#</c> comments (ntopng's format). Looked up per flow, never per packet,
/// through an <see cref="IpPrefixMatcher"/>.
/// </summary>
public sealed class NetworkList
{
    private readonly IpNetwork[] _networks;
    private readonly IpPrefixMatcher _matcher;

    public NetworkList(IEnumerable<IpNetwork> networks)
    {
        _networks = [.. networks];
        _matcher = new IpPrefixMatcher(_networks);
    }

    public static NetworkList Empty { get; } = new([]);

    public IReadOnlyList<IpNetwork> Networks => _networks;

    public bool IsEmpty => _networks.Length == 0;

    public bool Contains(IpAddr address) => IndexOf(address) >= 0;

    /// <summary>The position of the first network holding <paramref name="address"/> (ntopng's local network id), or -1.</summary>
    public int IndexOf(IpAddr address) => _matcher.IndexOf(address);

    /// <summary>The name ntopng shows for a local network: its alias (192.168.1.0/24=LAN), else its CIDR text.</summary>
    public string NameAt(int index) => _networks[index].Alias ?? $"{_networks[index].Network}/{_networks[index].PrefixLength}";

    /// <summary>Parses a list or reads a file; the error names the entry (and file line) that is not a network.</summary>
    public static NetworkList Parse(string listOrFile)
    {
        if (File.Exists(listOrFile))
        {
            var networks = new List<IpNetwork>();
            var n = 0;
            foreach (var line in File.ReadLines(listOrFile))
            {
                n++;
                var text = line.Split('#')[0].Trim();
                if (text.Length > 0)
                {
                    networks.AddRange(ParseList(text, $"{listOrFile}:{n}: "));
                }
            }

            return new NetworkList(networks);
        }

        return new NetworkList(ParseList(listOrFile, string.Empty));
    }

    private static IEnumerable<IpNetwork> ParseList(string text, string where)
    {
        foreach (var item in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            yield return IpNetwork.TryParse(item, out var network)
                ? network
                : throw new FormatException($"{where}'{item}' is not a network like 192.168.1.0/24 or 2001:db8::/32");
        }
    }
}
