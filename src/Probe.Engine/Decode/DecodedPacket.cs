using Flowhive.Shared.Net;

namespace Flowhive.Probe.Engine.Decode;

/// <summary>
/// What the decoder extracted from one frame: the flow key fields and what the flow table and the
/// classifier need. Filled in place (passed by reference) so that decoding allocates nothing.
/// </summary>
public struct DecodedPacket
{
    public IpAddr Src;
    public IpAddr Dst;
    public ushort SrcPort;
    public ushort DstPort;
    public byte Protocol;
    public byte IpVersion;

    /// <summary>Innermost 802.1Q tag, 0 when untagged.</summary>
    public ushort Vlan;

    public ulong SrcMac;
    public ulong DstMac;

    /// <summary>IP-layer length of the (outermost) IP packet as its header states it: what flows count as bytes.</summary>
    public int IpLength;

    public byte TcpFlags;
    public uint TcpSeq;
    public uint TcpAck;
    public ushort TcpWindow;

    /// <summary>
    /// Offset in the frame of the IP header the flow was keyed on (the innermost one for tunnels): where an
    /// engine that inspects whole IP packets (nDPI) starts reading.
    /// </summary>
    public int L3Offset;

    /// <summary>Offset of the L4 payload in the frame (captured bytes), and how many payload bytes were captured.</summary>
    public int PayloadOffset;
    public int PayloadLength;

    /// <summary>L4 payload length the headers declare (may exceed <see cref="PayloadLength"/> when the snaplen cut the frame).</summary>
    public int DeclaredPayloadLength;

    /// <summary>Set for every IPv4/IPv6 fragment; <see cref="IsLaterFragment"/> when it is not the first (no L4 header).</summary>
    public bool IsFragment;
    public bool IsLaterFragment;
    public uint FragmentId;

    public byte IcmpType;
    public byte IcmpCode;

    /// <summary>Tunnel id of the outermost tunnel the flow was found in (VXLAN VNI, GTP-U TEID, GRE key), 0 when none.</summary>
    public uint TunnelId;

    public void Reset() => this = default;
}
