using Flowhive.Shared.Flows;

namespace Flowhive.Tools.IngestSender;

/// <summary>
/// What a sender sends: a warm-up (so the receiver's hot paths are compiled at full optimisation before the clock
/// starts, as after the first minutes of a real deployment), then, once <see cref="WaitForGo"/> returns (the
/// benchmark saw the receiver take the whole warm-up), the measured flows at <see cref="Rate"/>.
/// </summary>
internal sealed record SendPlan(FlowRecord[] Warmup, FlowRecord[] Flows, double Rate, Action WaitForGo)
{
    /// <summary>NetFlow warm-up pace in datagrams/s: gentle enough for any receiver to take without loss.</summary>
    public double WarmupRate { get; init; } = 4000;
}
