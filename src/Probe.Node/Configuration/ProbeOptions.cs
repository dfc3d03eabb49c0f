using System.Globalization;
using Flowhive.Hosting;
using Flowhive.Hosting.FlowCollection;
using Flowhive.Probe.Engine.Capture;
using Flowhive.Probe.Engine.Flows;
using Flowhive.Shared.Net;
using Flowhive.Shared.Wire;

namespace Flowhive.Probe.Configuration;

/// <summary>The probe's validated settings. Everything a flag can get wrong is reported here, before anything starts.</summary>
public sealed record ProbeOptions
{
    /// <summary>Capture sources (<c>-i</c>); empty when the probe only collects (<c>-3</c> with <c>-i none</c> or no <c>-i</c>).</summary>
    public required IReadOnlyList<string> Interfaces { get; init; }

    /// <summary>nProbe's <c>-3</c>/<c>--collector-port</c>: where routers send NetFlow/IPFIX/sFlow, or null.</summary>
    public UdpFlowEndpoint? CollectorPort { get; init; }

    /// <summary>Where <c>-3</c> keeps templates across restarts (<c>--collector-templates-dir</c>); null keeps them in memory only.</summary>
    public string? CollectorTemplatesDirectory { get; init; }
    public required IReadOnlyList<string> ZmqEndpoints { get; init; }
    public bool ZmqProbeMode { get; init; }

    /// <summary>Header version, payload format and compression of ZeroMQ messages.</summary>
    public ZmqSendOptions ZmqSend { get; init; } = ZmqSendOptions.Default;

    /// <summary>nProbe's <c>--zmq-encryption-key</c>: the collector's CURVE public key, or null for plain text.</summary>
    public byte[]? ZmqServerKey { get; init; }
    public required FlowTableOptions FlowTable { get; init; }

    /// <summary>nProbe <c>--num-threads</c>: flow workers per capture source.</summary>
    public int Workers { get; init; } = 1;
    public required LiveCaptureOptions Live { get; init; }
    public required ReplayOptions Replay { get; init; }
    public TimeSpan WaitForCollector { get; init; } = TimeSpan.FromSeconds(30);
    public int ZmqSendHighWatermark { get; init; } = 100_000;
    public uint SourceId { get; init; }
    public required string InstanceName { get; init; }
    public int Verbosity { get; init; }

    public static ProbeOptions From(ParsedOptions o)
    {
        var interfaces = o.GetAll("interface").Where(i => !i.Equals("none", StringComparison.OrdinalIgnoreCase)).ToList();
        var collectorPort = ParseCollectorPort(o.Get("collector-port"));
        if (interfaces.Count == 0 && collectorPort is null)
        {
            throw new CommandLineException("no flow source: give -i <interface|file.pcap> or -3 <port> to collect NetFlow/IPFIX/sFlow");
        }

        var endpoints = o.GetAll("zmq").SelectMany(e => e.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        var probeMode = o.GetFlag("zmq-probe-mode");
        foreach (var endpoint in endpoints)
        {
            ValidateEndpoint(endpoint, probeMode);
        }

        byte[]? serverKey = null;
        if (o.Get("zmq-encryption-key") is { } keyText && !CurveKey.TryParse(keyText, out serverKey))
        {
            throw new CommandLineException("--zmq-encryption-key: not a CURVE public key (40 Z85 characters, or 80 or 64 hex digits)");
        }

        var speedText = o.Get("replay-speed") ?? "max";
        if (!ReplayOptions.TryParseSpeed(speedText, out var speed))
        {
            throw new CommandLineException($"--replay-speed: '{speedText}' is not a speed like 1x, 10x, 0.5x or max");
        }

        var instance = o.Get("instance-name") ?? Environment.MachineName;
        uint sourceId;
        var sourceText = o.Get("source-id");
        if (sourceText is null)
        {
            // Stable across restarts of the same probe, so a collector sees a restart as a rollback, not a new probe.
            sourceId = StableHash(instance + "|" + string.Join(',', endpoints) + "|" + string.Join(',', interfaces));
        }
        else if (!uint.TryParse(sourceText, NumberStyles.Integer, CultureInfo.InvariantCulture, out sourceId))
        {
            throw new CommandLineException($"--source-id: '{sourceText}' is not a number between 0 and {uint.MaxValue}");
        }

        var flowTable = new FlowTableOptions
        {
            IdleTimeout = o.GetDuration("idle-timeout", TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(1), TimeSpan.FromDays(1)),
            Lifetime = o.GetDuration("lifetime-timeout", TimeSpan.FromSeconds(120), TimeSpan.FromSeconds(1), TimeSpan.FromDays(7)),
            MaxFlows = o.GetInt("max-num-flows", 1 << 20, 1024, 1 << 27),
            LocalNetworks = ParseLocalNetworks(o.Get("local-networks")),
        };

        return new ProbeOptions
        {
            Interfaces = interfaces,
            CollectorPort = collectorPort,
            CollectorTemplatesDirectory = ParseTemplatesDirectory(o.Get("collector-templates-dir"), collectorPort),
            ZmqEndpoints = endpoints,
            ZmqProbeMode = probeMode,
            ZmqSend = ZmqSendOptions.From(o),
            ZmqServerKey = serverKey,
            FlowTable = flowTable,
            Workers = o.GetInt("num-threads", 1, 1, Flowhive.Probe.Engine.Workers.CaptureEngine.MaxWorkers),
            Live = new LiveCaptureOptions
            {
                Snaplen = o.GetInt("snaplen", 1600, 64, 262_144),
                Filter = o.Get("bpf-filter"),
                Promiscuous = !o.GetFlag("no-promisc"),
                BufferSize = o.GetInt("capture-buffer", 64, 1, 4096) << 20,
            },
            Replay = new ReplayOptions { Speed = speed, Loops = o.GetInt("replay-loop", 1, 0, int.MaxValue) },
            WaitForCollector = o.GetDuration("zmq-wait-collector", TimeSpan.FromSeconds(30), TimeSpan.Zero, TimeSpan.FromDays(1)),
            ZmqSendHighWatermark = o.GetInt("zmq-send-hwm", 100_000, 1, 100_000_000),
            SourceId = sourceId,
            InstanceName = instance,
            Verbosity = o.GetInt("verbose", 0, 0, 2),
        };
    }

    private static string? ParseTemplatesDirectory(string? value, UdpFlowEndpoint? port)
    {
        if (value is null)
        {
            return null;
        }

        if (port is null)
        {
            throw new CommandLineException("--collector-templates-dir needs -3 <port>");
        }

        try
        {
            return Directory.CreateDirectory(value).FullName;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            throw new CommandLineException($"--collector-templates-dir {value}: {e.Message}");
        }
    }

    /// <summary>nProbe takes a bare port (every address); host:port and udp:// URLs bind one address.</summary>
    private static UdpFlowEndpoint? ParseCollectorPort(string? value)
    {
        if (value is null)
        {
            return null;
        }

        var url = value.StartsWith("udp://", StringComparison.Ordinal) ? value
            : value.Contains(':', StringComparison.Ordinal) ? "udp://" + value
            : "udp://*:" + value;
        return UdpFlowEndpoint.Parse(url, $"-3 {value}");
    }

    private static NetworkList ParseLocalNetworks(string? value)
    {
        if (value is null)
        {
            return NetworkList.Empty;
        }

        try
        {
            return NetworkList.Parse(value);
        }
        catch (Exception e) when (e is FormatException or IOException)
        {
            throw new CommandLineException($"-L/--local-networks: {e.Message}");
        }
    }

    private static void ValidateEndpoint(string endpoint, bool probeMode)
    {
        var ok = endpoint.StartsWith("tcp://", StringComparison.Ordinal) || endpoint.StartsWith("ipc://", StringComparison.Ordinal) ||
                 endpoint.StartsWith("inproc://", StringComparison.Ordinal);
        if (!ok)
        {
            throw new CommandLineException($"--zmq {endpoint}: not a ZeroMQ endpoint (tcp://host:port or ipc://path)");
        }

        if (endpoint.StartsWith("tcp://", StringComparison.Ordinal))
        {
            var hostPort = endpoint["tcp://".Length..];
            var colon = hostPort.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(hostPort[(colon + 1)..], NumberStyles.Integer, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            {
                throw new CommandLineException($"--zmq {endpoint}: needs a port between 1 and 65535 (tcp://*:5556)");
            }

            if (probeMode && hostPort[..colon] == "*")
            {
                throw new CommandLineException($"--zmq {endpoint}: with --zmq-probe-mode the probe connects, so give the collector's address (tcp://collector:5556)");
            }
        }
    }

    private static uint StableHash(string text)
    {
        // FNV-1a: string.GetHashCode is randomised per process, which would change the id on every start.
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return hash;
    }
}
