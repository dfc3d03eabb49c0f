using Flowhive.Hosting;

namespace Flowhive.Collector.Configuration;

/// <summary>
/// The jobs a collector node can take: one binary, roles by flag. <c>ingest</c> terminates ZeroMQ/NetFlow and
/// captures, <c>state</c> hosts the sharded host and interface entities, <c>api</c> serves the web UI and REST API,
/// <c>writer</c> owns the store connection. The default takes all four (a one-node deployment).
/// </summary>
public static class ClusterRoles
{
    public const string Ingest = "ingest";
    public const string State = "state";
    public const string Api = "api";
    public const string Writer = "writer";

    public static readonly IReadOnlyList<string> All = [Ingest, State, Api, Writer];

    /// <summary>Parses "ingest,state" (or "all"); unknown or missing roles are a command-line error.</summary>
    public static IReadOnlyList<string> Parse(string? value)
    {
        if (value is null || value.Trim() == "all")
        {
            return All;
        }

        var roles = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToArray();
        if (roles.Length == 0)
        {
            throw new CommandLineException("--cluster-roles: no role given (use any of ingest,state,api,writer or all)");
        }

        foreach (var role in roles)
        {
            if (!All.Contains(role, StringComparer.Ordinal))
            {
                throw new CommandLineException($"--cluster-roles: unknown role '{role}' (roles: ingest, state, api, writer, or all)");
            }
        }

        return roles;
    }
}
