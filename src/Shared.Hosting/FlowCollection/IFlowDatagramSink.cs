using Flowhive.Shared.Flows;

namespace Flowhive.Hosting.FlowCollection;

/// <summary>
/// Where a <see cref="FlowDatagramListener"/> delivers: the collector's ingest pipeline for an <c>-i udp://</c>
/// interface, or the probe's export queue for <c>-3</c>. Called on the listener's thread only.
/// </summary>
public interface IFlowDatagramSink
{
    /// <summary>One datagram arrived (decodable or not).</summary>
    void CountDatagram();

    /// <summary>The records decoded from one datagram; the span is reused after the call returns.</summary>
    void Deliver(ReadOnlySpan<FlowRecord> records);

    /// <summary>A datagram was lost for <paramref name="reason"/> outside the decoders' own counters (a decoder fault).</summary>
    void Reject(string reason);
}
