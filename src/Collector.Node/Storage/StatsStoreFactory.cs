using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Flowhive.Collector.Storage;

/// <summary>Turns the collector's <c>-F</c> value (ntopng style) into a stats store.</summary>
public static partial class StatsStoreFactory
{
    /// <summary>The accepted <c>-F</c> forms, as error messages list them.</summary>
    public const string AcceptedForms =
        "sqlite | sqlite;<file.db> | postgresql;<Npgsql connection string> | timescaledb;<Npgsql connection string> | postgresql://user:password@host:port/database";

    /// <summary>The file name of the default store inside the data directory.</summary>
    public const string DefaultSqliteFileName = "flowhive.db";

    /// <summary>
    /// Creates the store that <paramref name="spec"/> names; nothing is opened or contacted until
    /// <see cref="IStatsStore.InitializeAsync"/>. Accepted forms (the keywords are case-insensitive):
    /// <list type="bullet">
    /// <item><c>null</c>, empty, or <c>sqlite</c>: SQLite file <c>&lt;dataDirectory&gt;/flowhive.db</c> (the default).</item>
    /// <item><c>sqlite;/path/file.db</c>: SQLite file at that path (a relative path is relative to the working directory).</item>
    /// <item><c>postgresql;Host=127.0.0.1;Port=55432;Username=flowhive;Password=x;Database=flowhive</c>: PostgreSQL via an Npgsql connection string.</item>
    /// <item><c>timescaledb;&lt;Npgsql connection string&gt;</c>: the same store, stating the intent; hypertables are used whenever the extension is available, and plain tables otherwise (see <see cref="IStatsStore.Description"/>).</item>
    /// <item><c>postgresql://user:password@host:port/database</c> (or <c>postgres://</c>): libpq URL form; port defaults to 5432, user name and password are percent-decoded, and query parameters (<c>?Timeout=5</c>) are Npgsql connection-string keywords.</item>
    /// </list>
    /// </summary>
    /// <exception cref="ArgumentException">Any other value; the one-line message names it (passwords masked) and lists the accepted forms.</exception>
    public static IStatsStore Create(string? spec, string dataDirectory, ILoggerFactory loggerFactory)
    {
        var value = spec?.Trim();
        if (string.IsNullOrEmpty(value) || value.Equals("sqlite", StringComparison.OrdinalIgnoreCase))
        {
            return new SqliteStatsStore(Path.Combine(dataDirectory, DefaultSqliteFileName), loggerFactory.CreateLogger<SqliteStatsStore>());
        }

        if (value.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase) || value.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase))
        {
            return CreatePostgres(PostgresUrlToConnectionString(value, spec!), spec!, loggerFactory);
        }

        var separator = value.IndexOf(';', StringComparison.Ordinal);
        if (separator > 0)
        {
            var kind = value[..separator];
            var rest = value[(separator + 1)..].Trim();
            if (rest.Length > 0)
            {
                if (kind.Equals("sqlite", StringComparison.OrdinalIgnoreCase))
                {
                    return new SqliteStatsStore(rest, loggerFactory.CreateLogger<SqliteStatsStore>());
                }

                if (kind.Equals("postgresql", StringComparison.OrdinalIgnoreCase) || kind.Equals("timescaledb", StringComparison.OrdinalIgnoreCase))
                {
                    return CreatePostgres(rest, spec!, loggerFactory);
                }
            }
        }

        throw Invalid(spec!, null);
    }

    /// <summary>Translates a libpq-style URL into an Npgsql connection string.</summary>
    internal static string PostgresUrlToConnectionString(string url, string spec)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            throw Invalid(spec, "not a valid URL");
        }

        var builder = new NpgsqlConnectionStringBuilder
        {
            // Uri keeps the brackets of an IPv6 literal; Npgsql wants the bare address.
            Host = uri.Host.Trim('[', ']'),
            Port = uri.Port > 0 ? uri.Port : 5432,
        };

        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            if (colon >= 0)
            {
                builder.Password = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
            }
        }

        var database = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        if (database.Length > 0)
        {
            builder.Database = database;
        }

        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
            var parameter = equals < 0 ? string.Empty : Uri.UnescapeDataString(pair[(equals + 1)..]);
            try
            {
                builder[key] = parameter;
            }
            catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException)
            {
                throw Invalid(spec, $"unknown or bad parameter '{key}'");
            }
        }

        return builder.ConnectionString;
    }

    private static PostgresStatsStore CreatePostgres(string connectionString, string spec, ILoggerFactory loggerFactory)
    {
        try
        {
            return new PostgresStatsStore(connectionString, loggerFactory.CreateLogger<PostgresStatsStore>());
        }
        catch (ArgumentException e)
        {
            // Restated in the factory's one-line form (bad value, password masked, accepted forms).
            var reason = e.ParamName is null ? e.Message : e.Message.Replace($" (Parameter '{e.ParamName}')", string.Empty, StringComparison.Ordinal);
            throw Invalid(spec, FirstLine(reason));
        }
    }

    private static ArgumentException Invalid(string spec, string? reason)
    {
        var why = reason is null ? string.Empty : $" ({reason})";
        return new ArgumentException(
            $"Invalid stats store -F '{Mask(spec)}'{why}; accepted forms: {AcceptedForms}",
            nameof(spec));
    }

    /// <summary>Hides passwords so that the error can be logged: "Password=***", "user:***@host".</summary>
    internal static string Mask(string spec) =>
        UrlPassword().Replace(KeywordPassword().Replace(FirstLine(spec), "$1***"), "$1***@");

    private static string FirstLine(string text)
    {
        var end = text.IndexOfAny(['\r', '\n']);
        return end < 0 ? text : text[..end];
    }

    [GeneratedRegex(@"((?:password|pwd)\s*=\s*)[^;]*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex KeywordPassword();

    [GeneratedRegex(@"(://[^:/@]*:)[^@]*@", RegexOptions.CultureInvariant)]
    private static partial Regex UrlPassword();
}
