using Flowhive.Hosting;

namespace Flowhive.Probe.Configuration;

/// <summary>The probe's flags, named as nProbe names them so that existing command lines and config files carry over.</summary>
public static class ProbeCommandLine
{
    public static CommandLineParser Create() => new(
        "flowhive-probe",
        "Flowhive probe: captures packets (live interface or pcap/pcapng file), builds bidirectional flows and exports them over ZeroMQ and/or NetFlow v5/v9/IPFIX in nProbe's format.",
        [
            new OptionSpec("interface", 'i', "Capture source: a network interface (eth0, lo) or a pcap/pcapng file; 'none' with -3 to only collect") { ValueName = "if|file|none", Repeatable = true },
            new OptionSpec("collector-templates-dir", null, "With -3: keep NetFlow v9/IPFIX templates and sampling rates in this directory (created if missing) so a restart decodes data that arrives before the next template refresh") { ValueName = "dir" },
            new OptionSpec("collector-port", '3', "Collect NetFlow v5/v9/IPFIX and sFlow v5 from routers on this UDP port (2055, 127.0.0.1:2055 or udp://[::1]:2055) and export the flows like captured ones") { ValueName = "[host:]port" },
            new OptionSpec("zmq", null, "ZeroMQ endpoint to export flows to; binds (tcp://*:5556) unless --zmq-probe-mode") { ValueName = "endpoint", Repeatable = true },
            new OptionSpec("zmq-encryption-key", null, "The collector's CURVE public key (40 Z85 characters, or the 80-hex form ntopng shows): flows are encrypted, this probe is the CURVE client") { ValueName = "key" },
            new OptionSpec("zmq-probe-mode", null, "Connect to a collector that binds (ntopng -i tcp://*:5556c) instead of binding: for probes behind NAT or a firewall"),
            new OptionSpec("zmq-format", null, "ZeroMQ flow payload: t = TLV (what every ntopng reads), j = JSON (ntopng Pro/Enterprise and JSON consumers; community ntopng ignores JSON flows)") { ValueName = "t|j", Default = "t" },
            new OptionSpec("json-labels", null, "With --zmq-format j: field names (IPV4_SRC_ADDR) as JSON keys instead of numbers (8)"),
            new OptionSpec("zmq-msg-version", null, "ZeroMQ message header: 3 = the 28-byte header every ntopng reads (6.2 included); 4 = the 36-byte header with TLV/compression flags that ntopng after 6.2 reads and 6.2 rejects") { ValueName = "3|4", Default = "3" },
            new OptionSpec("zmq-enable-compression", null, "zlib-compress ZeroMQ payloads (nProbe compresses by default; Flowhive does not): flagged in the version-4 header, a leading 0x00 byte before it; TLV needs --zmq-msg-version 4"),
            new OptionSpec("zmq-disable-compression", null, "Send ZeroMQ payloads uncompressed (the default here; accepted so nProbe command lines carry over)"),
            new OptionSpec("collector", 'n', "NetFlow/IPFIX collector over UDP (udp:// prefix optional); several, repeated or comma-separated, share the datagrams round robin; 'none' for no NetFlow") { ValueName = "host:port|none", Default = "none", Repeatable = true },
            new OptionSpec("flow-version", 'V', "NetFlow export version: 5, 9 or 10 (IPFIX)") { ValueName = "5|9|10", Default = "9" },
            new OptionSpec("flow-templ", 'T', "NetFlow v9/IPFIX template: nProbe %FIELD names, or @NTOPNG@; with OUT_BYTES/OUT_PKTS one record carries both directions") { ValueName = "template", Default = Shared.Wire.NetFlow.FlowTemplate.NprobeDefaultText },
            new OptionSpec("netflow-mtu", null, "Largest NetFlow/IPFIX datagram, bytes") { ValueName = "bytes", Default = "1400" },
            new OptionSpec("idle-timeout", 'd', "Export a flow after this many seconds without packets") { ValueName = "seconds", Default = "30" },
            new OptionSpec("lifetime-timeout", 't', "Export long flows in slices of this many seconds") { ValueName = "seconds", Default = "120" },
            new OptionSpec("local-networks", 'L', "Local networks (CIDR list, or a file of them): exported flows are marked ingress or egress (DIRECTION)") { ValueName = "nets|file" },
            new OptionSpec("max-num-flows", null, "Flow table size; when full the least recently seen flow is exported early (counted)") { ValueName = "n", Default = "1048576" },
            new OptionSpec("num-threads", 'O', "Flow worker threads per capture source; flows are dealt to workers by a symmetric hash of the address pair") { ValueName = "n", Default = "1" },
            new OptionSpec("snaplen", 's', "Bytes captured per packet on live interfaces") { ValueName = "bytes", Default = "1600" },
            new OptionSpec("bpf-filter", 'f', "BPF filter for live capture") { ValueName = "filter" },
            new OptionSpec("no-promisc", null, "Do not put live interfaces in promiscuous mode"),
            new OptionSpec("capture-buffer", null, "Kernel capture buffer per interface, MiB") { ValueName = "MiB", Default = "64" },
            new OptionSpec("replay-speed", null, "Pace file replays: 1x follows the file's timestamps (rewritten to the wall clock), 10x is ten times faster, max is unpaced") { ValueName = "1x|10x|max", Default = "max" },
            new OptionSpec("replay-loop", null, "Passes over each capture file; 0 loops forever") { ValueName = "n", Default = "1" },
            new OptionSpec("zmq-wait-collector", null, "For file replays: wait up to this many seconds for a collector to subscribe before reading, so a replay is not lost; 0 does not wait") { ValueName = "seconds", Default = "30" },
            new OptionSpec("zmq-send-hwm", null, "ZeroMQ send queue limit in messages") { ValueName = "n", Default = "100000" },
            new OptionSpec("dump-path", 'P', "Also write finished flows as JSON lines (nProbe labels as keys) into files under this directory (created if missing), one file per --dump-frequency in YYYY/MM/DD/HH/MM.flows; '-' writes to stdout and moves logs to stderr") { ValueName = "dir|-" },
            new OptionSpec("dump-frequency", 'F', "Seconds each dump file collects flows before it is completed (written as .flows.temp, then renamed)") { ValueName = "seconds", Default = "60" },
            new OptionSpec("dump-format", 'D', "Dump file format: only j (JSON lines) in this version") { ValueName = "j", Default = "j" },
            new OptionSpec("dont-nest-dump-dirs", null, "Write dump files directly in --dump-path (YYYYMMDD_HHMMSS.flows) instead of YYYY/MM/DD/HH sub-directories"),
            new OptionSpec("json-to-syslog", null, "Send every finished flow as a JSON syslog message to the local syslog daemon (/dev/log), as nProbe does"),
            new OptionSpec("syslog-flows", null, "Send every finished flow as a JSON syslog message to a server: RFC 5424 over udp://host:514, octet-counted over tcp://host:514, or unix:///path (Flowhive's flag)") { ValueName = "target" },
            new OptionSpec("syslog-facility", null, "Syslog facility of flow messages: a name (local0..local7, user, daemon...) or 0-23") { ValueName = "facility", Default = "local0" },
            new OptionSpec("syslog-severity", null, "Syslog severity of flow messages: a name (info, notice, warning...) or 0-7") { ValueName = "severity", Default = "info" },
            new OptionSpec("syslog-max-message", null, "Largest syslog message in bytes; a flow that needs more is skipped and counted") { ValueName = "bytes", Default = "8192" },
            new OptionSpec("dpi", null, "Deep packet inspection engine naming each flow's application protocol and metadata (L7_PROTO, TLS_SERVER_NAME, HTTP_*, DNS_QUERY, JA3/JA4...): micro (Flowhive's managed engine, fastest), ndpi (the system's libndpi, 280+ protocols; falls back to micro when it cannot load), or none") { ValueName = "micro|ndpi|none", Default = "micro" },
            new OptionSpec("ndpi-protocols", 'p', "Custom protocols file in ntopng's format (host:\"example.com\"@MyApp, ip:10.1.2.3/32@MyApp, tcp:8080@MyApp), for either engine; re-read on SIGHUP") { ValueName = "file" },
            new OptionSpec("ndpi-categories", null, "custom category rules (either engine), nDPI's format: one 'host-or-ip<TAB>category' a line (a category id or name, e.g. 'User custom category 1'); re-read on SIGHUP") { ValueName = "file" },
            new OptionSpec("list-protocols", null, "Print the protocols the installed nDPI knows (id, name, category) and exit"),
            new OptionSpec("source-id", null, "UNIQUE_SOURCE_ID sent with every message (default: derived from host name and endpoints)") { ValueName = "n" },
            new OptionSpec("instance-name", null, "NPROBE_INSTANCE_NAME reported to collectors") { ValueName = "name", Default = "host name" },
            new OptionSpec("verbose", 'b', "0: errors and start-up; 1: traffic statistics every few seconds; 2: debug") { ValueName = "0|1|2", Default = "0" },
            new OptionSpec("help", 'h', "Show this help and exit"),
            new OptionSpec("version", 'v', "Show the version and exit (-V is the NetFlow version, as in nProbe)"),
        ]);
}
