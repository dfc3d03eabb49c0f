namespace Flowhive.Shared.Wire.NetFlow;

/// <summary>How an exporter encodes: version, template, datagram size, template refresh, and the exporter's own values.</summary>
public sealed record NetFlowEncoderOptions
{
    /// <summary>Keeps datagrams clear of a 1500-byte Ethernet MTU with IP, UDP and tunnel headers on top.</summary>
    public const int DefaultMtu = 1400;

    /// <summary>nProbe's first template id (its <c>-U</c> default); IPv6 flows use the next one.</summary>
    public const ushort DefaultTemplateId = 257;

    public NetFlowVersion Version { get; init; } = NetFlowVersion.V9;

    /// <summary>Ignored by NetFlow v5, whose record layout is fixed.</summary>
    public FlowTemplate Template { get; init; } = FlowTemplate.NprobeDefault;

    /// <summary>Largest UDP payload written.</summary>
    public int Mtu { get; init; } = DefaultMtu;

    /// <summary>v9 source id, IPFIX observation domain id, v5 engine id (low byte), and UNIQUE_SOURCE_ID.</summary>
    public uint SourceId { get; init; }

    /// <summary>Template of IPv4 flows; IPv6 flows use the next id.</summary>
    public ushort TemplateId { get; init; } = DefaultTemplateId;

    /// <summary>Templates go out again after this many datagrams (RFC 3954 §9 suggests a packet-count refresh for UDP)...</summary>
    public int TemplateRefreshPackets { get; init; } = 20;

    /// <summary>...or after this long, whichever comes first.</summary>
    public TimeSpan TemplateRefreshInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>A datagram that is not full is sent once its first record is this old.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How far before the first flow the v5/v9 sysUptime clock starts. Flows finish out of order (a long flow that
    /// started earlier ends later), and a FIRST_SWITCHED before boot cannot be written; the default covers
    /// nProbe's default lifetime many times over. A flow older than that moves the boot time (counted).
    /// </summary>
    public TimeSpan BootMargin { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>NPROBE_INSTANCE_NAME.</summary>
    public string InstanceName { get; init; } = string.Empty;

    /// <summary>EXPORTER_IPV4_ADDRESS and NPROBE_IPV4_ADDRESS, host order; 0 when unknown.</summary>
    public uint ExporterIpv4 { get; init; }
}
