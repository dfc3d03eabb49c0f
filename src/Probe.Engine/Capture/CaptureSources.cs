namespace Flowhive.Probe.Engine.Capture;

/// <summary>How a file source is replayed.</summary>
public sealed record ReplayOptions
{
    /// <summary>Speed factor: 1 = the file's own pace, 10 = ten times faster, 0 = as fast as possible (default).</summary>
    public double Speed { get; init; }

    /// <summary>Passes over the file: 1 = once (default), 0 = forever.</summary>
    public int Loops { get; init; } = 1;

    /// <summary>Parses <c>1x</c>, <c>10x</c>, <c>0.5x</c>, <c>max</c> (nProbe/ntopng style speeds).</summary>
    public static bool TryParseSpeed(string text, out double speed)
    {
        speed = 0;
        if (text.Equals("max", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var number = text.EndsWith('x') || text.EndsWith('X') ? text[..^1] : text;
        return double.TryParse(number, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out speed) &&
               speed > 0 && speed <= 1_000_000;
    }
}

/// <summary>
/// Opens the capture source an <c>-i</c> value names: a directory of captures, a capture file, a playlist (a text
/// file listing captures), or else a live interface.
/// </summary>
public static class CaptureSources
{
    private static readonly uint[] CaptureMagics = [0xA1B2C3D4, 0xD4C3B2A1, 0xA1B23C4D, 0x4D3CB2A1, 0x0A0D0D0A];

    public static bool LooksLikeFile(string value) => File.Exists(value) || Directory.Exists(value) ||
                                                      value.EndsWith(".pcap", StringComparison.OrdinalIgnoreCase) ||
                                                      value.EndsWith(".pcapng", StringComparison.OrdinalIgnoreCase) || value.Contains('/');

    public static CaptureSource Open(string value, ReplayOptions replay, LiveCaptureOptions live)
    {
        if (!LooksLikeFile(value))
        {
            return new LiveCaptureSource(value, live);
        }

        CaptureSource file;
        if (Directory.Exists(value))
        {
            file = PlaylistSource.Open(value);
        }
        else if (!File.Exists(value))
        {
            throw new CaptureException($"{value}: no such capture file");
        }
        else
        {
            file = IsCaptureFile(value) ? new PcapFileReader(value) : PlaylistSource.Open(value);
        }

        return replay.Speed <= 0 && replay.Loops == 1 ? file : new ReplaySource(file, replay.Speed, replay.Loops);
    }

    /// <summary>
    /// A capture starts with a pcap or pcapng magic; a text file with paths is a playlist. Anything else is handed to
    /// the pcap reader, whose error names the bad magic.
    /// </summary>
    private static bool IsCaptureFile(string path)
    {
        Span<byte> head = stackalloc byte[4];
        using (var stream = File.OpenRead(path))
        {
            if (stream.ReadAtLeast(head, 4, throwOnEndOfStream: false) < 4)
            {
                return true;
            }
        }

        var magic = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(head);
        if (CaptureMagics.Contains(magic))
        {
            return true;
        }

        // Printable text that names an existing file on its first non-comment line: a playlist.
        var first = File.ReadLines(path).Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0 && l[0] != '#');
        return first is null || first.Any(char.IsControl) ||
               !File.Exists(Path.IsPathRooted(first) ? first : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".", first));
    }
}
