namespace Flowhive.Probe.Engine.Classification.Ndpi;

/// <summary>How the nDPI engine is set up: user rule files and the per-flow packet budget.</summary>
public sealed record NdpiOptions
{
    /// <summary>
    /// ntopng's <c>-p/--ndpi-protocols</c>: custom protocols in nDPI's format (<c>host:"example.com"@MyApp</c>,
    /// <c>ip:10.1.2.3/32@MyApp</c>, <c>tcp:8080@MyApp</c>), loaded by nDPI's own loader.
    /// </summary>
    public string? ProtocolsFile { get; init; }

    /// <summary>
    /// Host (substring) and IP rules into categories, one <c>host&lt;TAB&gt;category</c> per line as nDPI's
    /// categories file, where the category is an id or a name (e.g. one of the five empty custom categories,
    /// "User custom category 1".."5"). nDPI 4.2 applies IP rules only when the protocols file defines a protocol.
    /// </summary>
    public string? CategoriesFile { get; init; }

    /// <summary>TCP packets given to nDPI before it must decide (ndpiReader's default, <c>-T</c>, is 80).</summary>
    public int MaxTcpPackets { get; init; } = 80;

    /// <summary>UDP packets given to nDPI before it must decide (ndpiReader's default, <c>-U</c>, is 24).</summary>
    public int MaxUdpPackets { get; init; } = 24;
}

/// <summary>nDPI could not be set up: a rule file is missing or malformed, or the library refused to initialise.</summary>
public sealed class NdpiException : Exception
{
    public NdpiException()
    {
    }

    public NdpiException(string message)
        : base(message)
    {
    }

    public NdpiException(string message, Exception inner)
        : base(message, inner)
    {
    }
}

/// <summary>One protocol nDPI knows (built-in or from the protocols file): id, name and default category.</summary>
public sealed record NdpiProtocol(ushort Id, string Name, ushort CategoryId, string CategoryName);
