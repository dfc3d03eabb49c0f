using System.Text.Json;
using Flowhive.EndToEnd.Support;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Flowhive.EndToEnd;

/// <summary>
/// The walking spine with real processes: a probe replays a known capture over ZeroMQ into a collector
/// (one-node cluster) and every host's byte and packet totals, read back through the HTTP API and from the
/// store, must equal what tshark counts in the same capture.
/// </summary>
public sealed class SpineTests : IAsyncLifetime
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(60);
    private readonly string _dataDir = Directory.CreateTempSubdirectory("flowhive-e2e-").FullName;
    private IReadOnlyDictionary<(ushort Vlan, string Ip), HostTruth> _truth = null!;

    public async Task InitializeAsync() => _truth = await CaptureTruth.ComputeAsync(Repo.SampleCapture);

    public Task DisposeAsync()
    {
        Directory.Delete(_dataDir, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Probe_to_collector_over_zmq_matches_the_capture_in_the_api_and_the_embedded_store()
    {
        var zmq = FreePort.Tcp();
        var http = FreePort.Tcp();
        await using var collector = NodeProcess.Collector("-i", $"tcp://127.0.0.1:{zmq}", "-w", $"127.0.0.1:{http}", "-d", _dataDir, "--flush-interval", "1",
            "-m", "192.168.0.0/16=LAN,2001:db8::/32");
        using var api = new CollectorApi(http);
        await api.WaitHealthyAsync(collector, TimeSpan.FromSeconds(60));

        // nProbe's default direction: the probe binds, the collector connects.
        await using var probe = NodeProcess.Probe("-i", Repo.SampleCapture, "--zmq", $"tcp://127.0.0.1:{zmq}");
        Assert.True(await probe.WaitForExitAsync(TimeSpan.FromSeconds(90)) == 0, probe.Output);

        await TruthAssert.EventuallyEqualAsync(_truth, async () => (await api.HostsAsync(0)).Select(Tuple), Settle,
            () => collector.Output + probe.Output);

        var iface = await api.GetJsonAsync("/api/v1/interfaces/0");
        Assert.Equal(_truth.Values.Sum(h => h.BytesSent), iface.GetProperty("bytes").GetInt64());
        Assert.Equal(_truth.Values.Sum(h => h.PacketsSent), iface.GetProperty("packets").GetInt64());
        Assert.Equal(_truth.Count, iface.GetProperty("hosts").GetInt32());
        Assert.True(iface.GetProperty("zmqRecvStats").GetProperty("zmq_msg_rcvd").GetInt64() > 0);
        Assert.Equal(0, iface.GetProperty("zmqRecvStats").GetProperty("zmq_msg_drops").GetInt64());
        var flows = await api.GetJsonAsync("/api/v1/interfaces/0/flows?limit=5");
        Assert.True(flows.GetProperty("total").GetInt32() > 0);

        // Traffic by protocol (ntopng's "ndpi" maps): DNS per host equals what tshark counts on UDP port 53, and
        // every host's and the interface's protocol split adds up to its totals.
        var dnsTruth = await CaptureTruth.ComputeAsync(Repo.SampleCapture, "udp.port == 53");
        Assert.NotEmpty(dnsTruth);
        Assert.Equal(dnsTruth.Values.Sum(h => h.BytesSent), Bytes(iface.GetProperty("ndpi"), "DNS"));
        Assert.Equal(_truth.Values.Sum(h => h.BytesSent), Protocols(iface.GetProperty("ndpi")).Sum(p => p.Sent + p.Rcvd));
        // Local and remote (-m): each packet counts from its sender's side; tshark's filters give the same split.
        var localStats = iface.GetProperty("localstats").GetProperty("bytes");
        foreach (var (name, fromLocal, toLocal) in new[] { ("local2local", true, true), ("local2remote", true, false), ("remote2local", false, true), ("remote2remote", false, false) })
        {
            var filter = $"({Side("ip.src", "192.168.0.0/16", fromLocal)} && {Side("ip.dst", "192.168.0.0/16", toLocal)}) || " +
                $"({Side("ipv6.src", "2001:db8::/32", fromLocal)} && {Side("ipv6.dst", "2001:db8::/32", toLocal)})";
            var expected = (await CaptureTruth.ComputeAsync(Repo.SampleCapture, filter)).Values.Sum(h => h.BytesSent);
            Assert.True(expected == localStats.GetProperty(name).GetInt64(), $"{name}: API {localStats.GetProperty(name).GetInt64()}, tshark {expected} ({filter})");
        }

        // ntopng's mode=local|remote on the host list follows -m.
        var localHosts = _truth.Values.Count(h => h.Ip.StartsWith("192.168.", StringComparison.Ordinal) || h.Ip.StartsWith("2001:db8:", StringComparison.Ordinal));
        Assert.Equal(localHosts, (await api.GetJsonAsync("/api/v1/interfaces/0/hosts?mode=local&limit=1000")).GetProperty("total").GetInt32());
        Assert.Equal(_truth.Count - localHosts, (await api.GetJsonAsync("/api/v1/interfaces/0/hosts?mode=remote&limit=1000")).GetProperty("total").GetInt32());
        Assert.True(localHosts > 0 && localHosts < _truth.Count);
        using var badMode = await api.Http.GetAsync("/api/v1/interfaces/0/hosts?mode=nearby");
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, badMode.StatusCode);
        Assert.Contains("mode: 'nearby' is not all, local or remote", await badMode.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Per-host DNS and TLS details (ntopng's dns.sent.num_queries and names.tls) against tshark: queries sent to
        // port 53 per client (every query in the sample has its own flow, as the probe counts them), and the SNI
        // each server was asked for in a TLS or QUIC ClientHello.
        var queries = await CaptureTruth.ComputeAsync(Repo.SampleCapture, "dns.flags.response == 0 && udp.dstport == 53");
        Assert.Equal(143, queries.Values.Sum(q => q.PacketsSent)); // the sample's queries, so that a changed capture is noticed
        var typeA = await CaptureTruth.ComputeAsync(Repo.SampleCapture, "dns.flags.response == 0 && udp.dstport == 53 && dns.qry.type == 1");
        Assert.NotEmpty(typeA);
        var sniByServer = (await CaptureTruth.FieldsAsync(Repo.SampleCapture, "tls.handshake.extensions_server_name",
                "vlan.id", "ip.dst", "ipv6.dst", "tls.handshake.extensions_server_name"))
            .GroupBy(f => (Vlan: f[0].Length == 0 ? (ushort)0 : ushort.Parse(f[0].Split(',')[^1], System.Globalization.CultureInfo.InvariantCulture),
                Ip: CaptureTruth.Normalize((f[1].Length > 0 ? f[1] : f[2]).Split(',')[^1])))
            .ToDictionary(g => g.Key, g => g.Select(f => f[3]).ToHashSet(StringComparer.Ordinal));
        Assert.NotEmpty(sniByServer);
        var answeredNames = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var f in await CaptureTruth.FieldsAsync(Repo.SampleCapture, "dns.flags.response == 1 && udp.srcport == 53", "dns.qry.name", "dns.a", "dns.aaaa"))
        {
            foreach (var address in f[1].Split(',').Concat(f[2].Split(',')).Where(a => a.Length > 0))
            {
                (answeredNames.TryGetValue(CaptureTruth.Normalize(address), out var names) ? names : answeredNames[CaptureTruth.Normalize(address)] = []).Add(f[0]);
            }
        }

        var resolvedHosts = 0;

        foreach (var host in _truth.Values)
        {
            var details = await api.GetJsonAsync($"/api/v1/interfaces/0/hosts/{host.Ip}{(host.Vlan == 0 ? "" : $"@{host.Vlan}")}");
            var isLocal = host.Ip.StartsWith("192.168.", StringComparison.Ordinal) || host.Ip.StartsWith("2001:db8:", StringComparison.Ordinal);
            Assert.Equal(isLocal, details.GetProperty("localhost").GetBoolean());
            Assert.Equal(isLocal ? (host.Ip.Contains(':', StringComparison.Ordinal) ? "2001:db8::/32" : "LAN") : null, details.GetProperty("local_network_name").GetString());
            var ndpi = Protocols(details.GetProperty("ndpi"));
            Assert.Equal((host.BytesSent, host.BytesRcvd), (ndpi.Sum(p => p.Sent), ndpi.Sum(p => p.Rcvd)));
            var categories = details.GetProperty("ndpi_categories").EnumerateObject().Sum(c => c.Value.GetProperty("bytes").GetInt64());
            Assert.Equal(host.BytesSent + host.BytesRcvd, categories);
            dnsTruth.TryGetValue((host.Vlan, host.Ip), out var dns);
            var dnsApi = ndpi.FirstOrDefault(p => p.Name == "DNS");
            Assert.True((dns?.BytesSent ?? 0, dns?.BytesRcvd ?? 0) == (dnsApi.Sent, dnsApi.Rcvd),
                $"{host.Ip}: DNS sent/rcvd {dnsApi.Sent}/{dnsApi.Rcvd}, tshark {dns?.BytesSent}/{dns?.BytesRcvd}");
            queries.TryGetValue((host.Vlan, host.Ip), out var asked);
            var numQueries = details.GetProperty("dns").GetProperty("sent").GetProperty("num_queries").GetInt64();
            Assert.True((asked?.PacketsSent ?? 0) == numQueries, $"{host.Ip}: dns.sent.num_queries {numQueries}, tshark {asked?.PacketsSent ?? 0}");
            typeA.TryGetValue((host.Vlan, host.Ip), out var askedA);
            var numA = details.GetProperty("dns").GetProperty("sent").GetProperty("queries").GetProperty("num_a").GetInt64();
            Assert.True((askedA?.PacketsSent ?? 0) == numA, $"{host.Ip}: dns.sent.queries.num_a {numA}, tshark {askedA?.PacketsSent ?? 0}");
            var tlsName = details.GetProperty("names").TryGetProperty("tls", out var tls) ? tls.GetString() : null;
            var expectedNames = sniByServer.GetValueOrDefault((host.Vlan, host.Ip));
            Assert.True(expectedNames is null ? tlsName is null : tlsName is not null && expectedNames.Contains(tlsName),
                $"{host.Ip}: names.tls '{tlsName}', tshark's SNI {(expectedNames is null ? "none" : string.Join(", ", expectedNames))}");

            // A DNS answer names its address (names.resolved) when that host sends or receives after it.
            if (details.GetProperty("names").TryGetProperty("resolved", out var resolved))
            {
                Assert.True(answeredNames.TryGetValue(host.Ip, out var answered) && answered.Contains(resolved.GetString()!),
                    $"{host.Ip}: names.resolved '{resolved.GetString()}', tshark's answers {(answered is null ? "none" : string.Join(", ", answered))}");
                resolvedHosts++;
            }
        }

        Assert.True(resolvedHosts > 0, "no host was named by a DNS answer");

        // The embedded store holds the same totals once the minute rows are flushed.
        var db = Path.Combine(_dataDir, "flowhive.db");
        await TruthAssert.EventuallyEqualAsync(_truth, () => Task.FromResult(ReadSqliteHostTotals(db)), Settle, () => collector.Output);
    }

    [Fact]
    public async Task Probe_to_collector_with_the_postgresql_store_writes_the_capture_totals_to_the_database()
    {
        var connection = await TestPostgres.CreateDatabaseAsync();
        var zmq = FreePort.Tcp();
        var http = FreePort.Tcp();
        await using var collector = NodeProcess.Collector("-i", $"tcp://127.0.0.1:{zmq}", "-w", $"127.0.0.1:{http}", "-d", _dataDir,
            "--flush-interval", "1", "-F", "postgresql;" + connection);
        using var api = new CollectorApi(http);
        await api.WaitHealthyAsync(collector, TimeSpan.FromSeconds(60));
        Assert.Contains("postgresql", collector.Output, StringComparison.OrdinalIgnoreCase);

        await using var probe = NodeProcess.Probe("-i", Repo.SampleCapture, "--zmq", $"tcp://127.0.0.1:{zmq}");
        Assert.True(await probe.WaitForExitAsync(TimeSpan.FromSeconds(90)) == 0, probe.Output);

        await TruthAssert.EventuallyEqualAsync(_truth, async () => (await api.HostsAsync(0)).Select(Tuple), Settle, () => collector.Output);
        await TruthAssert.EventuallyEqualAsync(_truth, () => ReadPostgresHostTotalsAsync(connection), Settle, () => collector.Output);
    }

    [Fact]
    public async Task Collector_capturing_a_file_in_process_stores_the_capture_totals_and_exits_when_done()
    {
        var http = FreePort.Tcp();
        await using var collector = NodeProcess.Collector("-i", Repo.SampleCapture, "-w", $"127.0.0.1:{http}", "-d", _dataDir,
            "--flush-interval", "1", "--shutdown-when-done");
        Assert.True(await collector.WaitForExitAsync(TimeSpan.FromSeconds(120)) == 0, collector.Output);

        var differences = TruthAssert.Differences(_truth, ReadSqliteHostTotals(Path.Combine(_dataDir, "flowhive.db")));
        Assert.True(differences is null, differences + collector.Output);
    }

    private static string Side(string field, string network, bool inside) => inside ? $"{field} == {network}" : $"({field} && !({field} == {network}))";

    private static List<(string Name, long Sent, long Rcvd)> Protocols(JsonElement ndpi) =>
        [.. ndpi.EnumerateObject().Select(p => (p.Name, p.Value.GetProperty("bytes.sent").GetInt64(), p.Value.GetProperty("bytes.rcvd").GetInt64()))];

    private static long Bytes(JsonElement ndpi, string protocol) =>
        ndpi.TryGetProperty(protocol, out var p) ? p.GetProperty("bytes.sent").GetInt64() + p.GetProperty("bytes.rcvd").GetInt64() : 0;

    private static (ushort, string, long, long, long, long) Tuple(ApiHost h) =>
        (h.Vlan, h.Ip, h.BytesSent, h.BytesRcvd, h.PacketsSent, h.PacketsRcvd);

    private static IEnumerable<(ushort, string, long, long, long, long)> ReadSqliteHostTotals(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT vlan, ip, SUM(bytes_sent), SUM(bytes_rcvd), SUM(packets_sent), SUM(packets_rcvd) FROM host_ts WHERE ifid = 0 GROUP BY vlan, ip";
        using var reader = command.ExecuteReader();
        var rows = new List<(ushort, string, long, long, long, long)>();
        while (reader.Read())
        {
            // The embedded store keeps addresses as 16-byte blobs (IPv4 mapped).
            var ip = Flowhive.Shared.Net.IpAddr.FromV6Bytes((byte[])reader.GetValue(1)).ToString();
            rows.Add(((ushort)reader.GetInt32(0), CaptureTruth.Normalize(ip), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5)));
        }

        return rows;
    }

    private static async Task<IEnumerable<(ushort, string, long, long, long, long)>> ReadPostgresHostTotalsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT vlan, host(ip), SUM(bytes_sent)::bigint, SUM(bytes_rcvd)::bigint, SUM(packets_sent)::bigint, SUM(packets_rcvd)::bigint " +
            "FROM host_ts WHERE ifid = 0 GROUP BY vlan, ip", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(ushort, string, long, long, long, long)>();
        while (await reader.ReadAsync())
        {
            rows.Add(((ushort)reader.GetInt32(0), CaptureTruth.Normalize(reader.GetString(1)), reader.GetInt64(2), reader.GetInt64(3),
                reader.GetInt64(4), reader.GetInt64(5)));
        }

        return rows;
    }
}
