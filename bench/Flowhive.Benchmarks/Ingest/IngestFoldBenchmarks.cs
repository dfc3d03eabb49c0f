using BenchmarkDotNet.Attributes;
using Flowhive.Collector.Ingest;
using Flowhive.Collector.State;
using Flowhive.Shared.Cluster.Messages;
using Flowhive.Shared.Flows;
using Flowhive.Tools.IngestSender;

namespace Flowhive.Benchmarks.Ingest;

/// <summary>
/// Collector cost per flow record after decoding: folding into the ingest window (host deltas, totals, active
/// flows) and the interface entity applying the window's messages to its state. Per record via OperationsPerInvoke.
/// </summary>
[MemoryDiagnoser]
public class IngestFoldBenchmarks
{
    private const int Records = 50_000; // about one 250 ms window at 200 k flows/s
    private readonly IngestWindow _window = new();
    private readonly List<InterfaceTrafficDelta> _messages = [];
    private FlowRecord[] _records = [];
    private InterfaceState _state = null!;

    [GlobalSetup]
    public void Setup()
    {
        _records = SyntheticFlows.Create(Records);
        _state = new InterfaceState(0, TimeSpan.FromMinutes(3));
        FoldAndDrain(); // warm the dictionaries to the steady-state size
        foreach (var message in _messages)
        {
            _state.Apply(message, 1);
        }
    }

    [Benchmark(OperationsPerInvoke = Records)]
    public int FoldAndDrain()
    {
        _messages.Clear();
        foreach (ref readonly var record in _records.AsSpan())
        {
            _window.Fold(record);
        }

        _window.Drain(0, "bench", static _ => { }, _messages.Add);
        return _messages.Count;
    }

    [Benchmark(OperationsPerInvoke = Records)]
    public long InterfaceApply()
    {
        foreach (var message in _messages)
        {
            _state.Apply(message, 2);
        }

        return _state.ActiveFlowCount;
    }
}
