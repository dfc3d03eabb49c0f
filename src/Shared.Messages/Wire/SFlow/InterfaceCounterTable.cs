using Flowhive.Shared.Net;

namespace Flowhive.Shared.Wire.SFlow;

/// <summary>
/// The latest counters of each (agent, ifIndex), written by one receive thread and read by the API. Bounded: once it
/// holds <see cref="MaxInterfaces"/> interfaces, counters of new ones are refused (known ones keep updating).
/// </summary>
public sealed class InterfaceCounterTable
{
    public const int MaxInterfaces = 4096;

    private readonly Dictionary<(IpAddr Agent, uint IfIndex), SFlowInterfaceCounters> _latest = [];
    private readonly Lock _lock = new();

    public IReadOnlyList<SFlowInterfaceCounters> Snapshot()
    {
        lock (_lock)
        {
            return [.. _latest.Values];
        }
    }

    /// <summary>Keeps <paramref name="counters"/> as its interface's latest; false when the table is full of other interfaces.</summary>
    public bool Keep(in SFlowInterfaceCounters counters)
    {
        var key = (counters.Agent, counters.IfIndex);
        lock (_lock)
        {
            if (_latest.Count >= MaxInterfaces && !_latest.ContainsKey(key))
            {
                return false;
            }

            _latest[key] = counters;
            return true;
        }
    }
}
