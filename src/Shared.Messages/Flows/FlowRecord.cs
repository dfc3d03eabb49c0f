using Flowhive.Shared.Net;

namespace Flowhive.Shared.Flows;

/// <summary>
/// One exported flow (or one slice of a long flow): what a probe sends and a collector ingests.
/// Field names follow nProbe's information elements: <c>Src*</c>/<c>In*</c> is the client side
/// (client to server), <c>Dst*</c>/<c>Out*</c> the server side. Bytes are IP-layer bytes (IP header
/// included, link header excluded), as NetFlow, nProbe and nDPI count them. A struct, so that batches are
/// plain arrays and the export path allocates nothing per flow beyond optional metadata.
/// </summary>
public struct FlowRecord
{
    public IpAddr SrcAddr;
    public IpAddr DstAddr;
    public ushort SrcPort;
    public ushort DstPort;
    public byte Protocol;

    /// <summary>4 or 6.</summary>
    public byte IpVersion;

    /// <summary>802.1Q VLAN id (the innermost tag), 0 when untagged.</summary>
    public ushort Vlan;

    /// <summary>Client MAC (nProbe IN_SRC_MAC), 0 when unknown.</summary>
    public ulong SrcMac;

    /// <summary>Server MAC (nProbe OUT_DST_MAC), 0 when unknown.</summary>
    public ulong DstMac;

    /// <summary>Client to server IP bytes.</summary>
    public ulong InBytes;

    public ulong InPkts;

    /// <summary>Server to client IP bytes.</summary>
    public ulong OutBytes;

    public ulong OutPkts;

    /// <summary>First packet of this record, microseconds since the Unix epoch.</summary>
    public long FirstSwitchedUs;

    /// <summary>Last packet of this record, microseconds since the Unix epoch.</summary>
    public long LastSwitchedUs;

    /// <summary>TCP flags seen from the client (OR of all segments).</summary>
    public byte ClientTcpFlags;

    /// <summary>TCP flags seen from the server.</summary>
    public byte ServerTcpFlags;

    public FlowEndReason EndReason;

    /// <summary>nDPI master protocol id (e.g. TLS = 91), 0 when unknown.</summary>
    public ushort L7Master;

    /// <summary>nDPI application protocol id (e.g. YouTube = 124), 0 when unknown.</summary>
    public ushort L7App;

    /// <summary>nDPI category id (ndpi_protocol_category_t), 0 when unspecified.</summary>
    public ushort L7Category;

    public uint RetransmittedInPkts;
    public uint RetransmittedOutPkts;
    public uint OutOfOrderInPkts;
    public uint OutOfOrderOutPkts;

    /// <summary>Client-side network latency from the handshake (SYN-ACK to ACK), milliseconds; 0 when unknown.</summary>
    public float ClientNwLatencyMs;

    /// <summary>Server-side network latency from the handshake (SYN to SYN-ACK), milliseconds; 0 when unknown.</summary>
    public float ServerNwLatencyMs;

    /// <summary>Ingress or egress relative to the local networks (nProbe DIRECTION), unknown without <c>-L</c>.</summary>
    public FlowDirection Direction;

    /// <summary>Tunnel id the inner packet came from (VXLAN VNI, GTP TEID, GRE key), 0 when none.</summary>
    public uint TunnelId;

    /// <summary>IPv4 address (host order) of the router or exporter a collected record came from (NetFlow/IPFIX/sFlow); 0 for flows a probe captured.</summary>
    public uint ExporterIpv4;

    public FlowMetadata? Metadata;

    public readonly ulong TotalBytes => InBytes + OutBytes;

    public readonly ulong TotalPackets => InPkts + OutPkts;
}
