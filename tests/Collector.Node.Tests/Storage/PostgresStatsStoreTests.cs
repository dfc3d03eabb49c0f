using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Flowhive.Collector.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Xunit.Abstractions;

namespace Flowhive.Collector.Node.Tests.Storage;

/// <summary>
/// The store behaviour tests on a real PostgreSQL server (see <see cref="PostgresServer"/>), in a database made
/// for this class, plus what only PostgreSQL has (TimescaleDB detection, connecting to a server).
/// </summary>
public sealed class PostgresStatsStoreTests : StatsStoreTests, IClassFixture<PostgresDatabaseFixture>
{
    private readonly PostgresDatabaseFixture _database;

    public PostgresStatsStoreTests(PostgresDatabaseFixture database, ITestOutputHelper output)
        : base(output)
    {
        _database = database;
    }

    protected override string SharedTarget => _database.ConnectionString;

    protected override string StoreName => "postgresql";

    protected override Task<string> CreateFreshTargetAsync() => _database.CreateDatabaseAsync();

    protected override IStatsStore CreateStore(string target) => new PostgresStatsStore(target, NullLogger.Instance);

    protected override async Task<IReadOnlyList<int>> ReadSchemaVersionsAsync(string target)
    {
        await using var connection = new NpgsqlConnection(target);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT version FROM flowhive_schema_version ORDER BY version", connection);
        var versions = new List<int>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            versions.Add(reader.GetInt32(0));
        }

        return versions;
    }

    [Fact]
    public async Task Without_timescaledb_the_description_says_plain_tables()
    {
        // This machine's PostgreSQL has no TimescaleDB package: the plain-table path is the one that runs.
        await using var store = (PostgresStatsStore)await OpenAsync();
        Output.WriteLine(store.Description);
        Assert.StartsWith("postgresql ", store.Description, StringComparison.Ordinal);
        Assert.Contains("(plain tables; TimescaleDB not installed)", store.Description, StringComparison.Ordinal);
        Assert.False(store.UsesHypertables);
        Assert.DoesNotContain("Password", store.Description, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_tables_have_the_documented_columns_and_keys()
    {
        await using var store = await OpenAsync();
        await using var connection = new NpgsqlConnection(SharedTarget);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT table_name || '.' || column_name || ':' || udt_name
            FROM information_schema.columns
            WHERE table_name IN ('interface_ts', 'host_ts') AND column_name IN ('ts', 'ip', 'mac', 'vlan', 'ifid', 'bytes_sent', 'packets_rcvd')
            ORDER BY 1
            """, connection);
        var columns = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                columns.Add(reader.GetString(0));
            }
        }

        Assert.Equal(
            [
                "host_ts.bytes_sent:int8", "host_ts.ifid:int4", "host_ts.ip:inet", "host_ts.mac:int8", "host_ts.packets_rcvd:int8",
                "host_ts.ts:timestamptz", "host_ts.vlan:int4", "interface_ts.ifid:int4", "interface_ts.ts:timestamptz",
            ],
            columns);

        await using var keys = new NpgsqlCommand(
            "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE contype = 'p' AND conrelid IN ('interface_ts'::regclass, 'host_ts'::regclass) ORDER BY 1",
            connection);
        var definitions = new List<string>();
        await using (var reader = await keys.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                definitions.Add(reader.GetString(0));
            }
        }

        Assert.Equal(["PRIMARY KEY (ifid, ts)", "PRIMARY KEY (ifid, vlan, ip, ts)"], definitions);
    }

    [Fact]
    public async Task An_unreachable_server_fails_initialize_quickly_with_a_clear_message()
    {
        var port = UnusedPort();
        var connectionString = new NpgsqlConnectionStringBuilder(SharedTarget) { Host = "127.0.0.1", Port = port, Timeout = 5 }.ConnectionString;
        await using var store = new PostgresStatsStore(connectionString, NullLogger.Instance);

        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<StatsStoreException>(() => store.InitializeAsync(CancellationToken.None));
        Output.WriteLine($"{clock.ElapsedMilliseconds} ms: {error.Message}");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        Assert.Contains($"127.0.0.1:{port}", error.Message, StringComparison.Ordinal);
        Assert.StartsWith("Cannot connect to the PostgreSQL stats store", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_password_fails_initialize_with_the_server_and_the_reason()
    {
        var connectionString = new NpgsqlConnectionStringBuilder(SharedTarget) { Password = "not-the-password" }.ConnectionString;
        await using var store = new PostgresStatsStore(connectionString, NullLogger.Instance);

        var error = await Assert.ThrowsAsync<StatsStoreException>(() => store.InitializeAsync(CancellationToken.None));
        Output.WriteLine(error.Message);
        Assert.Contains(((PostgresStatsStore)store).Target, error.Message, StringComparison.Ordinal);
        Assert.Contains("password authentication failed", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-password", error.Message, StringComparison.Ordinal);
    }

    /// <summary>A port nothing listens on: bound once by the OS, then released.</summary>
    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
