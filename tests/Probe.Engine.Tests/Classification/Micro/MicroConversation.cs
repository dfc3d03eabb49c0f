using Flowhive.Probe.Engine.Classification;
using Flowhive.Probe.Engine.Classification.Micro;
using Flowhive.Shared.Flows;

namespace Flowhive.Probe.Engine.Tests.Classification.Micro;

/// <summary>
/// One hand-built conversation fed to a real micro-engine classifier packet by packet, as the flow table feeds it:
/// the decoded headers of each packet (addresses, ports, TCP sequence numbers that advance per direction) and its
/// payload. For dissector tests that need exact bytes the corpus does not have.
/// </summary>
public sealed class MicroConversation
{
    private readonly IFlowClassifier _classifier;
    private readonly HandBuiltHeaders _headers;
    private FlowClassification _state;

    public MicroConversation(byte l4, ushort clientPort, ushort serverPort)
    {
        Engine = new MicroEngine();
        _classifier = Engine.CreateClassifier();
        _headers = new HandBuiltHeaders(l4, clientPort, serverPort);
    }

    public static MicroConversation Tcp(ushort serverPort) => new(6, 50_123, serverPort);

    public static MicroConversation Udp(ushort clientPort, ushort serverPort) => new(17, clientPort, serverPort);

    public MicroEngine Engine { get; }

    /// <summary>Whether the engine said the classification is final.</summary>
    public bool Done { get; private set; }

    public ushort App => _state.App;

    public ushort Master => _state.Master;

    public FlowMetadata? Metadata => _state.Metadata;

    /// <summary>"SSH", "TLS.Google" or "Unknown".</summary>
    public string Name => _state.App == 0 ? "Unknown" : _state.Metadata?.L7ProtoName ?? "?";

    public MicroConversation FromClient(ReadOnlySpan<byte> payload) => Send(fromClient: true, payload);

    public MicroConversation FromServer(ReadOnlySpan<byte> payload) => Send(fromClient: false, payload);

    /// <summary>Sends <paramref name="payload"/> as consecutive segments of at most <paramref name="segment"/> bytes.</summary>
    public MicroConversation FromClientInSegments(ReadOnlySpan<byte> payload, int segment)
    {
        for (var offset = 0; offset < payload.Length; offset += segment)
        {
            FromClient(payload[offset..Math.Min(payload.Length, offset + segment)]);
        }

        return this;
    }

    private MicroConversation Send(bool fromClient, ReadOnlySpan<byte> payload)
    {
        if (Done)
        {
            return this;
        }

        var packet = _headers.Next(fromClient, payload.Length);
        _state.PacketsInspected++;
        Done = _classifier.Inspect(ref _state, packet, payload, fromClient, _headers.TimestampUs) || _state.PacketsInspected >= _classifier.MaxPacketsPerFlow;
        return this;
    }
}
