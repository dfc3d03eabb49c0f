using Flowhive.Probe.Engine.Capture;
using Flowhive.Probe.Engine.Tests.Support;

namespace Flowhive.Probe.Engine.Tests.Capture;

public sealed class PcapFileReaderTests : IDisposable
{
    private const long BaseUs = 1_767_225_600_000_000; // 2026-01-01T00:00:00Z
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Write(string name, byte[] bytes)
    {
        var path = _dir.File(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static byte[] Frame(int seed, int length)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void Classic_pcap_in_both_byte_orders_and_resolutions(bool bigEndian, bool nanoseconds)
    {
        var file = new ClassicPcap((int)LinkType.Ethernet, bigEndian, nanoseconds);
        var frames = Enumerable.Range(0, 5).Select(i => Frame(i, 60 + (i * 100))).ToArray();
        for (var i = 0; i < frames.Length; i++)
        {
            file.Packet(BaseUs + (i * 1_234_567), frames[i], wireLength: (uint)frames[i].Length + (uint)i);
        }

        using var reader = new PcapFileReader(Write("classic.pcap", file.ToArray()));
        var packets = CapturedPacket.ReadAll(reader);

        Assert.Equal(frames.Length, packets.Count);
        for (var i = 0; i < frames.Length; i++)
        {
            Assert.Equal(BaseUs + (i * 1_234_567), packets[i].TimestampUs);
            Assert.Equal(frames[i], packets[i].Data);
            Assert.Equal(frames[i].Length + i, packets[i].WireLength);
            Assert.Equal((int)LinkType.Ethernet, packets[i].LinkType);
        }

        Assert.Equal(frames.Length, reader.PacketsRead);
        Assert.Null(reader.Error);
        Assert.Equal(0, reader.TruncatedRecords);
        Assert.Equal(reader.Length, reader.Position);
    }

    [Fact]
    public void Nanosecond_fractions_are_truncated_to_microseconds()
    {
        var file = new ClassicPcap((int)LinkType.Raw, nanoseconds: true).Packet(0, [0x45], fractionOverride: 123_456_789);

        using var reader = new PcapFileReader(Write("ns.pcap", file.ToArray()));

        Assert.Equal(123_456, CapturedPacket.ReadAll(reader).Single().TimestampUs);
    }

    [Fact]
    public void Pcap_written_by_pcap_writer_reads_back()
    {
        var path = _dir.File("writer.pcap");
        var frames = Enumerable.Range(0, 300).Select(i => Frame(i, 14 + (i % 200))).ToArray();
        using (var writer = new PcapWriter(path, LinkType.LinuxSll2))
        {
            for (var i = 0; i < frames.Length; i++)
            {
                writer.WritePacket(BaseUs + i, frames[i], i % 3 == 0 ? frames[i].Length + 1000 : null);
            }
        }

        using var reader = new PcapFileReader(path);
        var packets = CapturedPacket.ReadAll(reader, batchCapacity: 64);

        Assert.Equal(frames.Length, packets.Count);
        for (var i = 0; i < frames.Length; i++)
        {
            Assert.Equal(frames[i], packets[i].Data);
            Assert.Equal(BaseUs + i, packets[i].TimestampUs);
            Assert.Equal(frames[i].Length + (i % 3 == 0 ? 1000 : 0), packets[i].WireLength);
            Assert.Equal((int)LinkType.LinuxSll2, packets[i].LinkType);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Pcapng_with_enhanced_and_simple_packets_and_two_interfaces(bool bigEndian)
    {
        var eth = Frame(1, 74);
        var raw = Frame(2, 41);
        var simple = Frame(3, 61);
        var bytes = new PcapngBuilder(bigEndian)
            .SectionHeader()
            .Interface((ushort)LinkType.Ethernet)
            .Interface((ushort)LinkType.Raw, tsresol: 9) // nanoseconds
            .EnhancedPacket(0, (ulong)BaseUs + 10, eth, wireLength: 1514)
            .Other(4, 20) // name resolution block: skipped
            .EnhancedPacket(1, (ulong)(BaseUs + 20) * 1000 + 999, raw)
            .SimplePacket(simple)
            .Other(0x40000BAD, 8) // custom block
            .ToArray();

        using var reader = new PcapFileReader(Write("two.pcapng", bytes));
        var packets = CapturedPacket.ReadAll(reader);

        Assert.Equal(3, packets.Count);
        Assert.Equal(new CapturedPacket(BaseUs + 10, (int)LinkType.Ethernet, 1514, eth), packets[0] with { Data = eth });
        Assert.Equal(eth, packets[0].Data);
        Assert.Equal(BaseUs + 20, packets[1].TimestampUs);
        Assert.Equal((int)LinkType.Raw, packets[1].LinkType);
        Assert.Equal(raw, packets[1].Data);
        // A simple packet block has no timestamp and belongs to the first interface.
        Assert.Equal(BaseUs + 20, packets[2].TimestampUs);
        Assert.Equal((int)LinkType.Ethernet, packets[2].LinkType);
        Assert.Equal(simple, packets[2].Data);
        Assert.Null(reader.Error);
    }

    [Fact]
    public void Pcapng_binary_timestamp_resolution_and_offset()
    {
        var bytes = new PcapngBuilder()
            .SectionHeader()
            .Interface((ushort)LinkType.Ethernet, tsresol: 0x80 | 10, tsoffset: 1_767_225_600) // 1/1024 s, epoch 2026
            .EnhancedPacket(0, (5 * 1024) + 512, Frame(4, 60))
            .ToArray();

        using var reader = new PcapFileReader(Write("res.pcapng", bytes));

        Assert.Equal(BaseUs + 5_500_000, CapturedPacket.ReadAll(reader).Single().TimestampUs);
    }

    [Fact]
    public void Pcapng_new_section_resets_interfaces_and_byte_order()
    {
        var first = new PcapngBuilder().SectionHeader().Interface((ushort)LinkType.Ethernet).EnhancedPacket(0, 1, Frame(5, 60)).ToArray();
        var second = new PcapngBuilder(bigEndian: true).SectionHeader().Interface((ushort)LinkType.Raw).EnhancedPacket(0, 2, Frame(6, 40)).ToArray();

        using var reader = new PcapFileReader(Write("sections.pcapng", [.. first, .. second]));
        var packets = CapturedPacket.ReadAll(reader);

        Assert.Equal([(int)LinkType.Ethernet, (int)LinkType.Raw], packets.Select(p => p.LinkType));
        Assert.Equal([1L, 2L], packets.Select(p => p.TimestampUs));
    }

    [Fact]
    public void Corrupt_magic_names_the_path()
    {
        var path = Write("garbage.pcap", [0xDE, 0xAD, 0xBE, 0xEF, .. new byte[40]]);

        var e = Assert.Throws<CaptureException>(() => new PcapFileReader(path));

        Assert.Contains(path, e.Message);
        Assert.Contains("0xefbeadde", e.Message);
    }

    [Fact]
    public void Short_files_and_wrong_versions_are_refused_at_open()
    {
        var tiny = Write("tiny.pcap", [0xD4, 0xC3]);
        Assert.Contains(tiny, Assert.Throws<CaptureException>(() => new PcapFileReader(tiny)).Message);

        var header = new ClassicPcap((int)LinkType.Ethernet).ToArray();
        var cut = Write("cut-header.pcap", header[..20]);
        Assert.Contains("truncated pcap file header", Assert.Throws<CaptureException>(() => new PcapFileReader(cut)).Message);

        var v3 = Write("v3.pcap", new ClassicPcap((int)LinkType.Ethernet, major: 3).ToArray());
        Assert.Contains("unsupported pcap version 3", Assert.Throws<CaptureException>(() => new PcapFileReader(v3)).Message);

        var missing = _dir.File("missing.pcap");
        Assert.Contains(missing, Assert.Throws<CaptureException>(() => new PcapFileReader(missing)).Message);
    }

    [Fact]
    public void Unsupported_link_type_is_named()
    {
        var path = Write("usb.pcap", new ClassicPcap(189).Packet(0, [1, 2, 3]).ToArray()); // LINKTYPE_USB_LINUX

        var e = Assert.Throws<CaptureException>(() => new PcapFileReader(path));

        Assert.Contains("link type 189", e.Message);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void Pcapng_unsupported_link_type_is_refused_at_open()
    {
        var path = Write("usb.pcapng", new PcapngBuilder().SectionHeader().Interface((ushort)LinkType.Ethernet).Interface(189).EnhancedPacket(0, 1, [1]).ToArray());

        var e = Assert.Throws<CaptureException>(() => new PcapFileReader(path));

        Assert.Contains("link type 189", e.Message);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void Pcapng_corrupt_byte_order_magic_is_refused_at_open()
    {
        var bytes = new PcapngBuilder().SectionHeader().Interface((ushort)LinkType.Ethernet).ToArray();
        bytes[8] ^= 0xFF;
        var path = Write("bom.pcapng", bytes);

        var e = Assert.Throws<CaptureException>(() => new PcapFileReader(path));

        Assert.Contains(path, e.Message);
        Assert.Contains("byte-order magic", e.Message);
    }

    [Fact]
    public void Pcapng_unsupported_interface_later_in_the_file_ends_reading_with_an_error()
    {
        var bytes = new PcapngBuilder().SectionHeader().Interface((ushort)LinkType.Ethernet)
            .EnhancedPacket(0, 1, Frame(1, 60))
            .Interface(189)
            .EnhancedPacket(1, 2, Frame(2, 60))
            .ToArray();

        using var reader = new PcapFileReader(Write("late-usb.pcapng", bytes));
        var packets = CapturedPacket.ReadAll(reader);

        Assert.Single(packets);
        Assert.NotNull(reader.Error);
        Assert.Contains("link type 189", reader.Error);
        Assert.Equal(ReadStatus.End, reader.Read(new PacketBatch()));
    }

    [Theory]
    [InlineData(5)] // inside the last record's header
    [InlineData(16 + 30)] // inside the last record's data
    public void Truncated_last_record_is_counted_and_everything_before_it_is_read(int keepOfLastRecord)
    {
        var file = new ClassicPcap((int)LinkType.Ethernet);
        for (var i = 0; i < 10; i++)
        {
            file.Packet(BaseUs + i, Frame(i, 100));
        }

        var whole = file.ToArray();
        var lastRecordStart = whole.Length - 116;
        var path = Write("truncated.pcap", whole[..(lastRecordStart + keepOfLastRecord)]);

        using var reader = new PcapFileReader(path);
        var packets = CapturedPacket.ReadAll(reader);

        Assert.Equal(9, packets.Count);
        Assert.Equal(Frame(8, 100), packets[8].Data);
        Assert.Equal(1, reader.TruncatedRecords);
        Assert.Null(reader.Error);
        Assert.Equal(ReadStatus.End, reader.Read(new PacketBatch()));
        Assert.Equal(1, reader.TruncatedRecords);
    }

    [Fact]
    public void Truncated_pcapng_block_is_counted()
    {
        var whole = new PcapngBuilder().SectionHeader().Interface((ushort)LinkType.Ethernet)
            .EnhancedPacket(0, 1, Frame(1, 80)).EnhancedPacket(0, 2, Frame(2, 80)).ToArray();

        using var reader = new PcapFileReader(Write("truncated.pcapng", whole[..^10]));

        Assert.Single(CapturedPacket.ReadAll(reader));
        Assert.Equal(1, reader.TruncatedRecords);
        Assert.Null(reader.Error);
    }

    [Fact]
    public void Absurd_captured_length_sets_the_error_with_the_offset_and_stops()
    {
        var file = new ClassicPcap((int)LinkType.Ethernet);
        for (var i = 0; i < 3; i++)
        {
            file.Packet(BaseUs + i, Frame(i, 70));
        }

        var badOffset = file.Length;
        file.Record(1, 0, 0x7FFF_FFFF, 0x7FFF_FFFF, new byte[100]);
        file.Packet(BaseUs + 9, Frame(9, 70)); // never reached

        using var reader = new PcapFileReader(Write("absurd.pcap", file.ToArray()));
        var packets = CapturedPacket.ReadAll(reader);

        Assert.Equal(3, packets.Count);
        Assert.NotNull(reader.Error);
        Assert.Contains($"offset {badOffset}", reader.Error);
        Assert.Contains("2147483647", reader.Error);
        Assert.Equal(ReadStatus.End, reader.Read(new PacketBatch()));
        Assert.Equal(0, reader.TruncatedRecords);
    }

    [Fact]
    public void Pcapng_block_with_a_bad_length_sets_the_error()
    {
        var good = new PcapngBuilder().SectionHeader().Interface((ushort)LinkType.Ethernet).EnhancedPacket(0, 1, Frame(1, 60)).ToArray();
        var bytes = new PcapngBuilder().RawBlock(6, 13, new byte[40]).ToArray();

        using var reader = new PcapFileReader(Write("badblock.pcapng", [.. good, .. bytes]));
        var packets = CapturedPacket.ReadAll(reader);

        Assert.Single(packets);
        Assert.Contains($"offset {good.Length}", reader.Error);
    }

    [Fact]
    public void Enhanced_packet_for_an_unknown_interface_sets_the_error()
    {
        var bytes = new PcapngBuilder().SectionHeader().Interface((ushort)LinkType.Ethernet).EnhancedPacket(3, 1, Frame(1, 60)).ToArray();

        using var reader = new PcapFileReader(Write("noiface.pcapng", bytes));

        Assert.Empty(CapturedPacket.ReadAll(reader));
        Assert.Contains("interface 3", reader.Error);
    }

    [Fact]
    public void Wire_length_beyond_int_range_is_clamped_not_negative()
    {
        var file = new ClassicPcap((int)LinkType.Ethernet).Packet(BaseUs, Frame(1, 60), wireLength: 0xFFFF_FFF0);

        using var reader = new PcapFileReader(Write("wire.pcap", file.ToArray()));
        var packet = CapturedPacket.ReadAll(reader).Single();

        Assert.Equal(int.MaxValue, packet.WireLength);
    }

    [Fact]
    public void Files_larger_than_one_chunk_read_across_boundaries_without_loss()
    {
        var path = _dir.File("big.pcap");
        var random = new Random(42);
        var written = new List<(long Ts, byte[] Data)>();
        long size = 24;
        using (var writer = new PcapWriter(path, LinkType.Ethernet))
        {
            // ~13 MiB: three chunk boundaries, with record sizes from tiny to the maximum so boundaries fall everywhere.
            while (size < 13L << 20)
            {
                var length = written.Count % 97 == 50 ? PcapFileReader.MaxRecordLength : random.Next(1, 9000);
                var data = new byte[length];
                random.NextBytes(data);
                var ts = BaseUs + (written.Count * 10L);
                writer.WritePacket(ts, data);
                written.Add((ts, data));
                size += 16 + length;
            }
        }

        Assert.True(new FileInfo(path).Length > 3 * (4 << 20));
        using var reader = new PcapFileReader(path);
        var read = CapturedPacket.ReadAll(reader, batchCapacity: 1000);

        Assert.Equal(written.Count, read.Count);
        for (var i = 0; i < written.Count; i++)
        {
            Assert.Equal(written[i].Ts, read[i].TimestampUs);
            Assert.True(written[i].Data.AsSpan().SequenceEqual(read[i].Data), $"packet {i} differs");
        }

        Assert.Null(reader.Error);
        Assert.Equal(0, reader.TruncatedRecords);
        Assert.Equal(new FileInfo(path).Length, reader.Position);
    }

    [Fact]
    public void Large_pcapng_reads_across_chunk_boundaries()
    {
        var builder = new PcapngBuilder().SectionHeader().Interface((ushort)LinkType.Ethernet);
        var random = new Random(7);
        var frames = new List<byte[]>();
        for (var total = 0; total < 9 << 20;)
        {
            var data = new byte[random.Next(1, 20_000)];
            random.NextBytes(data);
            builder.EnhancedPacket(0, (ulong)frames.Count, data);
            frames.Add(data);
            total += data.Length + 32;
        }

        using var reader = new PcapFileReader(Write("big.pcapng", builder.ToArray()));
        var read = CapturedPacket.ReadAll(reader);

        Assert.Equal(frames.Count, read.Count);
        for (var i = 0; i < frames.Count; i++)
        {
            Assert.True(frames[i].AsSpan().SequenceEqual(read[i].Data), $"packet {i} differs");
            Assert.Equal(i, read[i].TimestampUs);
        }
    }

    [Fact]
    public void Rewind_reads_the_same_packets_again()
    {
        var pcapng = new PcapngBuilder().SectionHeader().Interface((ushort)LinkType.Ethernet).EnhancedPacket(0, 5, Frame(1, 60)).EnhancedPacket(0, 6, Frame(2, 70)).ToArray();
        var pcap = new ClassicPcap((int)LinkType.Ethernet).Packet(5, Frame(1, 60)).Packet(6, Frame(2, 70)).ToArray();

        foreach (var path in new[] { Write("r.pcapng", pcapng), Write("r.pcap", pcap) })
        {
            using var reader = new PcapFileReader(path);
            var first = CapturedPacket.ReadAll(reader);
            reader.Rewind();
            var second = CapturedPacket.ReadAll(reader);

            Assert.Equal(2, first.Count);
            Assert.Equal(first.Select(p => p.TimestampUs), second.Select(p => p.TimestampUs));
            Assert.Equal(first.Select(p => p.Data.Length), second.Select(p => p.Data.Length));
        }
    }
}
