using Akka.Actor;
using Flowhive.Collector.State;

namespace Flowhive.Collector.Actors;

/// <summary>
/// How a node's entities checkpoint: through its <see cref="CheckpointActor"/>, at most once per
/// <paramref name="Interval"/> per entity that changed. Killing a node loses at most the last interval of its entities'
/// updates (plus what was in flight to it when it died); a graceful stop loses nothing.
/// </summary>
public sealed record Checkpointing(IActorRef Store, TimeSpan Interval, CheckpointCounters Counters)
{
    /// <summary>Longest an entity waits at hand-off for the store to confirm its last checkpoint before it stops anyway.</summary>
    public static readonly TimeSpan FinalSaveTimeout = TimeSpan.FromSeconds(20);
}
