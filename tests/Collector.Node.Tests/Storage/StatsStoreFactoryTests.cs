using Flowhive.Collector.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Flowhive.Collector.Node.Tests.Storage;

/// <summary>Parsing of the collector's <c>-F</c> value; no store is opened or contacted.</summary>
public sealed class StatsStoreFactoryTests
{
    private const string DataDirectory = "/var/lib/flowhive";

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("sqlite")]
    [InlineData("SQLite")]
    public async Task The_default_is_sqlite_in_the_data_directory(string? spec)
    {
        await using var store = StatsStoreFactory.Create(spec, DataDirectory, NullLoggerFactory.Instance);
        var sqlite = Assert.IsType<SqliteStatsStore>(store);
        Assert.Equal("/var/lib/flowhive/flowhive.db", sqlite.FilePath);
        Assert.Equal("sqlite (/var/lib/flowhive/flowhive.db)", store.Description);
    }

    [Fact]
    public async Task Sqlite_with_a_path_uses_that_file()
    {
        await using var store = StatsStoreFactory.Create("sqlite;/srv/stats/flows.db", DataDirectory, NullLoggerFactory.Instance);
        Assert.Equal("/srv/stats/flows.db", Assert.IsType<SqliteStatsStore>(store).FilePath);
    }

    [Theory]
    [InlineData("postgresql;Host=127.0.0.1;Port=55432;Username=flowhive;Password=x;Database=flowhive")]
    [InlineData("timescaledb;Host=127.0.0.1;Port=55432;Username=flowhive;Password=x;Database=flowhive")]
    [InlineData("PostgreSQL; Host=127.0.0.1;Port=55432;Username=flowhive;Password=x;Database=flowhive")]
    [InlineData("postgresql://flowhive:x@127.0.0.1:55432/flowhive")]
    [InlineData("postgres://flowhive:x@127.0.0.1:55432/flowhive")]
    public async Task PostgreSQL_forms_name_the_server(string spec)
    {
        await using var store = StatsStoreFactory.Create(spec, DataDirectory, NullLoggerFactory.Instance);
        var postgres = Assert.IsType<PostgresStatsStore>(store);
        Assert.Equal("127.0.0.1:55432/flowhive", postgres.Target);
        Assert.DoesNotContain("x@", store.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void A_url_becomes_a_connection_string_with_decoded_credentials_and_options()
    {
        const string Url = "postgresql://collector%40site:p%40ss%3Bword@db.example.net:6543/flow%20stats?Timeout=5&Command%20Timeout=60";
        var builder = new NpgsqlConnectionStringBuilder(StatsStoreFactory.PostgresUrlToConnectionString(Url, Url));
        Assert.Equal("db.example.net", builder.Host);
        Assert.Equal(6543, builder.Port);
        Assert.Equal("collector@site", builder.Username);
        Assert.Equal("p@ss;word", builder.Password);
        Assert.Equal("flow stats", builder.Database);
        Assert.Equal(5, builder.Timeout);
        Assert.Equal(60, builder.CommandTimeout);
    }

    [Fact]
    public void A_url_defaults_the_port_and_accepts_an_ipv6_literal()
    {
        const string Url = "postgres://flowhive@[::1]/flowhive";
        var builder = new NpgsqlConnectionStringBuilder(StatsStoreFactory.PostgresUrlToConnectionString(Url, Url));
        Assert.Equal("::1", builder.Host);
        Assert.Equal(5432, builder.Port);
        Assert.Equal("flowhive", builder.Username);
        Assert.Null(builder.Password);
    }

    [Theory]
    [InlineData("mysql;localhost;flowhive;flows;root;pw")]
    [InlineData("sqlite3")]
    [InlineData("sqlite;")]
    [InlineData("postgresql;")]
    [InlineData("postgresql;Port=5432;Database=flowhive")]
    [InlineData("postgresql;Hots=127.0.0.1")]
    [InlineData("postgresql://")]
    [InlineData("postgresql://127.0.0.1/flowhive?nonsense=1")]
    [InlineData("timescaledb")]
    [InlineData(";sqlite")]
    public void Anything_else_is_an_argument_exception_naming_the_value_and_the_accepted_forms(string spec)
    {
        var error = Assert.Throws<ArgumentException>(() => StatsStoreFactory.Create(spec, DataDirectory, NullLoggerFactory.Instance));
        Assert.Contains($"'{spec}'", error.Message, StringComparison.Ordinal);
        Assert.Contains(StatsStoreFactory.AcceptedForms, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Theory]
    [InlineData("postgres;Host=db;Password=hunter2;Database=x")]
    [InlineData("postgresql;Host=db;Bogus=1;Password=hunter2")]
    [InlineData("postgresql://admin:hunter2@db:5432/x?nonsense=1")]
    public void The_error_message_masks_passwords(string spec)
    {
        var error = Assert.Throws<ArgumentException>(() => StatsStoreFactory.Create(spec, DataDirectory, NullLoggerFactory.Instance));
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
        Assert.Contains("***", error.Message, StringComparison.Ordinal);
    }
}
