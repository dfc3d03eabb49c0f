namespace Flowhive.Hosting;

/// <summary>One command-line option, in the shape nProbe and ntopng use: a short letter, a long name, a value or not.</summary>
public sealed record OptionSpec
{
    public OptionSpec(string longName, char? shortName, string help)
    {
        LongName = longName;
        ShortName = shortName;
        Help = help;
    }

    /// <summary>Long name without dashes (<c>zmq</c> for <c>--zmq</c>).</summary>
    public string LongName { get; }

    public char? ShortName { get; }

    public string Help { get; }

    /// <summary>Name of the value in <c>--help</c> (null for a flag that takes no value).</summary>
    public string? ValueName { get; init; }

    public bool TakesValue => ValueName is not null;

    /// <summary>The default, shown in <c>--help</c>.</summary>
    public string? Default { get; init; }

    /// <summary>May be given several times (<c>-i eth0 -i eth1</c>).</summary>
    public bool Repeatable { get; init; }

    /// <summary>Accepted but not shown by <c>--help</c> (compatibility aliases).</summary>
    public bool Hidden { get; init; }

    /// <summary>A flag whose value is optional (<c>--json-labels</c> or <c>--json-labels=1</c>).</summary>
    public bool ValueOptional { get; init; }
}
