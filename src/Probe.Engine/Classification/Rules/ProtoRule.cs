using Flowhive.Shared.Net;

namespace Flowhive.Probe.Engine.Classification.Rules;

/// <summary>One rule of a protos file: what it matches and the protocol it names; <see cref="Line"/> for messages.</summary>
public sealed record ProtoRule(ProtoRuleKind Kind, string Protocol, int Line)
{
    /// <summary>Lowercase host text (<see cref="ProtoRuleKind.Host"/>).</summary>
    public string Host { get; init; } = "";

    public IpNetwork Network { get; init; }

    /// <summary>Port range (inclusive) for port rules and optional port of IP rules (0-0 = any).</summary>
    public ushort PortLow { get; init; }

    public ushort PortHigh { get; init; }
}
