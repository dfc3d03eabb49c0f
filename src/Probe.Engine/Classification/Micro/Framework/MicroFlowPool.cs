namespace Flowhive.Probe.Engine.Classification.Micro.Framework;

/// <summary>Flow states of one worker, reused: flows being classified at once are few, flows are many.</summary>
internal sealed class MicroFlowPool(MicroEngine engine, int stateBytes)
{
    /// <summary>Free states kept beyond this are left to the collector (a burst of new flows should not pin memory forever).</summary>
    private const int MaxFree = 4096;

    private readonly Stack<MicroFlow> _free = new();

    public MicroFlow Rent() => _free.TryPop(out var flow) ? flow : new MicroFlow(engine, stateBytes);

    public void Return(MicroFlow flow)
    {
        flow.Reset();
        if (_free.Count < MaxFree)
        {
            _free.Push(flow);
        }
    }
}
