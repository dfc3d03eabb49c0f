using Flowhive.Probe.Engine.Classification.Micro.Catalog;
using Flowhive.Shared.Cluster.Messages;
using Flowhive.Shared.Net;

namespace Flowhive.Collector.Apis;

/// <summary>The API's JSON shapes (snake_case on the wire). Times are epoch seconds, as ntopng reports them.</summary>
public static class ApiJson
{
    public static double Seconds(long us) => us / 1e6;

    public static object Host(HostSummary h, NetworkList localNetworks) => new
    {
        key = h.Host.NtopngName,
        ip = h.Host.Ip.ToString(),
        vlan = h.Host.Vlan,
        mac = h.Mac == 0 ? null : MacAddr.Format(h.Mac),
        localhost = localNetworks.Contains(h.Host.Ip),
        bytes_sent = h.Totals.BytesSent,
        bytes_rcvd = h.Totals.BytesRcvd,
        bytes_total = h.Totals.TotalBytes,
        packets_sent = h.Totals.PacketsSent,
        packets_rcvd = h.Totals.PacketsRcvd,
        packets_total = h.Totals.TotalPackets,
        flows_as_client = h.Totals.FlowsAsClient,
        flows_as_server = h.Totals.FlowsAsServer,
        first_seen = Seconds(h.FirstSeenUs),
        last_seen = Seconds(h.LastSeenUs),
        throughput_bps = h.ThroughputBps,
    };

    /// <summary>
    /// ntopng's host details. A map rather than an anonymous type: several of ntopng's keys have dots in them
    /// ("flows.as_client", "sites.old"); the profile's keys are added by <see cref="HostProfileJson"/>.
    /// </summary>
    public static Dictionary<string, object?> HostDetails(HostDetails h, NetworkList localNetworks)
    {
        var local = localNetworks.IndexOf(h.Host.Ip);
        var map = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["key"] = h.Host.NtopngName,
            ["localhost"] = local >= 0,
            ["local_network_id"] = local,
            ["local_network_name"] = local >= 0 ? localNetworks.NameAt(local) : null,
            ["ip"] = h.Host.Ip.ToString(),
            ["vlan"] = h.Host.Vlan,
            ["ifid"] = h.Host.IfId,
            ["mac"] = h.Mac == 0 ? null : MacAddr.Format(h.Mac),
            ["ip_version"] = h.Host.Ip.IsV4 ? 4 : 6,
            ["bytes_sent"] = h.Totals.BytesSent,
            ["bytes_rcvd"] = h.Totals.BytesRcvd,
            ["packets_sent"] = h.Totals.PacketsSent,
            ["packets_rcvd"] = h.Totals.PacketsRcvd,
            ["flows_as_client"] = h.Totals.FlowsAsClient,
            ["flows_as_server"] = h.Totals.FlowsAsServer,
            ["flows.as_client"] = h.Totals.FlowsAsClient,
            ["flows.as_server"] = h.Totals.FlowsAsServer,
            ["first_seen"] = Seconds(h.FirstSeenUs),
            ["last_seen"] = Seconds(h.LastSeenUs),
            ["ndpi"] = L7ByProtocol(h.L7),
            ["ndpi_categories"] = L7ByCategory(h.L7),
        };
        HostProfileJson.AddTo(map, h.Profile ?? HostProfile.Empty, h.Host.Ip.ToString());
        return map;
    }

    /// <summary>ntopng's "localstats" of an interface: bytes local to local, local to remote, and so on (<c>-m</c>).</summary>
    public static object LocalStats(LocalTraffic t) => new Dictionary<string, object>
    {
        ["bytes"] = new Dictionary<string, long>
        {
            ["local2local"] = t.LocalToLocal,
            ["local2remote"] = t.LocalToRemote,
            ["remote2local"] = t.RemoteToLocal,
            ["remote2remote"] = t.RemoteToRemote,
        },
    };

    /// <summary>
    /// ntopng's "ndpi" map (host and interface JSON): nDPI protocol name to bytes sent and received and flows.
    /// Protocols outside nDPI's table (custom ids from a probe's -p file) appear by number.
    /// </summary>
    public static Dictionary<string, object> L7ByProtocol(IReadOnlyList<L7Counters> l7)
    {
        var map = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var group in l7.GroupBy(c => c.Protocol).OrderByDescending(g => g.Sum(c => c.Bytes)))
        {
            map[ProtocolName(group.Key)] = new Dictionary<string, long>
            {
                ["bytes.sent"] = group.Sum(c => c.BytesSent),
                ["bytes.rcvd"] = group.Sum(c => c.BytesRcvd),
                ["num_flows"] = group.Sum(c => c.Flows),
                ["id"] = group.Key,
            };
        }

        return map;
    }

    /// <summary>ntopng's "ndpi_categories" map: category name to bytes (total, sent, received) and its id.</summary>
    public static Dictionary<string, object> L7ByCategory(IReadOnlyList<L7Counters> l7)
    {
        var catalog = ProtocolCatalog.Ndpi42;
        var map = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var group in l7.GroupBy(c => c.Category).OrderByDescending(g => g.Sum(c => c.Bytes)))
        {
            map[catalog.CategoryName(group.Key)] = new Dictionary<string, long>
            {
                ["bytes"] = group.Sum(c => c.Bytes),
                ["bytes.sent"] = group.Sum(c => c.BytesSent),
                ["bytes.rcvd"] = group.Sum(c => c.BytesRcvd),
                ["category"] = group.Key,
            };
        }

        return map;
    }

    private static string ProtocolName(ushort id) =>
        ProtocolCatalog.Ndpi42.TryGet(id, out var info) ? info.Name : id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static object Flow(ActiveFlow f) => new
    {
        client = new { ip = f.Client.ToString(), port = f.ClientPort },
        server = new { ip = f.Server.ToString(), port = f.ServerPort },
        protocol = new { l4 = L4Name(f.Protocol), l4_id = f.Protocol, l7_master = f.L7Master, l7_app = f.L7App },
        vlan = f.Vlan,
        bytes = f.BytesCliToSrv + f.BytesSrvToCli,
        packets = f.PacketsCliToSrv + f.PacketsSrvToCli,
        breakdown = new
        {
            cli2srv_bytes = f.BytesCliToSrv,
            srv2cli_bytes = f.BytesSrvToCli,
            cli2srv_packets = f.PacketsCliToSrv,
            srv2cli_packets = f.PacketsSrvToCli,
        },
        first_seen = Seconds(f.FirstSeenUs),
        last_seen = Seconds(f.LastSeenUs),
        duration = Math.Max(0, (f.LastSeenUs - f.FirstSeenUs) / 1e6),
        info = f.Info,
    };

    public static string L4Name(byte protocol) => protocol switch
    {
        1 => "ICMP",
        2 => "IGMP",
        6 => "TCP",
        17 => "UDP",
        41 => "IPv6",
        47 => "GRE",
        50 => "ESP",
        51 => "AH",
        58 => "ICMPv6",
        89 => "OSPF",
        132 => "SCTP",
        _ => protocol.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
