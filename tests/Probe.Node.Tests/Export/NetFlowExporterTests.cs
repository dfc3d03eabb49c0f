using System.Net;
using System.Net.Sockets;
using Flowhive.Probe.Configuration;
using Flowhive.Probe.Export;
using Flowhive.Probe.Node.Tests.Support;
using Flowhive.Shared.Flows;
using Flowhive.Shared.Net;
using Flowhive.Shared.Wire.NetFlow;
using Microsoft.Extensions.Logging.Abstractions;

namespace Flowhive.Probe.Node.Tests.Export;

/// <summary>The NetFlow exporter sending to real UDP sockets in the test, decoded with Flowhive's own decoder.</summary>
public sealed class NetFlowExporterTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private readonly List<Socket> _collectors = [];

    public void Dispose() => _collectors.ForEach(s => s.Dispose());

    /// <summary>A UDP socket on a loopback port, as a collector would listen.</summary>
    private Socket Collector()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveBufferSize = 4 << 20 };
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _collectors.Add(socket);
        return socket;
    }

    private static int PortOf(Socket socket) => ((IPEndPoint)socket.LocalEndPoint!).Port;

    private static NetFlowExporter Exporter(params string[] args)
    {
        var parsed = ProbeCommandLine.Create().Parse(["-i", "test0", "--source-id", "77", "--instance-name", "probe-test", .. args]);
        var exporter = new NetFlowExporter(NetFlowExportOptions.From(parsed)!, ProbeOptions.From(parsed), NullLogger.Instance);
        exporter.Open();
        return exporter;
    }

    private static FlowRecord[] Flows(int count) => [.. Enumerable.Range(1, count).Select(SampleFlows.Record)];

    /// <summary>Bytes of the directions that have packets: a direction without packets is not exported (the sample records have some with bytes).</summary>
    private static decimal ExportedBytes(IEnumerable<FlowRecord> flows) =>
        flows.Sum(f => (f.InPkts > 0 ? (decimal)f.InBytes : 0) + (f.OutPkts > 0 ? (decimal)f.OutBytes : 0));

    /// <summary>Reads exactly <paramref name="count"/> datagrams (the exporter's count of what it sent).</summary>
    private static List<byte[]> Receive(Socket socket, long count)
    {
        var datagrams = new List<byte[]>();
        var buffer = new byte[65536];
        socket.ReceiveTimeout = (int)Deadline.TotalMilliseconds;
        while (datagrams.Count < count)
        {
            var length = socket.Receive(buffer);
            datagrams.Add(buffer[..length]);
        }

        socket.ReceiveTimeout = 100;
        Assert.Throws<SocketException>(() => socket.Receive(buffer)); // and nothing more
        return datagrams;
    }

    private static List<FlowRecord> Decode(IEnumerable<byte[]> datagrams, NetFlowDecoder? decoder = null)
    {
        decoder ??= new NetFlowDecoder();
        var records = new List<FlowRecord>();
        foreach (var datagram in datagrams)
        {
            Assert.Equal(NetFlowDecodeStatus.Ok, decoder.Decode(datagram, new NetFlowExporterId(IpAddr.Parse("127.0.0.1"), 1), records).Status);
        }

        return records;
    }

    [Theory]
    [InlineData("9")]
    [InlineData("10")]
    public void Default_template_flows_arrive_as_one_record_per_direction(string version)
    {
        var collector = Collector();
        using var exporter = Exporter("-n", $"127.0.0.1:{PortOf(collector)}", "-V", version);
        var flows = Flows(300);

        exporter.Export(flows);
        exporter.Flush();

        var datagrams = Receive(collector, exporter.Counters.Messages);
        var records = Decode(datagrams);
        Assert.Equal(flows.Sum(f => (f.InPkts > 0 ? 1 : 0) + (f.OutPkts > 0 ? 1 : 0)), records.Count);
        Assert.Equal(ExportedBytes(flows), records.Sum(r => (decimal)r.InBytes));
        Assert.Equal(flows.Sum(f => (decimal)f.TotalPackets), records.Sum(r => (decimal)r.InPkts));
        Assert.Equal(flows.Length, exporter.Counters.Flows);
        Assert.Equal(datagrams.Sum(d => d.Length), exporter.Counters.Bytes);
        Assert.All(datagrams, d => Assert.True(d.Length <= NetFlowEncoderOptions.DefaultMtu));
        Assert.Equal(0, exporter.Counters.SendFailures);
        Assert.Equal(records.Count, exporter.Totals.Records);
    }

    [Fact]
    public void V5_skips_ipv6_flows_and_counts_them()
    {
        var collector = Collector();
        using var exporter = Exporter("-n", $"udp://127.0.0.1:{PortOf(collector)}", "-V", "5");
        var flows = Flows(100);

        exporter.Export(flows);
        exporter.Flush();

        var records = Decode(Receive(collector, exporter.Counters.Messages));
        var ipv4 = flows.Where(f => f.IpVersion == 4).ToArray();
        Assert.Equal(ipv4.Length, exporter.Counters.Flows);
        Assert.Equal(flows.Length - ipv4.Length, exporter.Totals.SkippedFlows);
        Assert.Equal(ExportedBytes(ipv4), records.Sum(r => (decimal)r.InBytes));
        Assert.All(records, r => Assert.Equal(4, r.IpVersion));
    }

    [Fact]
    public void Ntopng_template_over_ipfix_carries_both_directions_and_metadata()
    {
        var collector = Collector();
        using var exporter = Exporter("-n", $"127.0.0.1:{PortOf(collector)}", "-V", "10", "-T", "@NTOPNG@");
        var flows = Flows(60);

        exporter.Export(flows);
        exporter.Flush();

        var records = Decode(Receive(collector, exporter.Counters.Messages));
        Assert.Equal(flows.Count(f => f.TotalPackets > 0), records.Count);
        var byKey = records.ToDictionary(r => (r.SrcAddr, r.SrcPort));
        foreach (var flow in flows.Where(f => f.TotalPackets > 0))
        {
            var record = byKey[(flow.SrcAddr, flow.SrcPort)];
            Assert.Equal(flow.OutBytes, record.OutBytes);
            Assert.Equal(flow.SrcMac, record.SrcMac);
            Assert.Equal(flow.Vlan, record.Vlan);
            Assert.Equal(flow.FirstSwitchedUs, record.FirstSwitchedUs);
            Assert.Equal(flow.Metadata?.TlsServerName, record.Metadata?.TlsServerName);
        }
    }

    [Fact]
    public void Several_collectors_share_the_datagrams_round_robin_each_with_its_own_templates()
    {
        var first = Collector();
        var second = Collector();
        using var exporter = Exporter("-n", $"127.0.0.1:{PortOf(first)},127.0.0.1:{PortOf(second)}");
        var flows = Flows(600);

        exporter.Export(flows);
        exporter.Flush();

        // Each stream decodes on its own: every collector got the templates it needs.
        var total = exporter.Counters.Messages;
        var toFirst = (total + 1) / 2;
        var records = Decode(Receive(first, toFirst)).Concat(Decode(Receive(second, total - toFirst))).ToList();
        Assert.True(total >= 10, $"{total} datagrams");
        Assert.Equal(ExportedBytes(flows), records.Sum(r => (decimal)r.InBytes));
    }

    [Fact]
    public void Templates_go_out_on_the_first_tick_before_any_flow()
    {
        var collector = Collector();
        using var exporter = Exporter("-n", $"127.0.0.1:{PortOf(collector)}");

        exporter.Tick(DateTimeOffset.UtcNow);

        var decoder = new NetFlowDecoder();
        Assert.Empty(Decode(Receive(collector, 1), decoder));
        Assert.Equal(2, decoder.Counters.TemplatesLearned);
    }

    [Fact]
    public void A_collector_that_is_not_listening_shows_as_counted_send_failures()
    {
        var gone = Collector();
        var port = PortOf(gone);
        gone.Dispose();
        using var exporter = Exporter("-n", $"127.0.0.1:{port}");

        // The ICMP "port unreachable" for one datagram makes a later send on the connected socket fail.
        Poll.Until(() =>
        {
            exporter.Export(Flows(50));
            exporter.Flush();
            return exporter.Counters.SendFailures > 0;
        }, Deadline, "a send failure is counted");
    }

    [Fact]
    public void An_unresolvable_collector_fails_to_open_with_its_name()
    {
        var parsed = ProbeCommandLine.Create().Parse(["-i", "test0", "-n", "no-such-host.invalid:2055"]);
        using var exporter = new NetFlowExporter(NetFlowExportOptions.From(parsed)!, ProbeOptions.From(parsed), NullLogger.Instance);

        var error = Assert.Throws<InvalidOperationException>(exporter.Open);

        Assert.StartsWith("-n no-such-host.invalid:2055: cannot resolve no-such-host.invalid", error.Message, StringComparison.Ordinal);
    }
}
