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

    /// <summary>
    /// Called after every datagram and, while none arrives, at least every 200 ms (the receive timeout): the
    /// sink hands on what it holds or what has come due (the collector's ingest window, the probe's export batch).
    /// </summary>
    void Tick();

    /// <summary>A datagram was lost for <paramref name="reason"/> outside the decoders' own counters (a decoder fault).</summary>
    void Reject(string reason);
}
