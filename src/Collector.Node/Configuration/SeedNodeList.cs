using System.Globalization;
using Flowhive.Hosting;

namespace Flowhive.Collector.Configuration;

/// <summary>
/// Seed node lists, from <c>--seed-nodes</c> or the <c>FLOWHIVE_SEED_NODES</c> environment variable (what a
/// Kubernetes StatefulSet sets: <c>flowhive-0.flowhive:4053,flowhive-1.flowhive:4053</c>). Entries are full Akka
/// addresses (<c>akka.tcp://flowhive@host:port</c>) or the <c>host:port</c> shorthand; host names are resolved by
/// Akka when it joins, so headless-service names that do not resolve yet are fine.
/// </summary>
public static class SeedNodeList
{
    public const string EnvironmentVariable = "FLOWHIVE_SEED_NODES";
    public const string SystemName = "flowhive";

    public static IReadOnlyList<string> Parse(string? value)
    {
        var seeds = new List<string>();
        foreach (var entry in (value ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            seeds.Add(Normalize(entry));
        }

        return seeds;
    }

    private static string Normalize(string entry)
    {
        var hostPort = entry;
        if (entry.Contains("://", StringComparison.Ordinal))
        {
            var prefix = $"akka.tcp://{SystemName}@";
            if (!entry.StartsWith(prefix, StringComparison.Ordinal))
            {
                throw new CommandLineException($"--seed-nodes: '{entry}' is not a node of this cluster (expected {prefix}host:port or host:port)");
            }

            hostPort = entry[prefix.Length..].TrimEnd('/');
        }

        var colon = hostPort.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(hostPort[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw new CommandLineException($"--seed-nodes: '{entry}' has no port (expected host:port with a port between 1 and 65535)");
        }

        var host = hostPort[..colon];
        if (host.Any(c => char.IsWhiteSpace(c) || c is '/' or '@'))
        {
            throw new CommandLineException($"--seed-nodes: '{host}' is not a host name or address");
        }

        return $"akka.tcp://{SystemName}@{host}:{port}";
    }
}
