namespace Flowhive.Probe.Engine.Classification.Micro.Services;

/// <summary>What a host name or certificate says about a flow: a service protocol (0 when the rule only sets a category) and a category (0 = the protocol's default).</summary>
public readonly record struct ServiceMatch(ushort Protocol, ushort Category);
