using Flowhive.Collector.Ingest;
using Flowhive.Collector.Node.Tests.Support;
using Flowhive.Probe.Engine.Classification.Micro.Catalog;
using Flowhive.Shared.Cluster;
using Flowhive.Shared.Cluster.Messages;
using Flowhive.Shared.Flows;
using Flowhive.Shared.Net;

namespace Flowhive.Collector.Node.Tests.Ingest;

/// <summary>What an ingest window folds into each host's <see cref="HostProfile"/>: one record at a time, drained per window.</summary>
public sealed class HostProfileFoldingTests
{
    private const string Client = "192.168.1.10";
    private const string Resolver = "192.168.1.1";
    private const string Web = "203.0.113.80";

    private static FlowRecord With(FlowRecord r, ushort master, ushort app, FlowMetadata metadata)
    {
        r.L7Master = master;
        r.L7App = app;
        r.Metadata = metadata;
        return r;
    }

    private static FlowRecord Dns(ushort clientPort, string name, ushort type, byte returnCode, string? answers, bool replied = true) =>
        With(Flows.Record(Client, clientPort, Resolver, 53, 17, 60, 1, replied ? 120UL : 0, replied ? 1UL : 0), NdpiIds.Dns, 0,
            new FlowMetadata { DnsQuery = name, DnsQueryType = type, DnsReturnCode = returnCode, DnsAnswers = answers });

    private static FlowRecord Tls(ushort clientPort, string sni, string? ja4, FlowEndReason reason = FlowEndReason.IdleTimeout) =>
        With(Flows.Record(Client, clientPort, Web, 443, 6, 500, 5, 5000, 6, reason), NdpiIds.Tls, 0,
            new FlowMetadata { TlsServerName = sni, Ja4Client = ja4 });

    private static FlowRecord Http(ushort clientPort, string site, string method, ushort status) =>
        With(Flows.Record(Client, clientPort, Web, 80, 6, 400, 4, 4000, 5), NdpiIds.Http, 0,
            new FlowMetadata { HttpSite = site, HttpMethod = method, HttpReturnCode = status });

    private static Dictionary<string, HostTrafficDelta> Window(IEnumerable<FlowRecord> records, NetworkList? local = null, IngestWindow? window = null)
    {
        window ??= new IngestWindow(local);
        foreach (var record in records)
        {
            window.Fold(record);
        }

        var deltas = new Dictionary<string, HostTrafficDelta>();
        window.Drain(1, "eth0", d => deltas.Add(d.Host.Ip.ToString(), d), _ => { });
        return deltas;
    }

    [Fact]
    public void Dns_queries_count_by_type_and_replies_by_return_code_on_both_sides()
    {
        var hosts = Window([
            Dns(40001, "example.com", DnsCounters.TypeA, 0, "93.184.216.34"),
            Dns(40002, "example.com", DnsCounters.TypeAaaa, 0, "2606:2800:220:1::1"),
            Dns(40003, "example.com", 15, 0, null),
            Dns(40004, "nope.example", DnsCounters.TypeA, 3, null),
            Dns(40005, "lost.example", DnsCounters.TypeA, 0, null, replied: false),
        ]);

        Assert.Equal(new DnsCounters(3, 1, 1, 3, 1), hosts[Client].Profile!.Apps.DnsAsClient);
        Assert.Equal(new DnsCounters(3, 1, 1, 3, 1), hosts[Resolver].Profile!.Apps.DnsAsServer);
        Assert.True(hosts[Client].Profile!.Apps.DnsAsServer.IsEmpty);
        Assert.Equal(5, hosts[Client].Profile!.Apps.DnsAsClient.Queries);
    }

    [Fact]
    public void A_dns_answer_names_the_answered_host_when_it_shows_up_even_a_window_later()
    {
        var window = new IngestWindow();
        var first = Window([Dns(40001, "www.example.com", DnsCounters.TypeA, 0, "203.0.113.80, 203.0.113.81")], window: window);
        Assert.False(first.ContainsKey(Web)); // the answered hosts sent nothing yet

        var second = Window([Tls(50000, "www.example.com", null), Flows.Record(Client, 50001, "203.0.113.81", 22, 6, 1, 1, 1, 1)], window: window);

        Assert.Equal("www.example.com", second[Web].Profile!.Names.Resolved);
        Assert.Equal("www.example.com", second["203.0.113.81"].Profile!.Names.Resolved);
        Assert.Null(second[Client].Profile!.Names.Resolved);

        // Delivered once: the next window's delta does not carry it again.
        var third = Window([Flows.Record(Client, 50002, Web, 443, 6, 1, 1, 1, 1)], window: window);
        Assert.Null(third[Web].Profile!.Names.Resolved);
    }

    [Fact]
    public void Dns_answers_beyond_the_pending_bound_are_forgotten_and_counted()
    {
        var window = new IngestWindow();
        var answers = Enumerable.Range(0, HostProfileWindow.MaxPendingNames + 10)
            .Select(i => Dns(40001, "many.example", DnsCounters.TypeA, 0, $"10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}"));

        Window(answers, window: window);

        Assert.Equal(HostProfileWindow.MaxPendingNames, window.TakeDnsNamesDropped());
        Assert.Equal(0, window.TakeDnsNamesDropped());
        var later = Window([Flows.Record(Client, 50000, "10.1.0.5", 443, 6, 1, 1, 1, 1)], window: window); // answered after the reset
        Assert.Equal("many.example", later["10.1.0.5"].Profile!.Names.Resolved);
    }

    [Fact]
    public void Tls_and_http_name_the_server_and_count_sni_flows_fingerprints_and_http_on_both_sides()
    {
        const string Ja4 = "t13d1516h2_8daaf6152771_02713d6af862";
        var hosts = Window([
            Tls(50000, "www.example.com", Ja4),
            Tls(50001, "api.example.com", Ja4),
            Http(50002, "plain.example.com", "GET", 200),
            Http(50003, "plain.example.com", "POST", 404),
            Http(50004, "plain.example.com", "DELETE", 503),
        ]);

        var client = hosts[Client].Profile!;
        var server = hosts[Web].Profile!;
        Assert.Equal("api.example.com", server.Names.Tls); // the latest
        Assert.Equal("plain.example.com", server.Names.Http);
        Assert.Null(client.Names.Tls);
        Assert.Equal((2L, 2L), (client.Apps.SniFlowsAsClient, server.Apps.SniFlowsAsServer));
        Assert.Equal(new TopCounts<string>([new(Ja4, 2)], 0), client.Ja4);
        Assert.True(server.Ja4.IsEmpty);
        var expected = new HttpCounters(Get: 1, Post: 1, Head: 0, Put: 0, OtherMethod: 1, 0, Status2xx: 1, 0, Status4xx: 1, Status5xx: 1);
        Assert.Equal(expected, client.Apps.HttpAsClient);
        Assert.Equal(expected, server.Apps.HttpAsServer);
    }

    [Fact]
    public void Hassh_goes_to_each_side_and_dhcp_mdns_netbios_names_to_the_client_by_protocol()
    {
        var ssh = With(Flows.Record(Client, 50000, "198.51.100.22", 22, 6, 1, 1, 1, 1), NdpiIds.Ssh, 0,
            new FlowMetadata { HasshClient = "ec7378c1a92f5a8dde7e8b7a1ddf33d1", HasshServer = "b12d2871a1189eff20364cf5333619ee" });
        var discover = With(Flows.Record("0.0.0.0", 68, "255.255.255.255", 67, 17, 300, 1, 0, 0), NdpiIds.Dhcp, 0, new FlowMetadata { HostName = "laptop" });
        var renew = With(Flows.Record(Client, 68, Resolver, 67, 17, 300, 1, 300, 1), NdpiIds.Dhcp, 0, new FlowMetadata { HostName = "laptop" });
        var mdns = With(Flows.Record(Client, 5353, "224.0.0.251", 5353, 17, 80, 1, 0, 0), NdpiIds.Mdns, 0, new FlowMetadata { HostName = "laptop.local" });
        var netbios = With(Flows.Record(Client, 137, "192.168.1.255", 137, 17, 80, 1, 0, 0), NdpiIds.NetBios, 0, new FlowMetadata { HostName = "LAPTOP" });

        var hosts = Window([ssh, discover, renew, mdns, netbios]);

        Assert.Equal("ec7378c1a92f5a8dde7e8b7a1ddf33d1", Assert.Single(hosts[Client].Profile!.Hassh.Items).Key);
        Assert.Equal("b12d2871a1189eff20364cf5333619ee", Assert.Single(hosts["198.51.100.22"].Profile!.Hassh.Items).Key);
        Assert.True(hosts["0.0.0.0"].Profile!.Names.IsEmpty); // a client without an address yet is no host to name
        Assert.Equal(new HostNames(null, "laptop", "laptop.local", "LAPTOP", null, null), hosts[Client].Profile!.Names);
        Assert.Equal("laptop", hosts[Client].Profile!.Names.Best);
        Assert.True(hosts["224.0.0.251"].Profile!.Names.IsEmpty);
    }

    [Fact]
    public void Active_flows_ports_and_peers_count_per_side_and_a_continued_slice_adds_no_flow()
    {
        var slice = Flows.Record(Client, 50000, Web, 443, 6, 1, 1, 1, 1, FlowEndReason.ActiveTimeout);
        var rest = Flows.Record(Client, 50000, Web, 443, 6, 1, 1, 1, 1, FlowEndReason.EndOfFlow, Flows.T0 + 2_000_000, Flows.T0 + 3_000_000);
        var records = new List<FlowRecord> { slice, rest };
        for (var i = 0; i < 30; i++)
        {
            records.Add(Flows.Record(Client, (ushort)(51000 + i), $"198.51.100.{i + 1}", 53, 17, 1, 1, 1, 1, FlowEndReason.ActiveTimeout));
        }

        records.Add(Flows.Record(Client, 1, Web, 0, 1, 1, 1, 1, 1)); // ICMP: a peer, no port

        var hosts = Window(records);
        var client = hosts[Client].Profile!;

        Assert.Equal((31, 0), (client.ActiveFlowsAsClient, client.ActiveFlowsAsServer));
        Assert.Equal(1, hosts[Web].Profile!.ActiveFlowsAsServer);
        Assert.Equal([new(HostProfile.PortKey(17, 53), 30L), new(HostProfile.PortKey(6, 443), 1L)], client.ContactedPorts.Items.OrderByDescending(c => c.Count));
        Assert.Equal([new(HostProfile.PortKey(6, 443), 1L)], hosts[Web].Profile!.ServedPorts.Items);
        Assert.InRange(client.PeersAsClient.Estimate(), 29, 33); // 31 distinct servers
        Assert.True(client.PeersAsServer.IsEmpty);
        Assert.Equal(1, hosts[Web].Profile!.PeersAsServer.Estimate());
    }

    [Fact]
    public void A_port_scan_keeps_a_window_list_at_the_message_bound_and_counts_the_rest()
    {
        var scan = Enumerable.Range(1, 1000).Select(p => Flows.Record(Client, 40000, Web, (ushort)p, 6, 60, 1, 0, 0));

        var ports = Window(scan)[Client].Profile!.ContactedPorts;

        Assert.Equal(TopCounts<uint>.MaxPerMessage, ports.Items.Count);
        Assert.Equal(1000 - TopCounts<uint>.MaxPerMessage, ports.Other);
        Assert.Equal(1000, ports.Total);
    }

    [Fact]
    public void Only_local_hosts_get_visited_sites_from_sni_or_http_host()
    {
        var local = NetworkList.Parse("192.168.1.0/24");
        var remoteClient = With(Flows.Record("198.51.100.7", 50000, Web, 443, 6, 1, 1, 1, 1), NdpiIds.Tls, 0, new FlowMetadata { TlsServerName = "www.example.com" });

        var hosts = Window([Tls(50000, "www.example.com", null), Tls(50001, "www.example.com", null), Http(50002, "plain.example.com", "GET", 200), remoteClient], local);

        var sites = hosts[Client].Profile!.Sites;
        Assert.Equal([new("www.example.com", 2L), new("plain.example.com", 1L)], sites.Items.OrderByDescending(c => c.Count));
        Assert.Equal(Flows.T0 + 1_000_000, hosts[Client].Profile!.SitesAtUs);
        Assert.True(hosts["198.51.100.7"].Profile!.Sites.IsEmpty);
    }

    [Fact]
    public void Names_longer_than_a_dns_name_can_be_are_not_kept()
    {
        var junk = new string('a', HostNames.MaxLength + 1);

        var hosts = Window([Tls(50000, junk, junk)], NetworkList.Parse("192.168.1.0/24"));

        Assert.Null(hosts[Web].Profile!.Names.Tls);
        Assert.True(hosts[Client].Profile!.Ja4.IsEmpty);
        Assert.True(hosts[Client].Profile!.Sites.IsEmpty);
        Assert.Equal(0, hosts[Client].Profile!.Apps.SniFlowsAsClient);
    }

    [Fact]
    public void Folding_records_with_metadata_allocates_nothing_once_the_window_has_grown()
    {
        var window = new IngestWindow(NetworkList.Parse("192.168.1.0/24"));
        FlowRecord[] records =
        [
            Dns(40001, "www.example.com", DnsCounters.TypeA, 0, "203.0.113.80,2001:db8::1"),
            Tls(50000, "www.example.com", "t13d1516h2_8daaf6152771_02713d6af862", FlowEndReason.ActiveTimeout),
            Http(50002, "plain.example.com", "GET", 200),
            With(Flows.Record(Client, 50003, "198.51.100.22", 22, 6, 1, 1, 1, 1), NdpiIds.Ssh, 0, new FlowMetadata { HasshClient = "ec7378c1a92f5a8dde7e8b7a1ddf33d1" }),
        ];

        void FoldAll()
        {
            foreach (ref readonly var record in records.AsSpan())
            {
                window.Fold(record);
            }
        }

        // A first window as long as the measured one grows the reused dictionaries and lists (the active-flow list
        // gets a flow per record) to their size; draining keeps their capacity.
        for (var i = 0; i < 101; i++)
        {
            FoldAll();
        }

        window.Drain(1, "eth0", _ => { }, _ => { });
        FoldAll();
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            FoldAll();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
