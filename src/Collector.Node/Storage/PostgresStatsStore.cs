using System.Diagnostics;
using System.Globalization;
using System.Net;
using Flowhive.Shared.Cluster.Messages;
using Flowhive.Shared.Net;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace Flowhive.Collector.Storage;

/// <summary>
/// The shared store: PostgreSQL through Npgsql, with both tables turned into TimescaleDB hypertables when the
/// extension can be used, and plain tables otherwise.
/// </summary>
/// <remarks>
/// Schema (version 2):
/// <list type="bullet">
/// <item><c>interface_ts(ifid int, ts timestamptz, ifname text, bytes, packets, flows bigint, active_hosts, active_flows int)</c>, primary key (ifid, ts)</item>
/// <item><c>host_ts(ifid int, vlan int, ip inet, ts timestamptz, mac bigint, bytes_sent, bytes_rcvd, packets_sent, packets_rcvd, flows_as_client, flows_as_server bigint)</c>, primary key (ifid, vlan, ip, ts)</item>
/// <item>(version 2) <c>entity_checkpoints(scope text, key text, state bytea, saved_at timestamptz)</c>, primary key (scope, key): the state entities' checkpoints (<see cref="ICheckpointStore"/>), a plain table (rows are replaced, not appended)</item>
/// </list>
/// <c>ip</c> holds IPv4 as plain IPv4 (not ::ffff:-mapped), so SQL filters such as <c>ip &lt;&lt; '10.0.0.0/8'</c> work.
/// <c>mac</c> is a bigint holding the 48-bit MAC in its low bits (0 = unknown), not <c>macaddr8</c>: it round-trips
/// exactly, costs nothing to COPY, and <c>macaddr8</c> would rewrite 48-bit input to EUI-64 (ff:fe in the middle).
/// Show it with <c>lpad(to_hex(mac), 12, '0')</c>.
/// </remarks>
public sealed class PostgresStatsStore : IStatsStore, ICheckpointStore
{
    private const int SchemaVersion = 2;

    /// <summary>
    /// pg_advisory_xact_lock key that serialises schema set-up between collectors starting at the same time
    /// ("FLWH" and the schema stream 1); any constant works as long as every collector uses the same one.
    /// </summary>
    private const long SchemaLockKey = 0x464C_5748_0000_0001;

    /// <summary>The first TimescaleDB release with the dimension-builder form <c>create_hypertable(rel, by_range(col))</c>.</summary>
    private static readonly Version TimescaleGeneralizedApi = new(2, 13);

    /// <summary>Index i upgrades the schema from version i to i + 1.</summary>
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE interface_ts (
            ifid         integer     NOT NULL,
            ts           timestamptz NOT NULL,
            ifname       text        NOT NULL,
            bytes        bigint      NOT NULL,
            packets      bigint      NOT NULL,
            flows        bigint      NOT NULL,
            active_hosts integer     NOT NULL,
            active_flows integer     NOT NULL,
            PRIMARY KEY (ifid, ts)
        );
        CREATE TABLE host_ts (
            ifid            integer     NOT NULL,
            vlan            integer     NOT NULL,
            ip              inet        NOT NULL,
            ts              timestamptz NOT NULL,
            mac             bigint      NOT NULL,
            bytes_sent      bigint      NOT NULL,
            bytes_rcvd      bigint      NOT NULL,
            packets_sent    bigint      NOT NULL,
            packets_rcvd    bigint      NOT NULL,
            flows_as_client bigint      NOT NULL,
            flows_as_server bigint      NOT NULL,
            PRIMARY KEY (ifid, vlan, ip, ts)
        );
        COMMENT ON COLUMN host_ts.mac IS '48-bit MAC address in the low bits (0 = unknown); show with lpad(to_hex(mac), 12, ''0'')';
        """,
        """
        CREATE TABLE entity_checkpoints (
            scope    text        NOT NULL,
            key      text        NOT NULL,
            state    bytea       NOT NULL,
            saved_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (scope, key)
        );
        """,
    ];

    // One statement per batch: the arrays travel as three parameters, whatever the batch size.
    private const string UpsertCheckpointsSql = """
        INSERT INTO entity_checkpoints (scope, key, state, saved_at)
        SELECT s, k, v, now() FROM unnest(@scopes, @keys, @states) AS t(s, k, v)
        ON CONFLICT (scope, key) DO UPDATE SET state = excluded.state, saved_at = excluded.saved_at
        """;

    // Bulk write: binary COPY into a transaction-local staging table, then one INSERT ... SELECT ... GROUP BY
    // ... ON CONFLICT DO UPDATE into the real table. COPY is the fastest way in (no per-row round trip or
    // statement), but COPY cannot upsert; the INSERT does, and its GROUP BY first folds keys that repeat
    // inside the batch (ON CONFLICT may not touch one row twice in a command), so the result is exactly
    // additive whatever the batch holds. ORDER BY makes concurrent writers lock rows in one order (no deadlock).
    // sum(bigint) is numeric; the cast back to bigint raises an error on overflow instead of wrapping.
    private const string StageInterfacesSql = "CREATE TEMP TABLE interface_stage (LIKE interface_ts) ON COMMIT DROP";

    private const string CopyInterfacesSql =
        "COPY interface_stage (ifid, ts, ifname, bytes, packets, flows, active_hosts, active_flows) FROM STDIN (FORMAT BINARY)";

    private const string MergeInterfacesSql = """
        INSERT INTO interface_ts AS t (ifid, ts, ifname, bytes, packets, flows, active_hosts, active_flows)
        SELECT ifid, ts, max(ifname), sum(bytes)::bigint, sum(packets)::bigint, sum(flows)::bigint, max(active_hosts), max(active_flows)
        FROM interface_stage
        GROUP BY ifid, ts
        ORDER BY ifid, ts
        ON CONFLICT (ifid, ts) DO UPDATE SET
            ifname       = excluded.ifname,
            bytes        = t.bytes + excluded.bytes,
            packets      = t.packets + excluded.packets,
            flows        = t.flows + excluded.flows,
            active_hosts = greatest(t.active_hosts, excluded.active_hosts),
            active_flows = greatest(t.active_flows, excluded.active_flows)
        """;

    private const string StageHostsSql = "CREATE TEMP TABLE host_stage (LIKE host_ts) ON COMMIT DROP";

    private const string CopyHostsSql =
        "COPY host_stage (ifid, vlan, ip, ts, mac, bytes_sent, bytes_rcvd, packets_sent, packets_rcvd, flows_as_client, flows_as_server) FROM STDIN (FORMAT BINARY)";

    private const string MergeHostsSql = """
        INSERT INTO host_ts AS t (ifid, vlan, ip, ts, mac, bytes_sent, bytes_rcvd, packets_sent, packets_rcvd, flows_as_client, flows_as_server)
        SELECT ifid, vlan, ip, ts, max(mac),
               sum(bytes_sent)::bigint, sum(bytes_rcvd)::bigint, sum(packets_sent)::bigint, sum(packets_rcvd)::bigint,
               sum(flows_as_client)::bigint, sum(flows_as_server)::bigint
        FROM host_stage
        GROUP BY ifid, vlan, ip, ts
        ORDER BY ifid, vlan, ip, ts
        ON CONFLICT (ifid, vlan, ip, ts) DO UPDATE SET
            mac             = CASE WHEN excluded.mac <> 0 THEN excluded.mac ELSE t.mac END,
            bytes_sent      = t.bytes_sent + excluded.bytes_sent,
            bytes_rcvd      = t.bytes_rcvd + excluded.bytes_rcvd,
            packets_sent    = t.packets_sent + excluded.packets_sent,
            packets_rcvd    = t.packets_rcvd + excluded.packets_rcvd,
            flows_as_client = t.flows_as_client + excluded.flows_as_client,
            flows_as_server = t.flows_as_server + excluded.flows_as_server
        """;

    private const string HostTotalsSql = """
        SELECT vlan, ip, sum(bytes_sent)::bigint, sum(bytes_rcvd)::bigint, sum(packets_sent)::bigint, sum(packets_rcvd)::bigint,
               sum(flows_as_client)::bigint, sum(flows_as_server)::bigint
        FROM host_ts
        WHERE ifid = @ifid
        GROUP BY vlan, ip
        """;

    private const string InterfaceSeriesSql = """
        SELECT ts, bytes, packets, flows, active_hosts, active_flows
        FROM interface_ts
        WHERE ifid = @ifid AND ts >= @from AND ts < @to
        ORDER BY ts
        """;

    /// <summary>Above this many host rows a batch gets more work_mem for its merge.</summary>
    private const int LargeBatchRows = 10_000;

    private readonly NpgsqlDataSource _dataSource;
    private readonly ILogger _logger;
    private volatile string _description;

    /// <param name="connectionString">An Npgsql connection string. <c>Timeout</c> (connect timeout, default 15 s) bounds how long an unreachable server is tried.</param>
    /// <param name="logger">Receives schema and batch messages.</param>
    /// <exception cref="ArgumentException">The connection string is malformed or has no Host.</exception>
    public PostgresStatsStore(string connectionString, ILogger logger)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException)
        {
            throw new ArgumentException($"Invalid PostgreSQL connection string: {e.Message}", nameof(connectionString), e);
        }

        if (string.IsNullOrWhiteSpace(builder.Host))
        {
            throw new ArgumentException("Invalid PostgreSQL connection string: it names no Host", nameof(connectionString));
        }

        if (string.IsNullOrEmpty(builder.ApplicationName))
        {
            // Shows up in pg_stat_activity, so an operator can tell the collectors' sessions apart.
            builder.ApplicationName = "flowhive-collector";
        }

        Target = $"{builder.Host}:{builder.Port}/{builder.Database ?? builder.Username}";
        _logger = logger;
        _dataSource = NpgsqlDataSource.Create(builder);
        _description = $"postgresql at {Target} (not initialised)";
    }

    /// <summary>host:port/database, without credentials.</summary>
    public string Target { get; }

    public string Description => _description;

    /// <summary>True after <see cref="InitializeAsync"/> made (or found) both tables TimescaleDB hypertables.</summary>
    public bool UsesHypertables { get; private set; }

    public async Task InitializeAsync(CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        var serverVersion = connection.ServerVersion.Split(' ', 2)[0];
        await using var transaction = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);

        // Every collector takes this lock before looking at the schema, and holds it to commit: the second one
        // to start waits, then finds the schema at the current version and changes nothing.
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", connection, transaction))
        {
            lockCommand.Parameters.AddWithValue("key", SchemaLockKey);
            await lockCommand.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        await ExecuteAsync(connection, transaction, """
            CREATE TABLE IF NOT EXISTS flowhive_schema_version (
                version    integer     PRIMARY KEY,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """, ct).ConfigureAwait(false);

        int current;
        await using (var versionCommand = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM flowhive_schema_version", connection, transaction))
        {
            current = Convert.ToInt32(await versionCommand.ExecuteScalarAsync(ct).ConfigureAwait(false), CultureInfo.InvariantCulture);
        }

        if (current > SchemaVersion)
        {
            throw new StatsStoreException(
                $"The PostgreSQL stats store at {Target} has schema version {current}, newer than this collector's {SchemaVersion}; upgrade the collector.",
                null);
        }

        for (var version = current; version < SchemaVersion; version++)
        {
            await ExecuteAsync(connection, transaction, Migrations[version], ct).ConfigureAwait(false);
            await using var record = new NpgsqlCommand("INSERT INTO flowhive_schema_version (version) VALUES (@version)", connection, transaction);
            record.Parameters.AddWithValue("version", version + 1);
            await record.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        var mode = await TryUseTimescaleAsync(connection, transaction, ct).ConfigureAwait(false);
        await transaction.CommitAsync(ct).ConfigureAwait(false);

        if (current != SchemaVersion)
        {
            StorageLog.SchemaUpgraded(_logger, current, SchemaVersion);
        }

        _description = $"postgresql {serverVersion} {mode} at {Target}";
        StorageLog.StoreReady(_logger, _description, SchemaVersion);
    }

    public async Task WriteAsync(StatsBatch batch, CancellationToken ct)
    {
        if (batch.IsEmpty)
        {
            return;
        }

        var stopwatch = Stopwatch.StartNew();
        try
        {
            await using var connection = await OpenAsync(ct).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
            if (batch.Hosts.Count > LargeBatchRows)
            {
                // A 50,000-row merge needs ~10 MB to group and sort; at the 4 MB default both spill to temp files.
                // is_local = true: the setting ends with this transaction and never leaks into the pool.
                await using var workMem = new NpgsqlCommand("SELECT set_config('work_mem', @value, true)", connection, transaction);
                workMem.Parameters.AddWithValue("value", "64MB");
                await workMem.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }

            if (batch.Interfaces.Count > 0)
            {
                await ExecuteAsync(connection, transaction, StageInterfacesSql, ct).ConfigureAwait(false);
                await CopyInterfacesAsync(connection, batch.Interfaces, ct).ConfigureAwait(false);
                await ExecuteAsync(connection, transaction, MergeInterfacesSql, ct).ConfigureAwait(false);
            }

            if (batch.Hosts.Count > 0)
            {
                await ExecuteAsync(connection, transaction, StageHostsSql, ct).ConfigureAwait(false);
                await CopyHostsAsync(connection, batch.Hosts, ct).ConfigureAwait(false);
                await ExecuteAsync(connection, transaction, MergeHostsSql, ct).ConfigureAwait(false);
            }

            await transaction.CommitAsync(ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            StorageLog.BatchFailed(_logger, e, batch.Interfaces.Count, batch.Hosts.Count);
            throw;
        }

        StorageLog.BatchWritten(_logger, batch.Interfaces.Count, batch.Hosts.Count, stopwatch.ElapsedMilliseconds);
    }

    public async Task<IReadOnlyList<HostTotals>> GetHostTotalsAsync(int ifId, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(HostTotalsSql, connection);
        command.Parameters.AddWithValue("ifid", ifId);
        var totals = new List<HostTotals>();
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            totals.Add(new HostTotals(
                (ushort)reader.GetInt32(0),
                IpAddr.FromIPAddress(reader.GetFieldValue<IPAddress>(1)),
                reader.GetInt64(2),
                reader.GetInt64(3),
                reader.GetInt64(4),
                reader.GetInt64(5),
                reader.GetInt64(6),
                reader.GetInt64(7)));
        }

        // inet orders IPv4 before all IPv6; IpAddr (and SqliteStatsStore) does not: one order for both stores.
        totals.Sort(HostTotalsOrder.Compare);
        return totals;
    }

    public async Task<IReadOnlyList<InterfacePoint>> GetInterfaceSeriesAsync(int ifId, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(InterfaceSeriesSql, connection);
        command.Parameters.AddWithValue("ifid", ifId);
        // Npgsql sends timestamptz only from UTC values.
        command.Parameters.AddWithValue("from", NpgsqlDbType.TimestampTz, from.UtcDateTime);
        command.Parameters.AddWithValue("to", NpgsqlDbType.TimestampTz, to.UtcDateTime);
        var points = new List<InterfacePoint>();
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            points.Add(new InterfacePoint(
                new DateTimeOffset(reader.GetFieldValue<DateTime>(0), TimeSpan.Zero),
                reader.GetInt64(1),
                reader.GetInt64(2),
                reader.GetInt64(3),
                reader.GetInt32(4),
                reader.GetInt32(5)));
        }

        return points;
    }

    public async Task SaveCheckpointsAsync(IReadOnlyList<Checkpoint> checkpoints, CancellationToken ct)
    {
        if (checkpoints.Count == 0)
        {
            return;
        }

        var scopes = new string[checkpoints.Count];
        var keys = new string[checkpoints.Count];
        var states = new byte[checkpoints.Count][];
        for (var i = 0; i < checkpoints.Count; i++)
        {
            (scopes[i], keys[i], states[i]) = (checkpoints[i].Scope, checkpoints[i].Key, checkpoints[i].State);
        }

        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(UpsertCheckpointsSql, connection);
        command.Parameters.AddWithValue("scopes", NpgsqlDbType.Array | NpgsqlDbType.Text, scopes);
        command.Parameters.AddWithValue("keys", NpgsqlDbType.Array | NpgsqlDbType.Text, keys);
        command.Parameters.AddWithValue("states", NpgsqlDbType.Array | NpgsqlDbType.Bytea, states);
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<Checkpoint>> LoadCheckpointsAsync(string scope, IReadOnlyList<string> keys, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("SELECT key, state FROM entity_checkpoints WHERE scope = @scope AND key = ANY(@keys)", connection);
        command.Parameters.AddWithValue("scope", scope);
        command.Parameters.AddWithValue("keys", NpgsqlDbType.Array | NpgsqlDbType.Text, keys.ToArray());
        return await ReadCheckpointsAsync(command, scope, ct).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<Checkpoint>> LoadCheckpointScopeAsync(string scope, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("SELECT key, state FROM entity_checkpoints WHERE scope = @scope", connection);
        command.Parameters.AddWithValue("scope", scope);
        return await ReadCheckpointsAsync(command, scope, ct).ConfigureAwait(false);
    }

    private static async Task<IReadOnlyList<Checkpoint>> ReadCheckpointsAsync(NpgsqlCommand command, string scope, CancellationToken ct)
    {
        var found = new List<Checkpoint>();
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            found.Add(new Checkpoint(scope, reader.GetString(0), reader.GetFieldValue<byte[]>(1)));
        }

        return found;
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    /// <summary>
    /// Makes both tables hypertables when TimescaleDB is available; returns the mode for <see cref="Description"/>.
    /// Runs under a savepoint: if any Timescale call fails (not preloaded, no privilege, an Apache-only build
    /// lacking something) the savepoint is rolled back and the plain tables, already created, stay in use.
    /// </summary>
    private async Task<string> TryUseTimescaleAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        string? available;
        await using (var probe = new NpgsqlCommand("SELECT default_version FROM pg_available_extensions WHERE name = @name", connection, transaction))
        {
            probe.Parameters.AddWithValue("name", "timescaledb");
            available = await probe.ExecuteScalarAsync(ct).ConfigureAwait(false) as string;
        }

        if (available is null)
        {
            UsesHypertables = false;
            return "(plain tables; TimescaleDB not installed)";
        }

        const string Savepoint = "flowhive_timescale";
        await transaction.SaveAsync(Savepoint, ct).ConfigureAwait(false);
        try
        {
            await ExecuteAsync(connection, transaction, "CREATE EXTENSION IF NOT EXISTS timescaledb", ct).ConfigureAwait(false);
            string installed;
            await using (var version = new NpgsqlCommand("SELECT extversion FROM pg_extension WHERE extname = @name", connection, transaction))
            {
                version.Parameters.AddWithValue("name", "timescaledb");
                installed = (string)(await version.ExecuteScalarAsync(ct).ConfigureAwait(false))!;
            }

            // TimescaleDB 2.13 introduced create_hypertable(relation, dimension) and deprecated the
            // (relation, time_column_name, ...) form, which older 2.x releases still need. Both are called as
            // their documentation describes: one-day chunks; if_not_exists so that a restart is a no-op;
            // migrate_data so that tables created plain earlier (TimescaleDB installed later) convert with their rows.
            var sql = ParseTimescaleVersion(installed) >= TimescaleGeneralizedApi
                ? "SELECT create_hypertable(@relation::regclass, by_range(@column::name, INTERVAL '1 day'), if_not_exists => TRUE, migrate_data => TRUE)"
                : "SELECT create_hypertable(@relation::regclass, @column::name, chunk_time_interval => INTERVAL '1 day', if_not_exists => TRUE, migrate_data => TRUE)";
            foreach (var relation in new[] { "interface_ts", "host_ts" })
            {
                await using var hypertable = new NpgsqlCommand(sql, connection, transaction);
                hypertable.Parameters.AddWithValue("relation", relation);
                hypertable.Parameters.AddWithValue("column", "ts");
                await hypertable.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }

            await transaction.ReleaseAsync(Savepoint, ct).ConfigureAwait(false);
            UsesHypertables = true;
            return $"with TimescaleDB {installed} (hypertables)";
        }
        catch (PostgresException e)
        {
            await transaction.RollbackAsync(Savepoint, ct).ConfigureAwait(false);
            StorageLog.TimescaleFallback(_logger, e.MessageText);
            UsesHypertables = false;
            return $"(plain tables; TimescaleDB {available} available but unusable: {e.MessageText})";
        }
    }

    private static Version ParseTimescaleVersion(string text)
    {
        // extversion may carry a suffix ("2.14.0-dev"): compare the numeric part.
        var numeric = text.Split('-', 2)[0];
        return Version.TryParse(numeric, out var version) ? version : new Version(0, 0);
    }

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken ct)
    {
        try
        {
            return await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        }
        catch (NpgsqlException e) when (!ct.IsCancellationRequested)
        {
            throw new StatsStoreException($"Cannot connect to the PostgreSQL stats store at {Target}: {Explain(e)}", e);
        }
    }

    /// <summary>The exception's message and its causes' (e.g. "Failed to connect to 127.0.0.1:1 (Connection refused)").</summary>
    private static string Explain(Exception e)
    {
        var message = e.Message;
        for (var inner = e.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (!message.Contains(inner.Message, StringComparison.Ordinal))
            {
                message += $" ({inner.Message})";
            }
        }

        return message;
    }

    private static async Task CopyInterfacesAsync(NpgsqlConnection connection, IReadOnlyList<InterfaceMinuteRow> rows, CancellationToken ct)
    {
        await using var importer = await connection.BeginBinaryImportAsync(CopyInterfacesSql, ct).ConfigureAwait(false);
        foreach (var row in rows)
        {
            await importer.StartRowAsync(ct).ConfigureAwait(false);
            await importer.WriteAsync(row.IfId, NpgsqlDbType.Integer, ct).ConfigureAwait(false);
            await importer.WriteAsync(MinuteClock.Truncate(row.Minute).UtcDateTime, NpgsqlDbType.TimestampTz, ct).ConfigureAwait(false);
            await importer.WriteAsync(row.IfName, NpgsqlDbType.Text, ct).ConfigureAwait(false);
            await importer.WriteAsync(row.Bytes, NpgsqlDbType.Bigint, ct).ConfigureAwait(false);
            await importer.WriteAsync(row.Packets, NpgsqlDbType.Bigint, ct).ConfigureAwait(false);
            await importer.WriteAsync(row.Flows, NpgsqlDbType.Bigint, ct).ConfigureAwait(false);
            await importer.WriteAsync(row.ActiveHosts, NpgsqlDbType.Integer, ct).ConfigureAwait(false);
            await importer.WriteAsync(row.ActiveFlows, NpgsqlDbType.Integer, ct).ConfigureAwait(false);
        }

        await importer.CompleteAsync(ct).ConfigureAwait(false);
    }

    private static async Task CopyHostsAsync(NpgsqlConnection connection, IReadOnlyList<HostMinuteRow> rows, CancellationToken ct)
    {
        await using var importer = await connection.BeginBinaryImportAsync(CopyHostsSql, ct).ConfigureAwait(false);
        foreach (var row in rows)
        {
            await importer.StartRowAsync(ct).ConfigureAwait(false);
            await importer.WriteAsync(row.IfId, NpgsqlDbType.Integer, ct).ConfigureAwait(false);
            await importer.WriteAsync((int)row.Vlan, NpgsqlDbType.Integer, ct).ConfigureAwait(false);
            // ToIPAddress gives IPv4 for IPv4-mapped addresses, which is what inet filters expect.
            await importer.WriteAsync(row.Ip.ToIPAddress(), NpgsqlDbType.Inet, ct).ConfigureAwait(false);
            await importer.WriteAsync(MinuteClock.Truncate(row.Minute).UtcDateTime, NpgsqlDbType.TimestampTz, ct).ConfigureAwait(false);
            await importer.WriteAsync(unchecked((long)row.Mac), NpgsqlDbType.Bigint, ct).ConfigureAwait(false);
            await importer.WriteAsync(row.BytesSent, NpgsqlDbType.Bigint, ct).ConfigureAwait(false);
            await importer.WriteAsync(row.BytesRcvd, NpgsqlDbType.Bigint, ct).ConfigureAwait(false);
            await importer.WriteAsync(row.PacketsSent, NpgsqlDbType.Bigint, ct).ConfigureAwait(false);
            await importer.WriteAsync(row.PacketsRcvd, NpgsqlDbType.Bigint, ct).ConfigureAwait(false);
            await importer.WriteAsync(row.FlowsAsClient, NpgsqlDbType.Bigint, ct).ConfigureAwait(false);
            await importer.WriteAsync(row.FlowsAsServer, NpgsqlDbType.Bigint, ct).ConfigureAwait(false);
        }

        await importer.CompleteAsync(ct).ConfigureAwait(false);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }
}
