using Flowhive.Hosting.FlowCollection;

namespace Flowhive.Probe.Collection;

/// <summary>nProbe's <c>-3</c>: the listener that decodes what routers send, and the sink that queues its flows for export.</summary>
public sealed class CollectorPort(string name, FlowDatagramListener listener, CollectedFlowSink sink) : IDisposable
{
    /// <summary>"-3 udp://*:2055": how logs and the progress line name this source.</summary>
    public string Name { get; } = name;

    public FlowDatagramListener Listener { get; } = listener;

    public CollectedFlowSink Sink { get; } = sink;

    public void Dispose() => Listener.Dispose();
}
