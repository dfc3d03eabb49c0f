using Npgsql;

namespace Flowhive.Collector.Node.Tests.Storage;

/// <summary>
/// One fresh database per test class (<c>flowhive_test_&lt;random&gt;</c>), plus any further fresh databases the
/// class asks for; all are dropped when the class is done.
/// </summary>
public sealed class PostgresDatabaseFixture : IAsyncLifetime
{
    private readonly List<string> _databases = [];
    private string _server = string.Empty;

    /// <summary>The class's database.</summary>
    public string ConnectionString { get; private set; } = string.Empty;

    public async Task InitializeAsync()
    {
        _server = await PostgresServer.GetConnectionStringAsync();
        ConnectionString = await CreateDatabaseAsync();
    }

    /// <summary>Creates another empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"flowhive_test_{Guid.NewGuid():N}";
        // CREATE DATABASE takes no parameters; the name is built here from hex digits only.
        await ExecuteOnServerAsync($"CREATE DATABASE {name}");
        lock (_databases)
        {
            _databases.Add(name);
        }

        return new NpgsqlConnectionStringBuilder(_server) { Database = name }.ConnectionString;
    }

    public async Task DisposeAsync()
    {
        string[] names;
        lock (_databases)
        {
            names = [.. _databases];
        }

        foreach (var name in names)
        {
            // FORCE ends sessions that a store's pool may still hold.
            await ExecuteOnServerAsync($"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
        }
    }

    private async Task ExecuteOnServerAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_server);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
