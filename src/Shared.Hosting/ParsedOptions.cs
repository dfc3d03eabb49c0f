namespace Flowhive.Hosting;

/// <summary>Options after parsing: values by long name, in the order given.</summary>
public sealed class ParsedOptions
{
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);

    /// <summary>Where the options came from (for error messages): "command line" or the config file path.</summary>
    public IReadOnlyList<string> Sources { get; init; } = [];

    internal void Add(string longName, string value)
    {
        if (!_values.TryGetValue(longName, out var list))
        {
            _values[longName] = list = [];
        }

        list.Add(value);
    }

    internal void Set(string longName, string value) => _values[longName] = [value];

    public bool Has(string longName) => _values.ContainsKey(longName);

    /// <summary>The last value given (a later command-line flag overrides the config file).</summary>
    public string? Get(string longName) => _values.TryGetValue(longName, out var list) ? list[^1] : null;

    public IReadOnlyList<string> GetAll(string longName) => _values.TryGetValue(longName, out var list) ? list : [];

    public int GetInt(string longName, int defaultValue, int min, int max)
    {
        var text = Get(longName);
        if (text is null)
        {
            return defaultValue;
        }

        if (!int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value) ||
            value < min || value > max)
        {
            throw new CommandLineException($"--{longName}: '{text}' is not a number between {min} and {max}");
        }

        return value;
    }

    /// <summary>A flag given bare, or with a true-ish value (1/yes/true/on).</summary>
    public bool GetFlag(string longName)
    {
        var text = Get(longName);
        if (text is null)
        {
            return false;
        }

        return text.Length == 0 || text is "1" or "yes" or "true" or "on" ? true :
            text is "0" or "no" or "false" or "off" ? false :
            throw new CommandLineException($"--{longName}: '{text}' is not a yes/no value");
    }

    /// <summary>A duration in seconds (nProbe's timeouts) or with a unit: 500ms, 30s, 2m, 1h.</summary>
    public TimeSpan GetDuration(string longName, TimeSpan defaultValue, TimeSpan min, TimeSpan max)
    {
        var text = Get(longName);
        if (text is null)
        {
            return defaultValue;
        }

        if (!Durations.TryParse(text, out var value) || value < min || value > max)
        {
            throw new CommandLineException($"--{longName}: '{text}' is not a duration between {Durations.Format(min)} and {Durations.Format(max)} (plain numbers are seconds)");
        }

        return value;
    }
}
