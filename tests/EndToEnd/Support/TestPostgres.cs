using System.Diagnostics;
using Npgsql;

namespace Flowhive.EndToEnd.Support;

/// <summary>
/// The real PostgreSQL the tests use: FLOWHIVE_TEST_PG when the test command set it, otherwise the private
/// server that scripts/postgres.sh starts. Each test gets a database of its own.
/// </summary>
public static class TestPostgres
{
    private static readonly Lazy<string> Server = new(Resolve);

    public static async Task<string> CreateDatabaseAsync()
    {
        var name = "flowhive_e2e_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(Server.Value))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(Server.Value) { Database = name }.ConnectionString;
    }

    private static string Resolve()
    {
        var fromEnv = Environment.GetEnvironmentVariable("FLOWHIVE_TEST_PG");
        if (!string.IsNullOrEmpty(fromEnv))
        {
            return fromEnv;
        }

        var script = Path.Combine(Repo.Root, "scripts", "postgres.sh");
        Run(script, "start");
        return Run(script, "url").Trim();
    }

    private static string Run(string script, string verb)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(verb);
        using var p = Process.Start(start)!;
        var output = p.StandardOutput.ReadToEnd();
        var error = p.StandardError.ReadToEnd();
        p.WaitForExit();
        return p.ExitCode == 0 ? output : throw new InvalidOperationException($"{script} {verb} failed: {error}");
    }
}
