using Flowhive.Probe.Engine.Decode;
using Flowhive.Shared.Flows;

namespace Flowhive.Probe.Engine.Classification;

/// <summary>
/// The seam for deep packet inspection engines (nDPI, the managed micro engine). The flow table calls
/// <see cref="Inspect"/> on the worker thread for a flow's first packets until the engine says it is done
/// or <see cref="MaxPacketsPerFlow"/> is reached.
/// </summary>
public interface IFlowClassifier
{
    string Name { get; }

    /// <summary>Packets after which a flow that is still undecided stays unknown.</summary>
    int MaxPacketsPerFlow { get; }

    /// <summary>Inspects one packet of a flow; returns true when the classification is final.</summary>
    bool Inspect(ref FlowClassification state, in DecodedPacket packet, ReadOnlySpan<byte> payload, bool fromClient, long timestampUs);

    /// <summary>
    /// What the flow table calls: one packet with its whole captured frame. Engines that work on IP packets
    /// rather than L4 payloads (nDPI) override it and find the IP header at <see cref="DecodedPacket.L3Offset"/>;
    /// the default hands <see cref="Inspect"/> the captured L4 payload.
    /// </summary>
    bool InspectFrame(ref FlowClassification state, in DecodedPacket packet, ReadOnlySpan<byte> frame, bool fromClient, long timestampUs) =>
        Inspect(ref state, packet, PayloadOf(packet, frame), fromClient, timestampUs);

    /// <summary>
    /// The flow is done with classification (final answer, packet budget used up) or is leaving the table:
    /// release engine state held in <see cref="FlowClassification.EngineState"/>. An engine may write a last
    /// verdict here (nDPI's give-up guess); the flow table calls this before it exports a flow that leaves.
    /// </summary>
    void Release(ref FlowClassification state);

    /// <summary>The captured L4 payload of a decoded packet (empty when there is none or the offsets do not fit the frame).</summary>
    static ReadOnlySpan<byte> PayloadOf(in DecodedPacket packet, ReadOnlySpan<byte> frame) =>
        packet.PayloadLength > 0 && packet.PayloadOffset + packet.PayloadLength <= frame.Length
            ? frame.Slice(packet.PayloadOffset, packet.PayloadLength)
            : [];
}

/// <summary>Per-flow classification result and engine scratch state, stored in the flow table entry.</summary>
public struct FlowClassification
{
    public ushort Master;
    public ushort App;

    /// <summary>nDPI category id of the result.</summary>
    public ushort Category;

    public ushort PacketsInspected;
    public bool Done;

    /// <summary>Whatever the engine needs between packets (an nDPI flow handle, parser state...).</summary>
    public object? EngineState;

    public FlowMetadata? Metadata;
}
