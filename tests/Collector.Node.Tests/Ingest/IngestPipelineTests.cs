using Akka.TestKit;
using Flowhive.Collector.Ingest;
using Flowhive.Collector.Node.Tests.Support;
using Flowhive.Probe.Engine.Classification.Micro.Catalog;
using Flowhive.Shared.Cluster;
using Flowhive.Shared.Cluster.Messages;
using Flowhive.Shared.Flows;
using Flowhive.Shared.Net;
using Xunit.Abstractions;

namespace Flowhive.Collector.Node.Tests.Ingest;

/// <summary>
/// The ingest pipeline with TestKit probes standing in for the two shard regions. Windows are time-based (250 ms),
/// so the assertions hold however the input falls into windows: per-window rules are checked on every window, and
/// totals are summed over all of them.
/// </summary>
public sealed class IngestPipelineTests(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit(output: output)
{
    private const int IfId = 2;
    private const string IfName = "eth-test";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private sealed record Ingested(List<HostTrafficDelta> Hosts, List<InterfaceTrafficDelta> Parts, IngestCounters Counters)
    {
        /// <summary>The parts grouped by window: a window's first part carries its totals (every test record has bytes).</summary>
        public List<List<InterfaceTrafficDelta>> Windows()
        {
            var windows = new List<List<InterfaceTrafficDelta>>();
            foreach (var part in Parts)
            {
                if (part.Bytes > 0 || windows.Count == 0)
                {
                    windows.Add([]);
                }

                windows[^1].Add(part);
            }

            return windows;
        }

        public Dictionary<HostKey, HostCounters> HostTotals() =>
            Hosts.GroupBy(h => h.Host).ToDictionary(g => g.Key, g => g.Aggregate(default(HostCounters), (sum, h) => sum + h.Delta));
    }

    private static List<T> Drain<T>(TestProbe probe)
    {
        // Everything was told before Completion finished; the test actor queues messages as they are told.
        var messages = new List<T>();
        while (probe.HasMessages)
        {
            messages.Add(Assert.IsType<T>(probe.ReceiveOne(TimeSpan.Zero)));
        }

        return messages;
    }

    private Ingested Ingest(IEnumerable<FlowRecord> records, NetworkList? localNetworks = null)
    {
        var hostRegion = CreateTestProbe();
        var interfaceRegion = CreateTestProbe();
        var pool = new FlowBatchPool();
        var counters = new IngestCounters();
        using var pipeline = new IngestPipeline(IfId, IfName, hostRegion, interfaceRegion, counters, pool, localNetworks: localNetworks);
        foreach (var batch in Flows.Batches(pool, records))
        {
            pipeline.Enqueue(batch);
        }

        pipeline.Complete();
        pipeline.Start();
        Assert.True(pipeline.Completion.Wait(Deadline), "the pipeline did not drain");
        var output = new Ingested(Drain<HostTrafficDelta>(hostRegion), Drain<InterfaceTrafficDelta>(interfaceRegion), counters);
        AssertWindowRules(output);
        return output;
    }

    /// <summary>What every window must satisfy: one delta per host, totals on the first part only, parts within limits and as few as the limits allow.</summary>
    private static void AssertWindowRules(Ingested output)
    {
        foreach (var window in output.Windows())
        {
            var hosts = window.SelectMany(p => p.Hosts).ToList();
            var flows = window.Sum(p => p.FlowUpdates.Count);
            Assert.Equal(hosts.Count, hosts.Select(h => (h.Vlan, h.Ip)).Distinct().Count());
            Assert.All(window.Skip(1), p => Assert.Equal((0L, 0L, 0L), (p.Bytes, p.Packets, p.Flows)));
            Assert.All(window, p =>
            {
                Assert.Equal((IfId, IfName), (p.IfId, p.IfName));
                Assert.InRange(p.Hosts.Count, 0, InterfaceTrafficDelta.MaxHostsPerMessage);
                Assert.InRange(p.FlowUpdates.Count, 0, InterfaceTrafficDelta.MaxFlowsPerMessage);
            });
            var parts = Math.Max(1, Math.Max(Chunks(hosts.Count, InterfaceTrafficDelta.MaxHostsPerMessage), Chunks(flows, InterfaceTrafficDelta.MaxFlowsPerMessage)));
            Assert.Equal(parts, window.Count);
        }

        // The host regions get exactly the deltas the interface's host index gets.
        var index = output.Parts.SelectMany(p => p.Hosts)
            .Select(h => new HostTrafficDelta(new HostKey(IfId, h.Vlan, h.Ip), h.Mac, h.FirstSeenUs, h.LastSeenUs, h.Delta).ToString())
            .Order(StringComparer.Ordinal);
        var sent = output.Hosts.Select(h => (h with { L7 = [], Profile = null }).ToString()).Order(StringComparer.Ordinal);
        Assert.Equal(index, sent);

        // Every host's protocol split adds up to its bytes and new flows; the interface's to the window's bytes and flows.
        Assert.All(output.Hosts, h =>
        {
            Assert.Equal((h.Delta.BytesSent, h.Delta.BytesRcvd), (h.L7.Sum(c => c.BytesSent), h.L7.Sum(c => c.BytesRcvd)));
            Assert.Equal(h.Delta.FlowsAsClient + h.Delta.FlowsAsServer, h.L7.Sum(c => c.Flows));
        });
        Assert.Equal(output.Parts.Sum(p => p.Bytes), output.Parts.Sum(p => p.L7.Sum(c => c.Bytes)));
        Assert.Equal(output.Parts.Sum(p => p.Flows), output.Parts.Sum(p => p.L7.Sum(c => c.Flows)));
    }

    private static int Chunks(int count, int size) => (count + size - 1) / size;

    [Fact]
    public void Hosts_get_their_side_of_each_flow_and_a_sliced_flow_counts_once()
    {
        const string a = "192.168.1.10", b = "192.168.1.20", s = "203.0.113.5";
        const ulong macA = 0x0200_0000_000A, macB = 0x0200_0000_000B, macS = 0x0200_0000_0005;
        var t = Flows.T0;
        // A long flow exported in two slices (lifetime timeout, then idle), then a new flow on the same 5-tuple.
        var slice1 = Flows.Record(a, 40000, s, 443, 6, 100, 2, 1000, 3, FlowEndReason.ActiveTimeout, t, t + 120_000_000, macA, macS);
        var slice2 = Flows.Record(a, 40000, s, 443, 6, 50, 1, 500, 1, FlowEndReason.IdleTimeout, t + 120_000_000, t + 150_000_000, 0, macS);
        var again = Flows.Record(a, 40000, s, 443, 6, 10, 1, 20, 1, FlowEndReason.EndOfFlow, t + 200_000_000, t + 201_000_000, macA, macS);
        var dns = Flows.Record(b, 5353, s, 53, 17, 70, 1, 140, 1, FlowEndReason.IdleTimeout, t + 5_000_000, t + 6_000_000, macB, macS);
        var ssh = Flows.Record(a, 50000, b, 22, 6, 300, 4, 400, 5, FlowEndReason.EndOfFlow, t - 1_000_000, t + 10_000_000, macA, macB);
        FlowRecord[] records = [slice1, slice2, again, dns, ssh];

        var output = Ingest(records);

        // Client: In is what it sent, Out what it received; the server the mirror. slice1 + slice2 are one flow.
        var expected = new Dictionary<HostKey, HostCounters>
        {
            [new HostKey(IfId, 0, IpAddr.Parse(a))] = new(
                BytesSent: 100 + 50 + 10 + 300, BytesRcvd: 1000 + 500 + 20 + 400, PacketsSent: 2 + 1 + 1 + 4, PacketsRcvd: 3 + 1 + 1 + 5,
                FlowsAsClient: 3, FlowsAsServer: 0),
            [new HostKey(IfId, 0, IpAddr.Parse(s))] = new(
                BytesSent: 1000 + 500 + 20 + 140, BytesRcvd: 100 + 50 + 10 + 70, PacketsSent: 3 + 1 + 1 + 1, PacketsRcvd: 2 + 1 + 1 + 1,
                FlowsAsClient: 0, FlowsAsServer: 3),
            [new HostKey(IfId, 0, IpAddr.Parse(b))] = new(
                BytesSent: 70 + 400, BytesRcvd: 140 + 300, PacketsSent: 1 + 5, PacketsRcvd: 1 + 4, FlowsAsClient: 1, FlowsAsServer: 1),
        };
        Assert.Equal(expected, output.HostTotals());

        var hostA = output.Hosts.Where(h => h.Host.Ip == IpAddr.Parse(a)).ToList();
        Assert.Equal(macA, hostA[^1].Mac);
        Assert.Equal(ssh.FirstSwitchedUs, hostA.Min(h => h.FirstSeenUs));
        Assert.Equal(again.LastSwitchedUs, hostA.Max(h => h.LastSeenUs));
        Assert.All(output.Hosts, h => Assert.Equal(IfId, h.Host.IfId));

        Assert.Equal(records.Sum(r => (long)r.TotalBytes), output.Parts.Sum(p => p.Bytes));
        Assert.Equal(records.Sum(r => (long)r.TotalPackets), output.Parts.Sum(p => p.Packets));
        Assert.Equal(records.Length - 1, output.Parts.Sum(p => p.Flows));
        Assert.Equal(records.Length, output.Counters.Flows);

        // Records of one connection that follow each other are one update for the active list (the interface
        // would add them up into one entry anyway): the three on a:40000 -> s:443, then dns, then ssh.
        var updates = output.Parts.SelectMany(p => p.FlowUpdates).ToList();
        Assert.Equal(
            [(IpAddr.Parse(a), (ushort)40000, IpAddr.Parse(s), (ushort)443, 160L, 1520L), (IpAddr.Parse(b), (ushort)5353, IpAddr.Parse(s), (ushort)53, 70L, 140L),
             (IpAddr.Parse(a), (ushort)50000, IpAddr.Parse(b), (ushort)22, 300L, 400L)],
            updates.Select(f => (f.Client, f.ClientPort, f.Server, f.ServerPort, f.BytesCliToSrv, f.BytesSrvToCli)));
        Assert.Equal(slice1.FirstSwitchedUs, updates[0].FirstSeenUs);
        Assert.Equal(again.LastSwitchedUs, updates[0].LastSeenUs);
    }

    [Fact]
    public void Hosts_and_the_interface_get_traffic_by_ntopngs_stats_protocol_and_category()
    {
        const string a = "192.168.1.10", b = "192.168.1.20", s = "203.0.113.5";
        var google = Flows.Record(a, 40000, s, 443, 6, 100, 2, 1000, 3);
        (google.L7Master, google.L7App) = (91, 126); // TLS.Google: counted as Google, in Google's own category
        var tls = Flows.Record(a, 40001, s, 443, 6, 10, 1, 20, 1);
        (tls.L7Master, tls.L7Category) = (91, 99); // plain TLS with a category the exporter chose (a custom rule)
        var dns = Flows.Record(b, 5353, s, 53, 17, 70, 1, 140, 1);
        (dns.L7Master, dns.L7App) = (5, 126); // DNS.Google: a query for Google, counted as DNS as ntopng does
        var unknown = Flows.Record(a, 50000, b, 9999, 6, 300, 4, 400, 5);
        var moreGoogle = Flows.Record(a, 40002, s, 443, 6, 1, 1, 2, 1);
        (moreGoogle.L7Master, moreGoogle.L7App) = (91, 126);

        var output = Ingest([google, tls, dns, unknown, moreGoogle]);

        var catalog = ProtocolCatalog.Ndpi42;
        var googleCategory = catalog[126].CategoryId;
        var dnsCategory = catalog[5].CategoryId;
        Dictionary<(ushort, ushort), (long, long, long)> L7Of(string ip) => output.Hosts.Where(h => h.Host.Ip == IpAddr.Parse(ip))
            .SelectMany(h => h.L7).GroupBy(c => (c.Protocol, c.Category))
            .ToDictionary(g => g.Key, g => (g.Sum(c => c.BytesSent), g.Sum(c => c.BytesRcvd), g.Sum(c => c.Flows)));

        Assert.Equal(new Dictionary<(ushort, ushort), (long, long, long)>
        {
            [(126, googleCategory)] = (101, 1002, 2),
            [(91, 99)] = (10, 20, 1),
            [(0, 0)] = (300, 400, 1),
        }, L7Of(a));
        Assert.Equal(new Dictionary<(ushort, ushort), (long, long, long)>
        {
            [(126, googleCategory)] = (1002, 101, 2),
            [(91, 99)] = (20, 10, 1),
            [(5, dnsCategory)] = (140, 70, 1),
        }, L7Of(s));
        Assert.Equal(new Dictionary<(ushort, ushort), (long, long, long)>
        {
            [(5, dnsCategory)] = (70, 140, 1),
            [(0, 0)] = (400, 300, 1),
        }, L7Of(b));

        // The interface counts each flow once, client to server as "sent".
        var iface = output.Parts.SelectMany(p => p.L7).GroupBy(c => (c.Protocol, c.Category))
            .ToDictionary(g => g.Key, g => (g.Sum(c => c.BytesSent), g.Sum(c => c.BytesRcvd), g.Sum(c => c.Flows)));
        Assert.Equal(new Dictionary<(ushort, ushort), (long, long, long)>
        {
            [(126, googleCategory)] = (101, 1002, 2),
            [(91, 99)] = (10, 20, 1),
            [(5, dnsCategory)] = (70, 140, 1),
            [(0, 0)] = (300, 400, 1),
        }, iface);
    }

    [Fact]
    public void Interface_bytes_are_split_local_and_remote_from_each_directions_sender()
    {
        var local = NetworkList.Parse("192.168.1.0/24=LAN");
        FlowRecord[] records =
        [
            Flows.Record("192.168.1.10", 40000, "203.0.113.5", 443, 6, 100, 2, 1000, 3), // local client, remote server
            Flows.Record("203.0.113.9", 50000, "192.168.1.20", 22, 6, 7, 1, 70, 1), // remote client, local server
            Flows.Record("192.168.1.10", 50001, "192.168.1.20", 445, 6, 30, 1, 300, 1), // both local
            Flows.Record("198.51.100.1", 53, "203.0.113.5", 53, 17, 5, 1, 50, 1), // both remote
        ];

        var withNetworks = Ingest(records, local).Parts.Aggregate(default(LocalTraffic), (sum, p) => sum + p.Local);
        var without = Ingest(records).Parts.Aggregate(default(LocalTraffic), (sum, p) => sum + p.Local);

        Assert.Equal(new LocalTraffic(LocalToLocal: 330, LocalToRemote: 100 + 70, RemoteToLocal: 1000 + 7, RemoteToRemote: 55), withNetworks);
        Assert.Equal(new LocalTraffic(0, 0, 0, records.Sum(r => (long)r.TotalBytes)), without);

        // The interface's host index learns which hosts are local.
        var locals = Ingest(records, local).Parts.SelectMany(p => p.Hosts).Where(h => h.Local).Select(h => h.Ip.ToString()).Order(StringComparer.Ordinal);
        Assert.Equal(["192.168.1.10", "192.168.1.20"], locals);
    }

    [Fact]
    public void The_two_directions_of_a_connection_exported_one_after_the_other_are_one_active_flow()
    {
        // nProbe's default template and NetFlow v5 export each direction as its own record, back to back.
        const string client = "10.0.0.1", server = "192.0.2.80";
        var forward = Flows.Record(client, 51000, server, 80, 6, 500, 5, 0, 0);
        var reverse = Flows.Record(server, 80, client, 51000, 6, 9000, 7, 0, 0);
        var unrelated = Flows.Record(client, 51001, server, 80, 6, 1, 1, 0, 0);
        var output = Ingest([forward, reverse, unrelated]);

        var updates = output.Parts.SelectMany(p => p.FlowUpdates).ToList();
        Assert.Equal(2, updates.Count);
        var merged = updates[0];
        Assert.Equal((IpAddr.Parse(client), (ushort)51000, IpAddr.Parse(server), (ushort)80), (merged.Client, merged.ClientPort, merged.Server, merged.ServerPort));
        Assert.Equal((500L, 9000L, 5L, 7L), (merged.BytesCliToSrv, merged.BytesSrvToCli, merged.PacketsCliToSrv, merged.PacketsSrvToCli));
        Assert.Equal(3, output.Counters.Flows); // every record still counts as received
    }

    [Fact]
    public void A_busy_window_is_split_at_the_message_limits_and_the_parts_add_up_exactly()
    {
        // Every flow between two hosts of its own: twice as many hosts as flows, both over their per-message limits.
        var flowCount = (2 * InterfaceTrafficDelta.MaxFlowsPerMessage) + 100;
        var records = Enumerable.Range(0, flowCount)
            .Select(i => Flows.Record($"10.1.{i / 250}.{(i % 250) + 1}", (ushort)(1024 + i), $"10.2.{i / 250}.{(i % 250) + 1}", 443, 6,
                (ulong)(100 + i), 1 + (ulong)(i % 3), (ulong)(1000 + i), 2, vlan: (ushort)(i % 2)))
            .ToList();

        var output = Ingest(records);

        Assert.Contains(output.Windows(), w => w.Count > 1);
        Assert.Equal(2 * flowCount, output.HostTotals().Count);
        Assert.Equal(flowCount, output.Parts.Sum(p => p.FlowUpdates.Count));
        Assert.Equal(flowCount, output.Parts.Sum(p => p.Flows));
        Assert.Equal(records.Sum(r => (long)r.TotalBytes), output.Parts.Sum(p => p.Bytes));
        Assert.Equal(records.Sum(r => (long)r.TotalPackets), output.Parts.Sum(p => p.Packets));
        var totals = output.HostTotals();
        foreach (var r in records)
        {
            var client = totals[new HostKey(IfId, r.Vlan, r.SrcAddr)];
            Assert.Equal(new HostCounters((long)r.InBytes, (long)r.OutBytes, (long)r.InPkts, (long)r.OutPkts, 1, 0), client);
            var server = totals[new HostKey(IfId, r.Vlan, r.DstAddr)];
            Assert.Equal(new HostCounters((long)r.OutBytes, (long)r.InBytes, (long)r.OutPkts, (long)r.InPkts, 0, 1), server);
        }
    }

    [Fact]
    public async Task Complete_drains_everything_queued_while_running_and_then_completes()
    {
        var hostRegion = CreateTestProbe();
        var interfaceRegion = CreateTestProbe();
        var pool = new FlowBatchPool();
        var counters = new IngestCounters();
        using var pipeline = new IngestPipeline(IfId, IfName, hostRegion, interfaceRegion, counters, pool);
        pipeline.Start();
        var records = Enumerable.Range(0, 20_000)
            .Select(i => Flows.Record($"172.16.{i % 50}.1", (ushort)(1024 + (i % 30_000)), $"172.17.{i % 40}.1", 80, 6, 60, 1, 1500, 1))
            .ToList();

        var producer = Task.Run(() =>
        {
            foreach (var batch in Flows.Batches(pool, records))
            {
                pipeline.Enqueue(batch);
            }
        });
        await producer.WaitAsync(Deadline);
        pipeline.Complete();

        await pipeline.Completion.WaitAsync(Deadline);
        Assert.Equal(TaskStatus.RanToCompletion, pipeline.Completion.Status);
        var output = new Ingested(Drain<HostTrafficDelta>(hostRegion), Drain<InterfaceTrafficDelta>(interfaceRegion), counters);
        AssertWindowRules(output);
        Assert.Equal(records.Count, counters.Flows);
        Assert.Equal(records.Sum(r => (long)r.TotalBytes), output.Parts.Sum(p => p.Bytes));
        Assert.Equal(records.Sum(r => (long)r.TotalBytes), output.HostTotals().Values.Sum(h => h.BytesSent));

        // Late input after completion is dropped quietly (shutting down), not thrown at the producer.
        var late = pool.Rent();
        late.Add(records[0]);
        pipeline.Enqueue(late);
        Assert.False(hostRegion.HasMessages);
    }
}
