using Flowhive.Probe.Engine.Classification.Micro.Catalog;
using Flowhive.Probe.Engine.Classification.Micro.Framework;
using Flowhive.Probe.Engine.Decode;

namespace Flowhive.Probe.Engine.Classification.Micro;

/// <summary>
/// The micro engine behind <see cref="IFlowClassifier"/> for one flow worker. Keeps a flow's state from its first
/// packet until the owning dissector is done (or no dissector is left, or the packet limit is reached), and copies
/// the result into the flow table's <see cref="FlowClassification"/> whenever it changes, so a flow exported
/// mid-way carries what is known.
/// </summary>
public sealed class MicroClassifier : IFlowClassifier
{
    /// <summary>Enough for a TCP handshake, a TLS server flight to its certificate, an HTTP exchange or a DNS answer.</summary>
    public const int DefaultMaxPacketsPerFlow = 32;

    private readonly MicroEngine _engine;
    private readonly Dispatcher _dispatcher;
    private readonly MicroFlowPool _pool;
    private readonly WorkerScratch _scratch = new();
    private readonly Dictionary<uint, string> _names = [];
    private UserProtocols? _namesFor;

    internal MicroClassifier(MicroEngine engine, IReadOnlyList<IDissector> dissectors)
    {
        _engine = engine;
        _dispatcher = new Dispatcher(dissectors);
        _pool = new MicroFlowPool(engine, _dispatcher.StateBytes);
    }

    public string Name => MicroEngine.EngineName;

    public int MaxPacketsPerFlow { get; init; } = DefaultMaxPacketsPerFlow;

    public bool Inspect(ref FlowClassification state, in DecodedPacket packet, ReadOnlySpan<byte> payload, bool fromClient, long timestampUs)
    {
        if (state.EngineState is not MicroFlow flow)
        {
            flow = _pool.Rent();
            flow.Start(packet, fromClient, _dispatcher.CandidatesFor(packet.Protocol), timestampUs);
            state.EngineState = flow;
            if (!_engine.CategoryRules.IsEmpty && _engine.CategoryRules.Match(null, flow.Server, flow.Client) is var byAddress and not 0)
            {
                state.Category = byAddress; // an IP category rule labels the flow from its first packet, known protocol or not
            }
        }

        var done = _dispatcher.Run(flow, packet, payload, fromClient, timestampUs, _scratch);
        if (flow.Changed)
        {
            Publish(ref state, flow);
        }

        return done;
    }

    public void Release(ref FlowClassification state)
    {
        if (state.EngineState is MicroFlow flow)
        {
            state.EngineState = null;
            _pool.Return(flow);
        }
    }

    private void Publish(ref FlowClassification state, MicroFlow flow)
    {
        flow.Changed = false;
        state.Master = flow.Master;
        state.App = flow.App;
        // A custom category rule (--ndpi-categories) beats the protocol's and the service's category, as in nDPI,
        // and also labels flows whose protocol stays unknown.
        var categories = _engine.CategoryRules;
        var custom = categories.IsEmpty ? (ushort)0 : categories.Match(flow.HostName, flow.Server, flow.Client);
        if (flow.App == NdpiIds.Unknown)
        {
            state.Category = custom != 0 ? custom : NdpiIds.CategoryUnspecified;
            if (custom != 0)
            {
                flow.Metadata.CategoryName = _engine.Catalog.CategoryName(custom);
            }

            state.Metadata = flow.TakeMetadata();
            return;
        }

        state.Category = custom != 0 ? custom : flow.CategoryOverride != 0 ? flow.CategoryOverride : _engine.Protocol(flow.App).CategoryId;
        var metadata = flow.Metadata;
        metadata.L7ProtoName = NameOf(flow.Master, flow.App);
        metadata.CategoryName = _engine.Catalog.CategoryName(state.Category);
        metadata.Confidence = flow.Confidence == MicroConfidence.DpiCache ? "DPI (cache)" : "DPI";
        metadata.L7Info ??= flow.HostName;
        state.Metadata = metadata;
    }

    /// <summary>"TLS.Google" or "DNS": strings made once per pair and worker, not once per flow.</summary>
    private string NameOf(ushort master, ushort app)
    {
        if (!ReferenceEquals(_namesFor, _engine.User))
        {
            _names.Clear(); // a reload may give custom ids other names
            _namesFor = _engine.User;
        }

        var key = ((uint)master << 16) | app;
        if (!_names.TryGetValue(key, out var name))
        {
            name = master == 0 ? _engine.Protocol(app).Name : $"{_engine.Protocol(master).Name}.{_engine.Protocol(app).Name}";
            _names[key] = name;
        }

        return name;
    }
}
