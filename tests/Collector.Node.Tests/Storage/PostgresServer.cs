using System.Diagnostics;

namespace Flowhive.Collector.Node.Tests.Storage;

/// <summary>
/// The PostgreSQL server the storage tests run against: <c>FLOWHIVE_TEST_PG</c> (an Npgsql connection string
/// with the right to CREATE DATABASE) when set, otherwise the repository's <c>scripts/postgres.sh</c> server,
/// started once per test run (the script is idempotent and installs PostgreSQL if it is missing).
/// </summary>
internal static class PostgresServer
{
    private static readonly Lazy<Task<string>> s_connectionString = new(StartAsync);

    public static Task<string> GetConnectionStringAsync() => s_connectionString.Value;

    private static async Task<string> StartAsync()
    {
        var configured = Environment.GetEnvironmentVariable("FLOWHIVE_TEST_PG");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

        var script = Path.Combine(FindRepositoryRoot(), "scripts", "postgres.sh");
        // Generous: the first run may apt-get install PostgreSQL.
        await RunAsync(script, "start", TimeSpan.FromMinutes(10));
        return (await RunAsync(script, "url", TimeSpan.FromSeconds(30))).Trim();
    }

    private static string FindRepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Cluster.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No Cluster.sln above {AppContext.BaseDirectory}; set FLOWHIVE_TEST_PG to a PostgreSQL connection string instead.");
    }

    private static async Task<string> RunAsync(string script, string verb, TimeSpan timeout)
    {
        var start = new ProcessStartInfo("bash", [script, verb])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Cannot run {script}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{script} {verb} did not finish within {timeout}");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{script} {verb} failed with exit code {process.ExitCode}: {(await stderr).Trim()}");
        }

        return await stdout;
    }
}
