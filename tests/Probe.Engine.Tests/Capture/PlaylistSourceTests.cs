using Flowhive.Probe.Engine.Capture;
using Flowhive.Probe.Engine.Tests.Support;
using Flowhive.Shared.Net;

namespace Flowhive.Probe.Engine.Tests.Capture;

public sealed class PlaylistSourceTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private string WriteCapture(string name, int packets, int firstSequence)
    {
        var path = Path.Combine(_dir.Path, name);
        using var writer = new PcapWriter(path, LinkType.Ethernet);
        for (var i = 0; i < packets; i++)
        {
            var frame = Packets.Udp(IpAddr.Parse("10.0.0.1"), 1000, IpAddr.Parse("10.0.0.2"), 53, payload: firstSequence + i);
            writer.WritePacket(Packets.At(firstSequence + i), frame);
        }

        return path;
    }

    private static List<int> ReadAllPayloadSizes(CaptureSource source)
    {
        var batch = new PacketBatch();
        var sizes = new List<int>();
        while (source.Read(batch) != ReadStatus.End)
        {
            for (var i = 0; i < batch.Count; i++)
            {
                sizes.Add(batch.CapturedLengths[i]);
            }
        }

        return sizes;
    }

    [Fact]
    public void A_directory_is_read_file_by_file_in_name_order()
    {
        WriteCapture("b.pcap", 3, 10);
        WriteCapture("a.pcap", 2, 0);
        File.WriteAllText(Path.Combine(_dir.Path, "notes.txt"), "ignored: not a capture extension");

        using var source = CaptureSources.Open(_dir.Path, new ReplayOptions(), new LiveCaptureOptions());

        var sizes = ReadAllPayloadSizes(source);
        Assert.Equal(5, sizes.Count);
        Assert.True(sizes[0] < sizes[2], "a.pcap (smaller payloads) must come before b.pcap");
        Assert.Equal(1.0, ((IFileCaptureSource)source).Position / (double)((IFileCaptureSource)source).Length, 3);
    }

    [Fact]
    public void A_playlist_file_lists_captures_relative_to_itself()
    {
        WriteCapture("one.pcap", 2, 0);
        WriteCapture("two.pcap", 4, 5);
        var list = Path.Combine(_dir.Path, "list.txt");
        File.WriteAllLines(list, ["# captures", "two.pcap", "", Path.Combine(_dir.Path, "one.pcap")]);

        using var source = CaptureSources.Open(list, new ReplayOptions(), new LiveCaptureOptions());

        Assert.IsType<PlaylistSource>(source);
        Assert.Equal(6, ReadAllPayloadSizes(source).Count);
    }

    [Fact]
    public void A_playlist_naming_a_missing_file_is_refused_at_open_with_the_line()
    {
        WriteCapture("one.pcap", 1, 0);
        var list = Path.Combine(_dir.Path, "list.txt");
        File.WriteAllLines(list, ["one.pcap", "gone.pcap"]);

        var e = Assert.Throws<CaptureException>(() => PlaylistSource.Open(list));
        Assert.Contains("list.txt:2: gone.pcap: no such capture file", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_corrupt_file_in_the_list_is_reported_and_the_next_file_still_read()
    {
        var good = WriteCapture("1-good.pcap", 2, 0);
        var broken = WriteCapture("2-broken.pcap", 3, 0);
        var bytes = File.ReadAllBytes(broken);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(24 + 8), 0x7FFF_FFFF); // first record length absurd
        File.WriteAllBytes(broken, bytes);
        WriteCapture("3-good.pcap", 4, 0);

        using var source = PlaylistSource.Open(_dir.Path);

        Assert.Equal(6, ReadAllPayloadSizes(source).Count);
        Assert.Contains("2-broken.pcap", source.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(good, source.Error!, StringComparison.Ordinal);
    }

    [Fact]
    public void A_directory_without_captures_and_a_bad_file_in_a_directory_are_refused_at_open()
    {
        var empty = Directory.CreateDirectory(Path.Combine(_dir.Path, "empty")).FullName;
        Assert.Contains("no .pcap", Assert.Throws<CaptureException>(() => PlaylistSource.Open(empty)).Message, StringComparison.Ordinal);

        File.WriteAllText(Path.Combine(_dir.Path, "fake.pcap"), "not a capture");
        Assert.Contains("fake.pcap: not a pcap", Assert.Throws<CaptureException>(() => PlaylistSource.Open(_dir.Path)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_looping_replay_of_a_playlist_starts_over_from_the_first_file()
    {
        WriteCapture("a.pcap", 2, 0);
        WriteCapture("b.pcap", 3, 0);

        using var source = CaptureSources.Open(_dir.Path, new ReplayOptions { Loops = 3 }, new LiveCaptureOptions());

        var batch = new PacketBatch();
        var timestamps = new List<long>();
        while (source.Read(batch) != ReadStatus.End)
        {
            timestamps.AddRange(batch.TimestampsUs.AsSpan(0, batch.Count).ToArray());
        }

        Assert.Equal(15, timestamps.Count);
    }

    public void Dispose() => _dir.Dispose();
}
