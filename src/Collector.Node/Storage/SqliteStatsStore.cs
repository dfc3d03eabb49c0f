using System.Diagnostics;
using Flowhive.Shared.Cluster.Messages;
using Flowhive.Shared.Net;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Flowhive.Collector.Storage;

/// <summary>
/// The zero-setup store: one SQLite file in the data directory.
/// </summary>
/// <remarks>
/// Schema (version 2):
/// <list type="bullet">
/// <item><c>interface_ts(ifid, ts, ifname, bytes, packets, flows, active_hosts, active_flows)</c>, key (ifid, ts)</item>
/// <item><c>host_ts(ifid, vlan, ip, ts, mac, bytes_sent, bytes_rcvd, packets_sent, packets_rcvd, flows_as_client, flows_as_server)</c>, key (ifid, vlan, ip, ts)</item>
/// <item>(version 2) <c>entity_checkpoints(scope, key, state, saved_at)</c>, key (scope, key): the state entities' checkpoints (<see cref="ICheckpointStore"/>); <c>saved_at</c> in Unix milliseconds</item>
/// </list>
/// <c>ts</c> is the Unix time in seconds of the UTC minute (<c>datetime(ts, 'unixepoch')</c> shows it);
/// <c>ip</c> is a 16-byte BLOB in network order with IPv4 IPv4-mapped (::ffff:a.b.c.d), so both families share
/// one key and byte order equals address order; <c>mac</c> is the 48-bit MAC as an integer (0 = unknown).
/// Both tables are WITHOUT ROWID: the key is the clustered index, which is the only one the queries need.
/// <para>
/// One connection is kept open (WAL, <c>synchronous=NORMAL</c>: a power cut may lose the last commits but never
/// corrupts the file). Calls are serialised by a gate, and run on the thread pool because Microsoft.Data.Sqlite's
/// async methods complete synchronously and the callers are actors that must not block their dispatcher.
/// </para>
/// </remarks>
public sealed class SqliteStatsStore : IStatsStore, ICheckpointStore
{
    private const int SchemaVersion = 2;

    /// <summary>Index i upgrades the schema from version i to i + 1.</summary>
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE interface_ts (
            ifid         INTEGER NOT NULL,
            ts           INTEGER NOT NULL,
            ifname       TEXT    NOT NULL,
            bytes        INTEGER NOT NULL,
            packets      INTEGER NOT NULL,
            flows        INTEGER NOT NULL,
            active_hosts INTEGER NOT NULL,
            active_flows INTEGER NOT NULL,
            PRIMARY KEY (ifid, ts)
        ) WITHOUT ROWID;
        CREATE TABLE host_ts (
            ifid            INTEGER NOT NULL,
            vlan            INTEGER NOT NULL,
            ip              BLOB    NOT NULL,
            ts              INTEGER NOT NULL,
            mac             INTEGER NOT NULL,
            bytes_sent      INTEGER NOT NULL,
            bytes_rcvd      INTEGER NOT NULL,
            packets_sent    INTEGER NOT NULL,
            packets_rcvd    INTEGER NOT NULL,
            flows_as_client INTEGER NOT NULL,
            flows_as_server INTEGER NOT NULL,
            PRIMARY KEY (ifid, vlan, ip, ts)
        ) WITHOUT ROWID;
        """,
        """
        CREATE TABLE entity_checkpoints (
            scope    TEXT    NOT NULL,
            key      TEXT    NOT NULL,
            state    BLOB    NOT NULL,
            saved_at INTEGER NOT NULL,
            PRIMARY KEY (scope, key)
        ) WITHOUT ROWID;
        """,
    ];

    private const string UpsertCheckpointSql = """
        INSERT INTO entity_checkpoints (scope, key, state, saved_at) VALUES ($scope, $key, $state, $saved_at)
        ON CONFLICT (scope, key) DO UPDATE SET state = excluded.state, saved_at = excluded.saved_at
        """;

    private const string UpsertInterfaceSql = """
        INSERT INTO interface_ts (ifid, ts, ifname, bytes, packets, flows, active_hosts, active_flows)
        VALUES ($ifid, $ts, $ifname, $bytes, $packets, $flows, $active_hosts, $active_flows)
        ON CONFLICT (ifid, ts) DO UPDATE SET
            ifname       = excluded.ifname,
            bytes        = bytes + excluded.bytes,
            packets      = packets + excluded.packets,
            flows        = flows + excluded.flows,
            active_hosts = max(active_hosts, excluded.active_hosts),
            active_flows = max(active_flows, excluded.active_flows)
        """;

    private const string UpsertHostSql = """
        INSERT INTO host_ts (ifid, vlan, ip, ts, mac, bytes_sent, bytes_rcvd, packets_sent, packets_rcvd, flows_as_client, flows_as_server)
        VALUES ($ifid, $vlan, $ip, $ts, $mac, $bytes_sent, $bytes_rcvd, $packets_sent, $packets_rcvd, $flows_as_client, $flows_as_server)
        ON CONFLICT (ifid, vlan, ip, ts) DO UPDATE SET
            mac             = CASE WHEN excluded.mac <> 0 THEN excluded.mac ELSE mac END,
            bytes_sent      = bytes_sent + excluded.bytes_sent,
            bytes_rcvd      = bytes_rcvd + excluded.bytes_rcvd,
            packets_sent    = packets_sent + excluded.packets_sent,
            packets_rcvd    = packets_rcvd + excluded.packets_rcvd,
            flows_as_client = flows_as_client + excluded.flows_as_client,
            flows_as_server = flows_as_server + excluded.flows_as_server
        """;

    private const string HostTotalsSql = """
        SELECT vlan, ip, sum(bytes_sent), sum(bytes_rcvd), sum(packets_sent), sum(packets_rcvd), sum(flows_as_client), sum(flows_as_server)
        FROM host_ts
        WHERE ifid = $ifid
        GROUP BY vlan, ip
        """;

    private const string InterfaceSeriesSql = """
        SELECT ts, bytes, packets, flows, active_hosts, active_flows
        FROM interface_ts
        WHERE ifid = $ifid AND ts >= $from AND ts < $to
        ORDER BY ts
        """;

    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private SqliteConnection? _connection;
    private SqliteCommand? _upsertInterface;
    private SqliteCommand? _upsertHost;
    private bool _disposed;

    public SqliteStatsStore(string path, ILogger logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        FilePath = System.IO.Path.GetFullPath(path);
        _logger = logger;
    }

    /// <summary>The database file (absolute).</summary>
    public string FilePath { get; }

    public string Description => $"sqlite ({FilePath})";

    public Task InitializeAsync(CancellationToken ct) => RunGatedAsync(() =>
    {
        var connection = EnsureOpen();
        var version = Migrate(connection);
        StorageLog.StoreReady(_logger, Description, version);
        return true;
    }, ct);

    public Task WriteAsync(StatsBatch batch, CancellationToken ct)
    {
        if (batch.IsEmpty)
        {
            return Task.CompletedTask;
        }

        return RunGatedAsync(() =>
        {
            Write(batch, ct);
            return true;
        }, ct);
    }

    public Task<IReadOnlyList<HostTotals>> GetHostTotalsAsync(int ifId, CancellationToken ct) =>
        RunGatedAsync<IReadOnlyList<HostTotals>>(() =>
        {
            using var command = EnsureOpen().CreateCommand();
            command.CommandText = HostTotalsSql;
            command.Parameters.AddWithValue("$ifid", ifId);
            var totals = new List<HostTotals>();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                totals.Add(new HostTotals(
                    (ushort)reader.GetInt32(0),
                    IpAddr.FromV6Bytes(reader.GetFieldValue<byte[]>(1)),
                    reader.GetInt64(2),
                    reader.GetInt64(3),
                    reader.GetInt64(4),
                    reader.GetInt64(5),
                    reader.GetInt64(6),
                    reader.GetInt64(7)));
            }

            // The same order as PostgresStatsStore, which cannot sort inet like IpAddr does.
            totals.Sort(HostTotalsOrder.Compare);
            return totals;
        }, ct);

    public Task<IReadOnlyList<InterfacePoint>> GetInterfaceSeriesAsync(int ifId, DateTimeOffset from, DateTimeOffset to, CancellationToken ct) =>
        RunGatedAsync<IReadOnlyList<InterfacePoint>>(() =>
        {
            using var command = EnsureOpen().CreateCommand();
            command.CommandText = InterfaceSeriesSql;
            command.Parameters.AddWithValue("$ifid", ifId);
            // ts holds whole seconds, so "ts >= from" and "ts < to" equal the same tests against the ceilings.
            command.Parameters.AddWithValue("$from", CeilingUnixSeconds(from));
            command.Parameters.AddWithValue("$to", CeilingUnixSeconds(to));
            var points = new List<InterfacePoint>();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                points.Add(new InterfacePoint(
                    DateTimeOffset.FromUnixTimeSeconds(reader.GetInt64(0)),
                    reader.GetInt64(1),
                    reader.GetInt64(2),
                    reader.GetInt64(3),
                    reader.GetInt32(4),
                    reader.GetInt32(5)));
            }

            return points;
        }, ct);

    public Task SaveCheckpointsAsync(IReadOnlyList<Checkpoint> checkpoints, CancellationToken ct)
    {
        if (checkpoints.Count == 0)
        {
            return Task.CompletedTask;
        }

        return RunGatedAsync(() =>
        {
            var connection = EnsureOpen();
            using var transaction = connection.BeginTransaction();
            using var upsert = connection.CreateCommand();
            upsert.Transaction = transaction;
            upsert.CommandText = UpsertCheckpointSql;
            var scope = upsert.Parameters.Add("$scope", SqliteType.Text);
            var key = upsert.Parameters.Add("$key", SqliteType.Text);
            var state = upsert.Parameters.Add("$state", SqliteType.Blob);
            upsert.Parameters.AddWithValue("$saved_at", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            upsert.Prepare();
            foreach (var checkpoint in checkpoints)
            {
                ct.ThrowIfCancellationRequested();
                scope.Value = checkpoint.Scope;
                key.Value = checkpoint.Key;
                state.Value = checkpoint.State;
                upsert.ExecuteNonQuery();
            }

            transaction.Commit();
            return true;
        }, ct);
    }

    public Task<IReadOnlyList<Checkpoint>> LoadCheckpointsAsync(string scope, IReadOnlyList<string> keys, CancellationToken ct) =>
        RunGatedAsync<IReadOnlyList<Checkpoint>>(() =>
        {
            // One prepared point lookup per key: in-process, that is cheaper than building an IN list.
            using var query = EnsureOpen().CreateCommand();
            query.CommandText = "SELECT state FROM entity_checkpoints WHERE scope = $scope AND key = $key";
            query.Parameters.AddWithValue("$scope", scope);
            var key = query.Parameters.Add("$key", SqliteType.Text);
            query.Prepare();
            var found = new List<Checkpoint>();
            foreach (var k in keys)
            {
                key.Value = k;
                if (query.ExecuteScalar() is byte[] state)
                {
                    found.Add(new Checkpoint(scope, k, state));
                }
            }

            return found;
        }, ct);

    public Task<IReadOnlyList<Checkpoint>> LoadCheckpointScopeAsync(string scope, CancellationToken ct) =>
        RunGatedAsync<IReadOnlyList<Checkpoint>>(() =>
        {
            using var query = EnsureOpen().CreateCommand();
            query.CommandText = "SELECT key, state FROM entity_checkpoints WHERE scope = $scope";
            query.Parameters.AddWithValue("$scope", scope);
            var found = new List<Checkpoint>();
            using var reader = query.ExecuteReader();
            while (reader.Read())
            {
                found.Add(new Checkpoint(scope, reader.GetString(0), reader.GetFieldValue<byte[]>(1)));
            }

            return found;
        }, ct);

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _upsertInterface?.Dispose();
            _upsertHost?.Dispose();
            // Closing the last connection checkpoints the WAL into the main file.
            _connection?.Dispose();
            _connection = null;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<T> RunGatedAsync<T>(Func<T> work, CancellationToken ct)
    {
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return await Task.Run(work, ct).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private SqliteConnection EnsureOpen()
    {
        if (_connection is not null)
        {
            return _connection;
        }

        var directory = System.IO.Path.GetDirectoryName(FilePath);
        try
        {
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new StatsStoreException($"Cannot create the directory '{directory}' for the SQLite stats store '{FilePath}': {e.Message}", e);
        }

        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = FilePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            // The store owns its one connection for its whole life; a pool would only keep the file open after disposal.
            Pooling = false,
            // Another collector (or a backup) holding the write lock is waited for this long, not failed at once.
            DefaultTimeout = 30,
        }.ToString();

        var connection = new SqliteConnection(connectionString);
        try
        {
            connection.Open();
            // Opening is lazy: these are the first statements that read the file, so a file that is not a
            // database (or not writable) fails here, still inside the try that names the path.
            Execute(connection, "PRAGMA journal_mode = WAL");
            Execute(connection, "PRAGMA synchronous = NORMAL");
            Execute(connection, "PRAGMA busy_timeout = 30000");
        }
        catch (SqliteException e)
        {
            connection.Dispose();
            throw new StatsStoreException($"Cannot open the SQLite stats store '{FilePath}': {e.Message}", e);
        }

        _connection = connection;
        return connection;
    }

    private int Migrate(SqliteConnection connection)
    {
        // BEGIN IMMEDIATE takes the write lock before reading the version, so a second process opening the same
        // file waits (busy_timeout) and then sees the finished schema instead of racing to create it.
        using var transaction = connection.BeginTransaction(deferred: false);
        Execute(connection, """
            CREATE TABLE IF NOT EXISTS flowhive_schema_version (
                version    INTEGER NOT NULL PRIMARY KEY,
                applied_at TEXT    NOT NULL
            )
            """, transaction);

        int current;
        using (var query = connection.CreateCommand())
        {
            query.Transaction = transaction;
            query.CommandText = "SELECT coalesce(max(version), 0) FROM flowhive_schema_version";
            current = Convert.ToInt32(query.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }

        if (current > SchemaVersion)
        {
            throw new StatsStoreException(
                $"The SQLite stats store '{FilePath}' has schema version {current}, newer than this collector's {SchemaVersion}; upgrade the collector.",
                null);
        }

        for (var version = current; version < SchemaVersion; version++)
        {
            Execute(connection, Migrations[version], transaction);
            using var record = connection.CreateCommand();
            record.Transaction = transaction;
            record.CommandText = "INSERT INTO flowhive_schema_version (version, applied_at) VALUES ($version, $applied_at)";
            record.Parameters.AddWithValue("$version", version + 1);
            record.Parameters.AddWithValue("$applied_at", DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            record.ExecuteNonQuery();
        }

        transaction.Commit();
        if (current != SchemaVersion)
        {
            StorageLog.SchemaUpgraded(_logger, current, SchemaVersion);
        }

        return SchemaVersion;
    }

    private void Write(StatsBatch batch, CancellationToken ct)
    {
        var connection = EnsureOpen();
        var stopwatch = Stopwatch.StartNew();
        try
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            WriteInterfaces(connection, transaction, batch.Interfaces, ct);
            WriteHosts(connection, transaction, batch.Hosts, ct);
            transaction.Commit();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            StorageLog.BatchFailed(_logger, e, batch.Interfaces.Count, batch.Hosts.Count);
            throw;
        }

        StorageLog.BatchWritten(_logger, batch.Interfaces.Count, batch.Hosts.Count, stopwatch.ElapsedMilliseconds);
    }

    private void WriteInterfaces(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<InterfaceMinuteRow> rows, CancellationToken ct)
    {
        if (rows.Count == 0)
        {
            return;
        }

        var command = _upsertInterface ??= Prepare(connection, UpsertInterfaceSql,
            ("$ifid", SqliteType.Integer), ("$ts", SqliteType.Integer), ("$ifname", SqliteType.Text),
            ("$bytes", SqliteType.Integer), ("$packets", SqliteType.Integer), ("$flows", SqliteType.Integer),
            ("$active_hosts", SqliteType.Integer), ("$active_flows", SqliteType.Integer));
        command.Transaction = transaction;
        var p = command.Parameters;
        for (var i = 0; i < rows.Count; i++)
        {
            ct.ThrowIfCancellationRequested();
            var row = rows[i];
            p[0].Value = row.IfId;
            p[1].Value = MinuteClock.ToUnixMinute(row.Minute);
            p[2].Value = row.IfName;
            p[3].Value = row.Bytes;
            p[4].Value = row.Packets;
            p[5].Value = row.Flows;
            p[6].Value = row.ActiveHosts;
            p[7].Value = row.ActiveFlows;
            command.ExecuteNonQuery();
        }
    }

    private void WriteHosts(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<HostMinuteRow> rows, CancellationToken ct)
    {
        if (rows.Count == 0)
        {
            return;
        }

        var command = _upsertHost ??= Prepare(connection, UpsertHostSql,
            ("$ifid", SqliteType.Integer), ("$vlan", SqliteType.Integer), ("$ip", SqliteType.Blob), ("$ts", SqliteType.Integer),
            ("$mac", SqliteType.Integer), ("$bytes_sent", SqliteType.Integer), ("$bytes_rcvd", SqliteType.Integer),
            ("$packets_sent", SqliteType.Integer), ("$packets_rcvd", SqliteType.Integer),
            ("$flows_as_client", SqliteType.Integer), ("$flows_as_server", SqliteType.Integer));
        command.Transaction = transaction;
        var p = command.Parameters;
        // SQLite copies a bound blob (SQLITE_TRANSIENT), so one buffer serves every row.
        var ip = new byte[16];
        p[2].Value = ip;
        for (var i = 0; i < rows.Count; i++)
        {
            if ((i & 1023) == 0)
            {
                ct.ThrowIfCancellationRequested();
            }

            var row = rows[i];
            row.Ip.WriteV6Bytes(ip);
            p[0].Value = row.IfId;
            p[1].Value = (int)row.Vlan;
            p[3].Value = MinuteClock.ToUnixMinute(row.Minute);
            p[4].Value = unchecked((long)row.Mac);
            p[5].Value = row.BytesSent;
            p[6].Value = row.BytesRcvd;
            p[7].Value = row.PacketsSent;
            p[8].Value = row.PacketsRcvd;
            p[9].Value = row.FlowsAsClient;
            p[10].Value = row.FlowsAsServer;
            command.ExecuteNonQuery();
        }
    }

    /// <summary>A command kept for the store's life: SQLite compiles it once and reuses the statement per row.</summary>
    private static SqliteCommand Prepare(SqliteConnection connection, string sql, params (string Name, SqliteType Type)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, type) in parameters)
        {
            command.Parameters.Add(name, type);
        }

        command.Prepare();
        return command;
    }

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static long CeilingUnixSeconds(DateTimeOffset time)
    {
        var ticks = time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        var seconds = ticks / TimeSpan.TicksPerSecond;
        // Division truncates toward zero: that is already the ceiling for negative values.
        return ticks % TimeSpan.TicksPerSecond > 0 ? seconds + 1 : seconds;
    }
}
