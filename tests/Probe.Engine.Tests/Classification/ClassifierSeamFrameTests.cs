using Flowhive.Probe.Engine.Capture;
using Flowhive.Probe.Engine.Classification;
using Flowhive.Probe.Engine.Decode;
using Flowhive.Probe.Engine.Flows;
using Flowhive.Probe.Engine.Tests.Support;
using Flowhive.Shared.Flows;
using static Flowhive.Probe.Engine.Tests.Support.Addr;
using static Flowhive.Probe.Engine.Tests.Support.Packets;

namespace Flowhive.Probe.Engine.Tests.Classification;

/// <summary>
/// What the flow table promises an engine: the whole frame with the IP header's offset (for IP-level engines such
/// as nDPI), the L4 payload for the others, and a Release before a still-undecided flow is exported.
/// </summary>
public sealed class ClassifierSeamFrameTests
{
    [Fact]
    public void Frame_engines_see_the_ip_header_and_payload_engines_see_the_payload()
    {
        var frame = Tcp(Ip("192.0.2.1"), 40000, Ip("192.0.2.2"), 80, TcpFlags.Ack | TcpFlags.Psh, payload: 10);
        var frameEngine = new FrameClassifier();
        var payloadEngine = new PayloadClassifier(decideAfter: 1);

        Feed(new FlowTable(new FlowTableOptions(), new RecordingSink(), frameEngine), frame, At(0));
        Feed(new FlowTable(new FlowTableOptions(), new RecordingSink(), payloadEngine), frame, At(0));

        Assert.Equal(0x45, frameEngine.FirstIpByte);
        Assert.Equal(frame.Length - 14, frameEngine.IpBytes);
        Assert.Equal(10, payloadEngine.PayloadLength);
    }

    [Fact]
    public void An_undecided_flow_leaving_the_table_carries_the_verdict_written_at_release()
    {
        var sink = new RecordingSink();
        var classifier = new PayloadClassifier(decideAfter: 100);
        var table = new FlowTable(new FlowTableOptions(), sink, classifier);

        Feed(table, Udp(Ip("192.0.2.1"), 5000, Ip("192.0.2.2"), 53, payload: 20), At(0));
        table.ExportAll();

        var record = Assert.Single(sink.Records);
        Assert.Equal((ushort)5, record.L7App);
        Assert.Equal("guessed at release", record.Metadata?.L7ProtoName);
        Assert.Equal(1, classifier.Releases);
    }

    private static void Feed(FlowTable table, byte[] frame, long timestampUs)
    {
        var p = default(DecodedPacket);
        Assert.Equal(DecodeStatus.Ok, PacketDecoder.Decode(frame, (int)LinkType.Ethernet, ref p));
        table.Process(ref p, timestampUs, frame);
    }

    /// <summary>Implements only <see cref="IFlowClassifier.Inspect"/>: the flow table's frame call reaches it through the default.</summary>
    private sealed class PayloadClassifier(int decideAfter) : IFlowClassifier
    {
        public string Name => "payload";

        public int MaxPacketsPerFlow => 1000;

        public int PayloadLength { get; private set; } = -1;

        public int Releases { get; private set; }

        public bool Inspect(ref FlowClassification state, in DecodedPacket packet, ReadOnlySpan<byte> payload, bool fromClient, long timestampUs)
        {
            PayloadLength = payload.Length;
            return state.PacketsInspected >= decideAfter;
        }

        public void Release(ref FlowClassification state)
        {
            Releases++;
            state.App = 5;
            state.Metadata = new FlowMetadata { L7ProtoName = "guessed at release" };
        }
    }

    /// <summary>Works on IP packets, as nDPI does.</summary>
    private sealed class FrameClassifier : IFlowClassifier
    {
        public string Name => "frame";

        public int MaxPacketsPerFlow => 1000;

        public int FirstIpByte { get; private set; } = -1;

        public int IpBytes { get; private set; } = -1;

        public bool InspectFrame(ref FlowClassification state, in DecodedPacket packet, ReadOnlySpan<byte> frame, bool fromClient, long timestampUs)
        {
            FirstIpByte = frame[packet.L3Offset];
            IpBytes = frame.Length - packet.L3Offset;
            return true;
        }

        public bool Inspect(ref FlowClassification state, in DecodedPacket packet, ReadOnlySpan<byte> payload, bool fromClient, long timestampUs) =>
            throw new InvalidOperationException("the flow table must call InspectFrame");

        public void Release(ref FlowClassification state)
        {
        }
    }
}
