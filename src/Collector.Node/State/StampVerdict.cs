namespace Flowhive.Collector.State;

/// <summary>What an entity does with a stamped delta (<see cref="AppliedStamps"/>).</summary>
public enum StampVerdict
{
    /// <summary>Newer than anything applied from its source: apply all of it.</summary>
    New,

    /// <summary>A resent delta that had gone missing: apply its counters, but not its gauges (a newer delta set those).</summary>
    Late,

    /// <summary>Applied before: skip.</summary>
    Duplicate,
}
