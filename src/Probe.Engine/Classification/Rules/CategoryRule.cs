namespace Flowhive.Probe.Engine.Classification.Rules;

/// <summary>One line of a categories file: a host name (matched as nDPI matches host rules) or IP/CIDR, and a category id.</summary>
public sealed record CategoryRule(string HostOrIp, int Category, string File, int Line);
