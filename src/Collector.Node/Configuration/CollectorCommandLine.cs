using Flowhive.Hosting;

namespace Flowhive.Collector.Configuration;

/// <summary>The collector's flags, named as ntopng names them so that existing command lines and config files carry over.</summary>
public static class CollectorCommandLine
{
    public static CommandLineParser Create() => new(
        "flowhive-collector",
        "Flowhive collector: an Akka.NET cluster node that collects flows from probes over ZeroMQ, from routers over NetFlow/IPFIX/sFlow (or captures itself), keeps host and interface state, stores time series and serves the web UI and REST API.",
        [
            new OptionSpec("interface", 'i', "Flow source: tcp://probe:5556 (connect to a probe), tcp://*:5556c (bind; probes use --zmq-probe-mode), label@endpoint, comma lists; udp://*:2055 (listen for NetFlow v5/v9/IPFIX and sFlow v5 from routers and exporters, as nProbe's -3/--collector-port; udp://127.0.0.1:2055 binds one address); or a pcap/pcapng file or network interface captured in-process") { ValueName = "source", Repeatable = true },
            new OptionSpec("zmq-encryption", null, "Encrypt ZeroMQ with CURVE, this collector as server; the key pair is zmq-key.pub/zmq-key.priv in the data directory (generated when missing); probes need the public key (--zmq-encryption-key)"),
            new OptionSpec("zmq-encryption-key-priv", null, "The CURVE secret key to use (40 Z85 characters or hex); implies --zmq-encryption") { ValueName = "key" },
            new OptionSpec("http-port", 'w', "HTTP port for the web UI and API, [address:]port; ':port' binds loopback only") { ValueName = "[addr:]port", Default = "3000" },
            new OptionSpec("data-dir", 'd', "Data directory (embedded store, keys, NetFlow/IPFIX templates kept across restarts)") { ValueName = "path", Default = "/var/lib/flowhive" },
            new OptionSpec("dump-flows", 'F', "Store: 'sqlite' (embedded, in the data directory), 'sqlite;/path/file.db', 'postgresql;<Npgsql connection string>', 'timescaledb;<connection string>' or postgresql://user:pass@host:port/db") { ValueName = "spec", Default = "sqlite" },
            new OptionSpec("flush-interval", null, "How often state is written to the store") { ValueName = "seconds", Default = "60" },
            new OptionSpec("checkpoint-interval", null, "How often a changed host or interface saves its state to the store, so it survives the loss of its node (a SIGKILL loses at most this much); needs one store all state nodes share (PostgreSQL) in a cluster; 0 turns checkpoints off (state then starts over on restart)") { ValueName = "seconds", Default = "5" },
            new OptionSpec("cluster-host", null, "Address this node's cluster endpoint binds and advertises") { ValueName = "host", Default = "127.0.0.1" },
            new OptionSpec("cluster-port", null, "Cluster port; 0 picks a free one (fine for a single node)") { ValueName = "port", Default = "0" },
            new OptionSpec("cluster-public-host", null, "Host name or address other nodes use to reach this one, when it differs from --cluster-host (e.g. a pod's DNS name while binding 0.0.0.0)") { ValueName = "host" },
            new OptionSpec("seed-nodes", null, "Comma-separated seed nodes, host:port or akka.tcp://flowhive@host:port (also from FLOWHIVE_SEED_NODES); none = this node forms its own cluster") { ValueName = "list" },
            new OptionSpec("cluster-roles", null, "This node's roles: ingest (ZMQ/NetFlow/capture), state (sharded host and interface entities), api (web UI and REST API), writer (store); comma list or all") { ValueName = "roles", Default = "all" },
            new OptionSpec("replay-speed", null, "Pace capture files given to -i: 1x follows the file's timestamps, max is unpaced") { ValueName = "1x|10x|max", Default = "max" },
            new OptionSpec("replay-loop", null, "Passes over capture files given to -i; 0 loops forever") { ValueName = "n", Default = "1" },
            new OptionSpec("local-networks", 'm', "Local networks, as ntopng's -m: comma list of CIDRs, each optionally =alias (192.168.1.0/24=LAN,2001:db8::/32), or a file of such lists; hosts inside are local, and interface traffic is split local/remote") { ValueName = "list|file" },
            new OptionSpec("active-flow-timeout", null, "How long a flow stays in the active flow list after its last update") { ValueName = "seconds", Default = "60" },
            new OptionSpec("shutdown-when-done", null, "Exit once every capture file given to -i has been processed and stored"),
            new OptionSpec("verbose", 'v', "Log level 0 (errors) to 6 (debug)") { ValueName = "0..6", Default = "2" },
            new OptionSpec("help", 'h', "Show this help and exit"),
            new OptionSpec("version", 'V', "Show the version and exit"),
        ]);
}
