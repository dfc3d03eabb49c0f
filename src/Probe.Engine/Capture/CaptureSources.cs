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

/// <summary>Opens the capture source an <c>-i</c> value names: a capture file if the path exists, else a live interface.</summary>
public static class CaptureSources
{
    public static bool LooksLikeFile(string value) => File.Exists(value) || value.EndsWith(".pcap", StringComparison.OrdinalIgnoreCase) ||
                                                      value.EndsWith(".pcapng", StringComparison.OrdinalIgnoreCase) || value.Contains('/');

    public static CaptureSource Open(string value, ReplayOptions replay, LiveCaptureOptions live)
    {
        if (LooksLikeFile(value))
        {
            if (!File.Exists(value))
            {
                throw new CaptureException($"{value}: no such capture file");
            }

            var reader = new PcapFileReader(value);
            return replay.Speed <= 0 && replay.Loops == 1 ? reader : new ReplaySource(reader, replay.Speed, replay.Loops);
        }

        return new LiveCaptureSource(value, live);
    }
}
