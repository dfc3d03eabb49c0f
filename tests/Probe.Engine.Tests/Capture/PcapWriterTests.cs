using System.Buffers.Binary;
using Flowhive.Probe.Engine.Capture;
using Flowhive.Probe.Engine.Tests.Support;

namespace Flowhive.Probe.Engine.Tests.Capture;

public sealed class PcapWriterTests
{
    [Fact]
    public void Writes_the_classic_little_endian_microsecond_layout()
    {
        using var stream = new MemoryStream();
        using (var writer = new PcapWriter(stream, LinkType.Raw, leaveOpen: true))
        {
            writer.WritePacket(1_767_225_600_123_456, [0x45, 0x00, 0x00, 0x14], wireLength: 20);
            Assert.Equal(1, writer.PacketsWritten);
        }

        var b = stream.ToArray();
        Assert.Equal(24 + 16 + 4, b.Length);
        Assert.Equal(0xA1B2C3D4u, BinaryPrimitives.ReadUInt32LittleEndian(b));
        Assert.Equal((ushort)2, BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(4)));
        Assert.Equal((ushort)4, BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(6)));
        Assert.Equal(262_144u, BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(16)));
        Assert.Equal(101u, BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(20)));
        Assert.Equal(1_767_225_600u, BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(24)));
        Assert.Equal(123_456u, BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(28)));
        Assert.Equal(4u, BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(32)));
        Assert.Equal(20u, BinaryPrimitives.ReadUInt32LittleEndian(b.AsSpan(36)));
        Assert.Equal(new byte[] { 0x45, 0x00, 0x00, 0x14 }, b[40..]);
    }

    [Fact]
    public void Frames_longer_than_the_snaplen_are_cut_and_keep_their_wire_length()
    {
        using var dir = new TempDirectory();
        var path = dir.File("jumbo.pcap");
        var frame = new byte[PcapWriter.Snaplen + 100];
        using (var writer = new PcapWriter(path, LinkType.Ethernet))
        {
            writer.WritePacket(0, frame);
        }

        using var reader = new PcapFileReader(path);
        var packet = CapturedPacket.ReadAll(reader).Single();

        Assert.Equal(PcapWriter.Snaplen, packet.Data.Length);
        Assert.Equal(frame.Length, packet.WireLength);
    }

    [Fact]
    public void Refuses_what_pcap_cannot_express()
    {
        using var writer = new PcapWriter(new MemoryStream(), LinkType.Ethernet);

        Assert.Throws<ArgumentOutOfRangeException>(() => writer.WritePacket(0, new byte[10], wireLength: 9));
        Assert.Throws<ArgumentOutOfRangeException>(() => writer.WritePacket(-1, new byte[10]));
        Assert.Throws<ArgumentOutOfRangeException>(() => writer.WritePacket((uint.MaxValue + 1L) * 1_000_000, new byte[10]));
        writer.Dispose();
        Assert.Throws<ObjectDisposedException>(() => writer.WritePacket(0, new byte[10]));
    }
}
