using System.Globalization;
using Flowhive.Hosting;
using Flowhive.Hosting.FlowCollection;

namespace Flowhive.Collector.Configuration;

/// <summary>One ZeroMQ endpoint of an interface: the collector binds it (trailing 'c' in ntopng's syntax) or connects to it.</summary>
public sealed record ZmqEndpoint(string Address, bool Bind);

/// <summary>
/// One <c>-i</c> value, read as ntopng reads it: ZeroMQ endpoints (<c>tcp://probe:5556</c>, <c>tcp://*:5556c</c>,
/// <c>zmq://</c>, <c>ipc://</c>, comma lists, an optional <c>label@</c> prefix) make a collector interface; anything
/// else is a capture source (a pcap/pcapng file or a network interface) handled by the in-process probe engine.
/// <c>udp://host:port</c> (<c>udp://*:2055</c>) makes a NetFlow v5/v9/IPFIX and sFlow v5 collector interface: ntopng
/// itself takes NetFlow only through nProbe (<c>-3</c>/<c>--collector-port</c>), so the listener is written as the
/// URL an ntopng user already types for ZeroMQ, with the scheme naming the transport.
/// Each <c>-i</c> is its own interface with its own id. One deliberate difference: ntopng never resets its
/// "collector" flag inside the comma loop, so after one element ending in <c>c</c> it binds every later one too;
/// here each element's own suffix decides, so one interface can bind for some probes and connect to others.
/// </summary>
public sealed record CollectorInterface(int IfId, string Name, IReadOnlyList<ZmqEndpoint> Endpoints, string? CaptureSource)
{
    /// <summary>The UDP address flow exporters send NetFlow/IPFIX/sFlow datagrams to, for a <c>udp://</c> interface.</summary>
    public UdpFlowEndpoint? FlowListener { get; init; }

    public bool IsZmq => Endpoints.Count > 0;

    public bool IsFlowListener => FlowListener is not null;

    /// <summary>The interface type the API reports.</summary>
    public string Kind => IsZmq ? "zmq" : IsFlowListener ? "netflow" : "capture";

    public static CollectorInterface Parse(int ifId, string value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new CommandLineException("-i: empty interface");
        }

        if (value.Contains("udp://", StringComparison.Ordinal))
        {
            var atSign = value.IndexOf('@', StringComparison.Ordinal);
            var url = atSign >= 0 && atSign < value.IndexOf("udp://", StringComparison.Ordinal) ? value[(atSign + 1)..] : value;
            var listener = UdpFlowEndpoint.Parse(url, $"-i {value}");
            return new CollectorInterface(ifId, atSign >= 0 && url != value ? value[..atSign] : value, [], null) { FlowListener = listener };
        }

        var isZmq = value.Contains("tcp://", StringComparison.Ordinal) || value.Contains("zmq://", StringComparison.Ordinal) ||
                    value.Contains("ipc://", StringComparison.Ordinal);
        if (!isZmq)
        {
            return new CollectorInterface(ifId, value, [], value);
        }

        var endpointsText = value;
        var label = value;
        var at = value.IndexOf('@', StringComparison.Ordinal);
        var scheme = value.IndexOf("://", StringComparison.Ordinal);
        if (at >= 0 && at < scheme)
        {
            label = value[..at];
            endpointsText = value[(at + 1)..];
        }

        var endpoints = new List<ZmqEndpoint>();
        foreach (var raw in endpointsText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var text = raw.StartsWith("zmq://", StringComparison.Ordinal) ? "tcp://" + raw["zmq://".Length..] : raw;
            var bind = text.EndsWith('c');
            if (bind)
            {
                text = text[..^1];
            }

            Validate(text, bind, value);
            endpoints.Add(new ZmqEndpoint(text, bind));
        }

        if (endpoints.Count == 0)
        {
            throw new CommandLineException($"-i {value}: no ZeroMQ endpoint");
        }

        return new CollectorInterface(ifId, label, endpoints, null);
    }

    private static void Validate(string endpoint, bool bind, string original)
    {
        if (endpoint.StartsWith("ipc://", StringComparison.Ordinal))
        {
            if (endpoint.Length <= "ipc://".Length)
            {
                throw new CommandLineException($"-i {original}: ipc:// needs a path");
            }

            return;
        }

        if (!endpoint.StartsWith("tcp://", StringComparison.Ordinal))
        {
            throw new CommandLineException($"-i {original}: '{endpoint}' is not a tcp://, zmq:// or ipc:// endpoint");
        }

        var hostPort = endpoint["tcp://".Length..];
        var colon = hostPort.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(hostPort[(colon + 1)..], NumberStyles.Integer, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw new CommandLineException($"-i {original}: '{endpoint}' needs a port between 1 and 65535");
        }

        if (!bind && hostPort[..colon] == "*")
        {
            throw new CommandLineException($"-i {original}: cannot connect to '*'; append 'c' to bind (tcp://*:{port}c) for probes in --zmq-probe-mode");
        }
    }
}
