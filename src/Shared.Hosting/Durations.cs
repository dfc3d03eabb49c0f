using System.Globalization;

namespace Flowhive.Hosting;

/// <summary>Durations as flags give them: a plain number is seconds (nProbe's <c>-t 120</c>); ms/s/m/h suffixes are accepted.</summary>
public static class Durations
{
    public static bool TryParse(string text, out TimeSpan value)
    {
        value = default;
        var (number, unit) = text.EndsWith("ms", StringComparison.Ordinal) ? (text[..^2], 0.001) :
            text.EndsWith('s') ? (text[..^1], 1.0) :
            text.EndsWith('m') ? (text[..^1], 60.0) :
            text.EndsWith('h') ? (text[..^1], 3600.0) : (text, 1.0);
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) ||
            double.IsNaN(amount) || double.IsInfinity(amount) || amount < 0 || amount * unit > TimeSpan.MaxValue.TotalSeconds / 2)
        {
            return false;
        }

        value = TimeSpan.FromSeconds(amount * unit);
        return true;
    }

    public static string Format(TimeSpan span) =>
        span.TotalSeconds < 1 ? $"{span.TotalMilliseconds:0}ms" :
        span.TotalSeconds < 60 || span.TotalSeconds % 60 != 0 ? $"{span.TotalSeconds:0.###}s" :
        span.TotalMinutes < 60 || span.TotalMinutes % 60 != 0 ? $"{span.TotalMinutes:0}m" : $"{span.TotalHours:0}h";
}
