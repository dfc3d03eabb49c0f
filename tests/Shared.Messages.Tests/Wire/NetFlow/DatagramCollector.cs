using Flowhive.Shared.Wire.NetFlow;

namespace Flowhive.Shared.Messages.Tests.Wire.NetFlow;

/// <summary>A sink that keeps a copy of every datagram, as a collector's socket would receive them.</summary>
internal sealed class DatagramCollector : INetFlowDatagramSink
{
    public List<byte[]> Datagrams { get; } = [];

    public void Send(ReadOnlySpan<byte> datagram) => Datagrams.Add(datagram.ToArray());
}
