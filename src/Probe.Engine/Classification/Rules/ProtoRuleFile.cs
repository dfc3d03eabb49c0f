using System.Globalization;
using Flowhive.Shared.Net;

namespace Flowhive.Probe.Engine.Classification.Rules;

/// <summary>
/// Reads nDPI/ntopng protos files (<c>-p protos.txt</c>): one line per protocol, comma-separated rules, then
/// <c>@Name</c> — <c>tcp:81,tcp:8181@HTTP</c>, <c>udp:5061-5062@SIP</c>, <c>host:"api.example.com"@MyApp</c>,
/// <c>ip:10.1.2.3/32@MyApp</c>, <c>ip:10.1.2.3/32:443@MyApp</c>; <c>#</c> starts a comment. Engine-neutral: the
/// result is a <see cref="ProtoRuleSet"/> any DPI engine can apply. A bad line is an error naming the line.
/// </summary>
public static class ProtoRuleFile
{
    /// <summary>Protocol names a rule may give (as nDPI: letters, digits, '_', '-', '.').</summary>
    public const int MaxNameLength = 64;

    public static ProtoRuleSet Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FormatException($"{path}: {e.Message}", e);
        }

        return Parse(text, path);
    }

    public static ProtoRuleSet Parse(string text, string source)
    {
        var rules = new List<ProtoRule>();
        var lineNumber = 0;
        foreach (var raw in text.Split('\n'))
        {
            lineNumber++;
            var line = raw.Trim();
            var comment = line.IndexOf('#', StringComparison.Ordinal);
            if (comment >= 0 && !InsideQuotes(line, comment))
            {
                line = line[..comment].Trim();
            }

            if (line.Length == 0)
            {
                continue;
            }

            var at = line.LastIndexOf('@');
            if (at <= 0 || at == line.Length - 1)
            {
                throw Error(source, lineNumber, $"expected rules@Protocol, got '{line}'");
            }

            var protocol = line[(at + 1)..].Trim();
            if (protocol.Length > MaxNameLength || protocol.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.')))
            {
                throw Error(source, lineNumber, $"'{protocol}' is not a protocol name (letters, digits, '_', '-', '.')");
            }

            foreach (var part in SplitRules(line[..at]))
            {
                rules.Add(ParseRule(part.Trim(), protocol, source, lineNumber));
            }
        }

        return new ProtoRuleSet(rules);
    }

    private static ProtoRule ParseRule(string rule, string protocol, string source, int line)
    {
        var colon = rule.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            throw Error(source, line, $"'{rule}' is not tcp:port, udp:port, host:\"name\" or ip:address");
        }

        var value = rule[(colon + 1)..].Trim();
        switch (rule[..colon].Trim().ToLowerInvariant())
        {
            case "host":
                if (value.Length < 3 || value[0] != '"' || value[^1] != '"' || value[1..^1].Contains('"', StringComparison.Ordinal))
                {
                    throw Error(source, line, $"host rule '{rule}': the name must be in double quotes");
                }

                return new ProtoRule(ProtoRuleKind.Host, protocol, line) { Host = value[1..^1].ToLowerInvariant() };
            case "tcp":
            case "udp":
                {
                    var (low, high) = ParsePorts(value, source, line);
                    var kind = rule[..colon].Trim().Equals("tcp", StringComparison.OrdinalIgnoreCase) ? ProtoRuleKind.TcpPort : ProtoRuleKind.UdpPort;
                    return new ProtoRule(kind, protocol, line) { PortLow = low, PortHigh = high };
                }

            case "ip":
                {
                    // ip:a.b.c.d/n[:port]; an IPv6 network keeps its colons, so a port only follows a '/'-prefix part.
                    ushort port = 0;
                    var slash = value.IndexOf('/', StringComparison.Ordinal);
                    var portColon = slash >= 0 ? value.IndexOf(':', slash) : (value.Contains('.', StringComparison.Ordinal) ? value.IndexOf(':', StringComparison.Ordinal) : -1);
                    var networkText = value;
                    if (portColon > 0)
                    {
                        port = ParsePorts(value[(portColon + 1)..], source, line).Low;
                        networkText = value[..portColon];
                    }

                    if (!IpNetwork.TryParse(networkText, out var network) || network.Alias is not null)
                    {
                        throw Error(source, line, $"ip rule '{rule}': '{networkText}' is not an address or network");
                    }

                    return new ProtoRule(ProtoRuleKind.Ip, protocol, line) { Network = network, PortLow = port, PortHigh = port };
                }

            default:
                throw Error(source, line, $"'{rule}' is not tcp:port, udp:port, host:\"name\" or ip:address");
        }
    }

    private static (ushort Low, ushort High) ParsePorts(string text, string source, int line)
    {
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        var lowText = dash < 0 ? text : text[..dash];
        var highText = dash < 0 ? text : text[(dash + 1)..];
        if (!ushort.TryParse(lowText, NumberStyles.None, CultureInfo.InvariantCulture, out var low) ||
            !ushort.TryParse(highText, NumberStyles.None, CultureInfo.InvariantCulture, out var high) || low == 0 || high < low)
        {
            throw Error(source, line, $"'{text}' is not a port (1-65535) or a range of them (low-high)");
        }

        return (low, high);
    }

    /// <summary>Splits on commas outside double quotes (a host text may hold one).</summary>
    private static IEnumerable<string> SplitRules(string text)
    {
        var start = 0;
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '"')
            {
                quoted = !quoted;
            }
            else if (text[i] == ',' && !quoted)
            {
                yield return text[start..i];
                start = i + 1;
            }
        }

        yield return text[start..];
    }

    private static bool InsideQuotes(string line, int index) => line.AsSpan(0, index).Count('"') % 2 == 1;

    private static FormatException Error(string source, int line, string message) => new($"{source}:{line}: {message}");
}
