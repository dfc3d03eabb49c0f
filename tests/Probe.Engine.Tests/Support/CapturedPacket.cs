using Flowhive.Probe.Engine.Capture;

namespace Flowhive.Probe.Engine.Tests.Support;

/// <summary>A packet copied out of a reader's batch (the batch buffer is reused on the next read).</summary>
public sealed record CapturedPacket(long TimestampUs, int LinkType, int WireLength, byte[] Data)
{
    public static List<CapturedPacket> ReadAll(CaptureSource source, int batchCapacity = 256)
    {
        var batch = new PacketBatch(batchCapacity);
        var packets = new List<CapturedPacket>();
        while (source.Read(batch) == ReadStatus.Packets)
        {
            for (var i = 0; i < batch.Count; i++)
            {
                packets.Add(new CapturedPacket(batch.TimestampsUs[i], batch.LinkTypes[i], batch.WireLengths[i], batch.Packet(i).ToArray()));
            }
        }

        return packets;
    }
}
