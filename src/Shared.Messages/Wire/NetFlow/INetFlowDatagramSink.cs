namespace Flowhive.Shared.Wire.NetFlow;

/// <summary>Where an encoder hands finished datagrams (a UDP socket in the probe, a list in tests). The span is only valid during the call.</summary>
public interface INetFlowDatagramSink
{
    void Send(ReadOnlySpan<byte> datagram);
}
