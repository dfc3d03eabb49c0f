using Flowhive.Collector.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace Flowhive.Collector.Node.Tests.Storage;

/// <summary>The store behaviour tests on SQLite files in a temporary directory (one per test).</summary>
public sealed class SqliteStatsStoreTests : StatsStoreTests, IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"flowhive-sqlite-{Guid.NewGuid():N}");
    private int _freshFiles;

    public SqliteStatsStoreTests(ITestOutputHelper output)
        : base(output)
    {
    }

    // A subdirectory that does not exist yet: the store must create it.
    protected override string SharedTarget => Path.Combine(_directory, "data", "flowhive.db");

    protected override string StoreName => "sqlite";

    protected override Task<string> CreateFreshTargetAsync() =>
        Task.FromResult(Path.Combine(_directory, $"fresh-{Interlocked.Increment(ref _freshFiles)}.db"));

    protected override IStatsStore CreateStore(string target) => new SqliteStatsStore(target, NullLogger.Instance);

    protected override async Task<IReadOnlyList<int>> ReadSchemaVersionsAsync(string target)
    {
        await using var connection = OpenReadOnly(target);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT version FROM flowhive_schema_version ORDER BY version";
        var versions = new List<int>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            versions.Add(reader.GetInt32(0));
        }

        return versions;
    }

    [Fact]
    public async Task The_file_runs_in_wal_mode_and_the_description_names_it()
    {
        await using var store = await OpenAsync();
        Assert.Equal($"sqlite ({SharedTarget})", store.Description);
        Assert.True(File.Exists(SharedTarget));
        await using var connection = OpenReadOnly(SharedTarget);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task A_directory_that_cannot_be_created_fails_with_the_path_in_the_message()
    {
        Directory.CreateDirectory(_directory);
        var blocker = Path.Combine(_directory, "not-a-directory");
        await File.WriteAllTextAsync(blocker, "a file where a directory is needed");
        var path = Path.Combine(blocker, "sub", "flowhive.db");

        await using var store = new SqliteStatsStore(path, NullLogger.Instance);
        var error = await Assert.ThrowsAsync<StatsStoreException>(() => store.InitializeAsync(CancellationToken.None));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("Cannot create the directory", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_that_is_not_a_database_fails_with_the_path_in_the_message()
    {
        Directory.CreateDirectory(_directory);
        var path = Path.Combine(_directory, "garbage.db");
        await File.WriteAllBytesAsync(path, [.. Enumerable.Range(0, 4096).Select(i => (byte)(i * 7))]);

        await using var store = new SqliteStatsStore(path, NullLogger.Instance);
        var error = await Assert.ThrowsAsync<StatsStoreException>(() => store.InitializeAsync(CancellationToken.None));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static SqliteConnection OpenReadOnly(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }
}
