using Flowhive.Probe.Engine.Capture;
using Flowhive.Probe.Engine.Decode;
using Flowhive.Probe.Engine.Flows;
using Flowhive.Shared.Flows;

namespace Flowhive.Probe.Engine.Tests.Support;

/// <summary>A real flow table fed with frames through the real decoder, keeping what went in for conservation checks.</summary>
public sealed class FlowTableHarness
{
    public FlowTableHarness(FlowTableOptions? options = null)
    {
        Table = new FlowTable(options ?? new FlowTableOptions(), Sink);
    }

    public RecordingSink Sink { get; } = new();

    public FlowTable Table { get; }

    public List<FlowRecord> Records => Sink.Records;

    public ulong BytesFed { get; private set; }

    public ulong PacketsFed { get; private set; }

    /// <summary>Decodes <paramref name="frame"/> (it must decode) and accounts it at <paramref name="timestampUs"/>; returns its IP length.</summary>
    public int Feed(byte[] frame, long timestampUs, LinkType link = LinkType.Ethernet)
    {
        var p = default(DecodedPacket);
        var status = PacketDecoder.Decode(frame, (int)link, ref p);
        Assert.Equal(DecodeStatus.Ok, status);
        Table.Process(ref p, timestampUs, frame);
        BytesFed += (ulong)p.IpLength;
        PacketsFed++;
        return p.IpLength;
    }

    public ulong BytesExported => Records.Aggregate(0UL, (sum, r) => sum + r.TotalBytes);

    public ulong PacketsExported => Records.Aggregate(0UL, (sum, r) => sum + r.TotalPackets);
}
