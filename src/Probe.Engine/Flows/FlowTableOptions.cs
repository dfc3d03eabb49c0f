namespace Flowhive.Probe.Engine.Flows;

/// <summary>Flow table limits and timeouts (nProbe's <c>-d</c>, <c>-t</c>, <c>--max-num-flows</c>).</summary>
public sealed record FlowTableOptions
{
    /// <summary>nProbe <c>-d</c>: a flow with no packet for this long is exported and forgotten.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>nProbe <c>-t</c>: a flow older than this is exported as a slice and keeps going.</summary>
    public TimeSpan Lifetime { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>How long a TCP flow that ended (FIN both ways, or RST) waits for trailing ACKs before export.</summary>
    public TimeSpan TcpCloseGrace { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Upper bound on flows held by one table; the least recently seen flow is exported early when full.</summary>
    public int MaxFlows { get; init; } = 1 << 20;

    /// <summary>nProbe <c>-L</c>: local networks, used to mark each exported flow ingress or egress.</summary>
    public Flowhive.Shared.Net.NetworkList LocalNetworks { get; init; } = Flowhive.Shared.Net.NetworkList.Empty;

    public void Validate()
    {
        if (IdleTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentException($"idle timeout must be positive (got {IdleTimeout.TotalSeconds} s)");
        }

        if (Lifetime <= TimeSpan.Zero)
        {
            throw new ArgumentException($"flow lifetime must be positive (got {Lifetime.TotalSeconds} s)");
        }

        if (MaxFlows < 16 || MaxFlows > 1 << 28)
        {
            throw new ArgumentException($"max flows must be between 16 and {1 << 28} (got {MaxFlows})");
        }
    }
}
