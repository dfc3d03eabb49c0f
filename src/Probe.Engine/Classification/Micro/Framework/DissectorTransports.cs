namespace Flowhive.Probe.Engine.Classification.Micro.Framework;

/// <summary>Which flows a dissector looks at, by IP protocol.</summary>
[Flags]
public enum DissectorTransports : byte
{
    None = 0,
    Tcp = 1,
    Udp = 2,

    /// <summary>Flows of any other IP protocol (ICMP, IGMP, ESP...): the dissector sees every packet, payload or not.</summary>
    OtherIp = 4,
}
