using System.Globalization;
using Flowhive.Hosting;
using Flowhive.Probe.Engine.Capture;
using Flowhive.Probe.Engine.Flows;
using Flowhive.Shared.Net;

namespace Flowhive.Collector.Configuration;

/// <summary>The collector's validated settings. Everything a flag can get wrong is reported here, before anything starts.</summary>
public sealed record CollectorOptions
{
    public required IReadOnlyList<CollectorInterface> Interfaces { get; init; }
    public string HttpAddress { get; init; } = "0.0.0.0";
    public int HttpPort { get; init; } = 3000;
    public required string DataDirectory { get; init; }
    public string? StoreSpec { get; init; }
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromSeconds(60);
    public string ClusterHost { get; init; } = "127.0.0.1";
    public int ClusterPort { get; init; }
    public IReadOnlyList<string> SeedNodes { get; init; } = [];

    /// <summary>The host name other nodes reach this one by, when it differs from the bind address (a pod's DNS name).</summary>
    public string? ClusterPublicHost { get; init; }

    /// <summary>This node's jobs (<see cref="ClusterRoles"/>); all of them by default.</summary>
    public IReadOnlyList<string> Roles { get; init; } = ClusterRoles.All;

    public bool HasRole(string role) => Roles.Contains(role, StringComparer.Ordinal);
    public required ReplayOptions Replay { get; init; }
    public FlowTableOptions FlowTable { get; init; } = new();
    public LiveCaptureOptions Live { get; init; } = new();
    public TimeSpan ActiveFlowTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>ntopng's <c>-m</c>: the networks whose hosts are local.</summary>
    public NetworkList LocalNetworks { get; init; } = NetworkList.Empty;
    public TimeSpan HostPassivation { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How often changed entities save their state (<see cref="Actors.CheckpointActor"/>); zero: never, and they never load one.</summary>
    public TimeSpan CheckpointInterval { get; init; } = TimeSpan.FromSeconds(5);
    public bool ShutdownWhenDone { get; init; }

    /// <summary>ntopng's <c>--zmq-encryption</c>: CURVE on every ZeroMQ interface.</summary>
    public bool ZmqEncryption { get; init; }

    /// <summary>ntopng's <c>--zmq-encryption-key-priv</c>: the secret key, instead of the one in the data directory.</summary>
    public string? ZmqSecretKey { get; init; }
    public int Verbosity { get; init; } = 2;

    public static CollectorOptions From(ParsedOptions o)
    {
        var roles = ClusterRoles.Parse(o.Get("cluster-roles"));
        var interfaces = o.GetAll("interface").Select((value, index) => CollectorInterface.Parse(index, value)).ToList();
        if (interfaces.Count == 0 && roles.Contains(ClusterRoles.Ingest, StringComparer.Ordinal))
        {
            throw new CommandLineException("no flow source: give -i tcp://probe:5556, -i tcp://*:5556c, or -i <file.pcap|interface>");
        }

        var (address, port) = ParseHttp(o.Get("http-port") ?? "3000");
        var speedText = o.Get("replay-speed") ?? "max";
        if (!ReplayOptions.TryParseSpeed(speedText, out var speed))
        {
            throw new CommandLineException($"--replay-speed: '{speedText}' is not a speed like 1x, 10x, 0.5x or max");
        }

        if (interfaces.Count > 0 && !roles.Contains(ClusterRoles.Ingest, StringComparer.Ordinal))
        {
            throw new CommandLineException("-i: flow sources need the ingest role (--cluster-roles ... ,ingest)");
        }

        var seeds = SeedNodeList.Parse(o.Get("seed-nodes") ?? Environment.GetEnvironmentVariable(SeedNodeList.EnvironmentVariable));

        var dataDir = o.Get("data-dir") ?? "/var/lib/flowhive";
        if (string.IsNullOrWhiteSpace(dataDir))
        {
            throw new CommandLineException("-d: empty data directory");
        }

        return new CollectorOptions
        {
            Interfaces = interfaces,
            HttpAddress = address,
            HttpPort = port,
            DataDirectory = Path.GetFullPath(dataDir),
            StoreSpec = o.Get("dump-flows"),
            FlushInterval = o.GetDuration("flush-interval", TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(100), TimeSpan.FromHours(1)),
            CheckpointInterval = o.GetDuration("checkpoint-interval", TimeSpan.FromSeconds(5), TimeSpan.Zero, TimeSpan.FromHours(1)),
            ClusterHost = o.Get("cluster-host") ?? "127.0.0.1",
            ClusterPort = o.GetInt("cluster-port", 0, 0, 65535),
            SeedNodes = seeds,
            ClusterPublicHost = o.Get("cluster-public-host"),
            Roles = roles,
            Replay = new ReplayOptions { Speed = speed, Loops = o.GetInt("replay-loop", 1, 0, int.MaxValue) },
            ActiveFlowTimeout = o.GetDuration("active-flow-timeout", TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(1), TimeSpan.FromDays(1)),
            LocalNetworks = ParseLocalNetworks(o.Get("local-networks")),
            ShutdownWhenDone = o.GetFlag("shutdown-when-done"),
            ZmqEncryption = o.GetFlag("zmq-encryption") || o.Has("zmq-encryption-key-priv"),
            ZmqSecretKey = o.Get("zmq-encryption-key-priv"),
            Verbosity = o.GetInt("verbose", 2, 0, 6),
        };
    }

    /// <summary>ntopng's <c>-w</c>: "3000", ":3000" (loopback only), "10.0.0.1:3000". ntopng's "0" (no HTTP) is refused: the API is how this node is read.</summary>
    private static (string Address, int Port) ParseHttp(string value)
    {
        var colon = value.LastIndexOf(':');
        var address = colon < 0 ? "0.0.0.0" : colon == 0 ? "127.0.0.1" : value[..colon].Trim('[', ']');
        var portText = colon < 0 ? value : value[(colon + 1)..];
        if (!int.TryParse(portText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw new CommandLineException($"-w: '{value}' is not [address:]port with a port between 1 and 65535");
        }

        if (colon > 0 && !System.Net.IPAddress.TryParse(address, out _) && address != "localhost")
        {
            throw new CommandLineException($"-w: '{address}' is not an IP address");
        }

        return (address, port);
    }

    private static NetworkList ParseLocalNetworks(string? value)
    {
        try
        {
            return value is null ? NetworkList.Empty : NetworkList.Parse(value);
        }
        catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
        {
            throw new CommandLineException($"-m/--local-networks: {e.Message}");
        }
    }
}
