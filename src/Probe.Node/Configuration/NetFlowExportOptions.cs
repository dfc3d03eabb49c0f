using System.Globalization;
using Flowhive.Hosting;
using Flowhive.Shared.Wire.NetFlow;

namespace Flowhive.Probe.Configuration;

/// <summary>
/// NetFlow/IPFIX export as nProbe's flags ask for it: <c>-n host:port</c> (repeated or comma-separated, an optional
/// <c>udp://</c> prefix, <c>none</c> for no NetFlow), <c>-V 5|9|10</c> (9 by default, as in nProbe), <c>-T</c> with
/// nProbe's <c>%FIELD</c> names (nProbe's default template without it) and <c>--netflow-mtu</c>. Unlike nProbe, a
/// collector without a port is an error rather than port 2055: a typo should not send flows somewhere unexpected.
/// </summary>
public sealed record NetFlowExportOptions
{
    public required IReadOnlyList<NetFlowCollector> Collectors { get; init; }

    /// <summary>Version, template and datagram size; the probe adds its source id and instance name.</summary>
    public required NetFlowEncoderOptions Encoder { get; init; }

    /// <summary>
    /// Null when no collector is given (or only <c>none</c>). <c>-V</c>, <c>-T</c> and <c>--netflow-mtu</c> are checked
    /// either way, so a mistake in them is reported even before a collector is added.
    /// </summary>
    public static NetFlowExportOptions? From(ParsedOptions o)
    {
        var versionText = o.Get("flow-version") ?? "9";
        var version = versionText switch
        {
            "5" => NetFlowVersion.V5,
            "9" => NetFlowVersion.V9,
            "10" => NetFlowVersion.Ipfix,
            _ => throw new CommandLineException($"-V {versionText}: NetFlow version must be 5, 9 or 10 (IPFIX)"),
        };

        FlowTemplate template;
        try
        {
            template = o.Get("flow-templ") is { } text ? FlowTemplate.Parse(text) : FlowTemplate.NprobeDefault;
        }
        catch (FormatException e)
        {
            throw new CommandLineException($"-T: {e.Message}");
        }

        var encoder = new NetFlowEncoderOptions
        {
            Version = version,
            Template = template,
            Mtu = o.GetInt("netflow-mtu", NetFlowEncoderOptions.DefaultMtu, 256, 65_507),
        };
        try
        {
            // Builds an encoder once so that a template too large for the datagram size fails here, with the flags named.
            NetFlowEncoder.Create(encoder);
        }
        catch (ArgumentException e)
        {
            throw new CommandLineException($"-T/--netflow-mtu: {e.Message}");
        }

        var collectors = o.GetAll("collector")
            .SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Where(v => !v.Equals("none", StringComparison.OrdinalIgnoreCase))
            .Select(ParseCollector)
            .ToList();
        return collectors.Count == 0 ? null : new NetFlowExportOptions { Collectors = collectors, Encoder = encoder };
    }

    /// <summary><c>host:port</c>, <c>[v6]:port</c>, optionally with <c>udp://</c>.</summary>
    public static NetFlowCollector ParseCollector(string value)
    {
        var rest = value;
        var scheme = rest.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            if (!rest[..scheme].Equals("udp", StringComparison.OrdinalIgnoreCase))
            {
                throw new CommandLineException($"-n {value}: only UDP export is supported (host:port or udp://host:port)");
            }

            rest = rest[(scheme + 3)..];
        }

        string host;
        string portText;
        if (rest.StartsWith('['))
        {
            var close = rest.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || close + 1 >= rest.Length || rest[close + 1] != ':')
            {
                throw new CommandLineException($"-n {value}: needs a port after the IPv6 address ([::1]:2055)");
            }

            host = rest[1..close];
            portText = rest[(close + 2)..];
        }
        else
        {
            var colon = rest.LastIndexOf(':');
            if (colon < 0)
            {
                throw new CommandLineException($"-n {value}: needs a port (host:port, e.g. 127.0.0.1:2055)");
            }

            host = rest[..colon];
            portText = rest[(colon + 1)..];
            if (host.Contains(':', StringComparison.Ordinal))
            {
                throw new CommandLineException($"-n {value}: write an IPv6 collector in brackets ([2001:db8::1]:2055)");
            }
        }

        if (host.Length == 0)
        {
            throw new CommandLineException($"-n {value}: needs a host before the port (127.0.0.1:2055)");
        }

        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw new CommandLineException($"-n {value}: '{portText}' is not a port between 1 and 65535");
        }

        return new NetFlowCollector(host, port);
    }
}
