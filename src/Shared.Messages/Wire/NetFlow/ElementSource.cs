namespace Flowhive.Shared.Wire.NetFlow;

/// <summary>
/// Where an information element's value comes from when a <see cref="Flows.FlowRecord"/> is exported, and where it
/// goes when a record is decoded. "Forward" fields belong to the exported record's own direction (client to
/// server, or server to client for the reverse half of a split flow); "Reverse" fields to the opposite one.
/// </summary>
public enum ElementSource : byte
{
    /// <summary>A field nProbe knows and Flowhive has no data for (SNMP indexes, AS numbers, TOS...): sent as zeros, ignored when decoded.</summary>
    None,

    Bytes,
    Packets,

    /// <summary>OUT_BYTES: only templates that carry both directions in one record have it.</summary>
    ReverseBytes,

    ReversePackets,
    SrcAddr,
    DstAddr,
    SrcPort,
    DstPort,
    Protocol,
    IpVersion,

    /// <summary>TCP flags of the record's direction (both directions OR-ed in a bidirectional record).</summary>
    TcpFlags,

    ClientTcpFlags,
    ServerTcpFlags,
    SrcMac,
    DstMac,
    Vlan,

    /// <summary>nProbe's DIRECTION: 0 for a client-to-server or bidirectional record, 1 for the server-to-client half.</summary>
    Direction,

    EndReason,

    /// <summary>NetFlow v5/v9 FIRST_SWITCHED: milliseconds of sysUptime.</summary>
    FirstSwitchedUptime,

    LastSwitchedUptime,
    FlowStartSeconds,
    FlowEndSeconds,
    FlowStartMilliseconds,
    FlowEndMilliseconds,
    FlowDurationMilliseconds,

    /// <summary>IPFIX systemInitTimeMilliseconds: the epoch time sysUptime counts from.</summary>
    SystemInitMilliseconds,

    /// <summary>nDPI application id (the master id when the application is unknown).</summary>
    L7Proto,

    L7ProtoName,
    L7Info,
    DnsQuery,
    HttpSite,
    HttpUrl,
    HttpMethod,
    HttpUserAgent,
    HttpReturnCode,
    TlsServerName,
    Ja4Client,
    ClientNwLatency,
    ServerNwLatency,
    RetransmittedPackets,
    ReverseRetransmittedPackets,
    OutOfOrderPackets,
    ReverseOutOfOrderPackets,
    TunnelId,

    // Values of the exporter rather than the flow.
    SamplingInterval,
    TotalFlowsExported,
    InstanceName,
    UniqueSourceId,
    ExporterIpv4,

    /// <summary>nProbe's FLOW_SOURCE: 0, flows built from packets.</summary>
    FlowSource,
}
