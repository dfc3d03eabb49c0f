using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Flowhive.Probe.Engine.Capture;
using Flowhive.Shared.Net;

namespace Flowhive.Probe.Engine.Decode;

/// <summary>
/// Decodes one frame into a <see cref="DecodedPacket"/>: link layers (Ethernet, 802.1Q/QinQ, MPLS, PPPoE,
/// Linux cooked v1/v2, raw IP, BSD loopback, Cisco HDLC, PPP), IPv4 (fragments), IPv6 (extension headers),
/// TCP, UDP, ICMP/ICMPv6 and the tunnels whose inner packet is the real flow (GRE, VXLAN, GTP-U, IP in IP).
/// Every read is bounds-checked against the captured bytes; nothing is allocated.
/// </summary>
public static class PacketDecoder
{
    /// <summary>Bound on stacked headers (VLAN tags, MPLS labels, extension headers, tunnels), so crafted frames cannot loop.</summary>
    public const int MaxHeaders = 24;

    private const ushort EtherTypeIpv4 = 0x0800;
    private const ushort EtherTypeIpv6 = 0x86DD;
    private const ushort EtherTypeVlan = 0x8100;
    private const ushort EtherTypeQinQ = 0x88A8;
    private const ushort EtherTypeQinQOld = 0x9100;
    private const ushort EtherTypeMplsUnicast = 0x8847;
    private const ushort EtherTypeMplsMulticast = 0x8848;
    private const ushort EtherTypePppoeSession = 0x8864;
    private const ushort EtherTypeTransparentBridging = 0x6558;

    private const ushort VxlanPort = 4789;
    private const ushort GtpUserPort = 2152;

    public static DecodeStatus Decode(ReadOnlySpan<byte> frame, int linkType, ref DecodedPacket p)
    {
        p = default;
        var c = new Ctx(frame, ref p);
        switch ((LinkType)linkType)
        {
            case LinkType.Ethernet:
                return Ethernet(frame, ref c, recordMacs: true);
            case LinkType.Raw:
            case LinkType.RawBsd:
            case LinkType.RawOpenBsd:
                return IpByVersion(frame, ref c);
            case LinkType.Ipv4:
                return Ipv4(frame, ref c);
            case LinkType.Ipv6:
                return Ipv6(frame, ref c);
            case LinkType.LinuxSll:
                return frame.Length < 16 ? DecodeStatus.TruncatedLinkHeader : EtherType(frame[16..], Be16(frame, 14), ref c);
            case LinkType.LinuxSll2:
                return frame.Length < 20 ? DecodeStatus.TruncatedLinkHeader : EtherType(frame[20..], Be16(frame, 0), ref c);
            case LinkType.Null:
            case LinkType.Loop:
                return Loopback(frame, ref c);
            case LinkType.CiscoHdlc:
                return frame.Length < 4 ? DecodeStatus.TruncatedLinkHeader : EtherType(frame[4..], Be16(frame, 2), ref c);
            case LinkType.Ppp:
                return Ppp(frame, ref c);
            default:
                return DecodeStatus.UnsupportedLinkType;
        }
    }

    private static DecodeStatus Ethernet(ReadOnlySpan<byte> f, ref Ctx c, bool recordMacs)
    {
        if (f.Length < 14)
        {
            return DecodeStatus.TruncatedLinkHeader;
        }

        if (recordMacs)
        {
            c.P.DstMac = MacAddr.Read(f);
            c.P.SrcMac = MacAddr.Read(f[6..]);
        }

        return EtherType(f[14..], Be16(f, 12), ref c);
    }

    private static DecodeStatus EtherType(ReadOnlySpan<byte> f, ushort etherType, ref Ctx c)
    {
        while (true)
        {
            if (++c.Depth > MaxHeaders)
            {
                return DecodeStatus.TooManyHeaders;
            }

            switch (etherType)
            {
                case EtherTypeIpv4:
                    return Ipv4(f, ref c);
                case EtherTypeIpv6:
                    return Ipv6(f, ref c);
                case EtherTypeVlan:
                case EtherTypeQinQ:
                case EtherTypeQinQOld:
                    if (f.Length < 4)
                    {
                        return DecodeStatus.TruncatedVlan;
                    }

                    // The innermost tag wins, as in ntopng.
                    c.P.Vlan = (ushort)(Be16(f, 0) & 0x0FFF);
                    etherType = Be16(f, 2);
                    f = f[4..];
                    continue;
                case EtherTypeMplsUnicast:
                case EtherTypeMplsMulticast:
                    return Mpls(f, ref c);
                case EtherTypePppoeSession:
                    if (f.Length < 8)
                    {
                        return DecodeStatus.TruncatedPppoe;
                    }

                    return PppProtocol(f[8..], Be16(f, 6), ref c);
                default:
                    return DecodeStatus.NotIp;
            }
        }
    }

    private static DecodeStatus Mpls(ReadOnlySpan<byte> f, ref Ctx c)
    {
        while (true)
        {
            if (f.Length < 4)
            {
                return DecodeStatus.TruncatedMpls;
            }

            if (++c.Depth > MaxHeaders)
            {
                return DecodeStatus.TooManyHeaders;
            }

            var bottomOfStack = (f[2] & 0x01) != 0;
            f = f[4..];
            if (bottomOfStack)
            {
                // MPLS does not say what it carries: the IP version nibble does.
                return f.Length > 0 && (f[0] >> 4) is 4 or 6 ? IpByVersion(f, ref c) : DecodeStatus.NotIp;
            }
        }
    }

    private static DecodeStatus Loopback(ReadOnlySpan<byte> f, ref Ctx c)
    {
        if (f.Length < 4)
        {
            return DecodeStatus.TruncatedLinkHeader;
        }

        // The family is in the capturing host's byte order (Null) or network order (Loop): accept either.
        var little = BinaryPrimitives.ReadUInt32LittleEndian(f);
        var big = BinaryPrimitives.ReadUInt32BigEndian(f);
        var family = little < 256 ? little : big;
        return family switch
        {
            2 => Ipv4(f[4..], ref c),
            24 or 28 or 30 => Ipv6(f[4..], ref c),
            _ => DecodeStatus.NotIp,
        };
    }

    private static DecodeStatus Ppp(ReadOnlySpan<byte> f, ref Ctx c)
    {
        if (f.Length >= 2 && f[0] == 0xFF && f[1] == 0x03)
        {
            f = f[2..];
        }

        if (f.Length < 1)
        {
            return DecodeStatus.TruncatedLinkHeader;
        }

        // Protocol field compression: an odd first byte is a one-byte protocol.
        if ((f[0] & 1) != 0)
        {
            return PppProtocol(f[1..], f[0], ref c);
        }

        return f.Length < 2 ? DecodeStatus.TruncatedLinkHeader : PppProtocol(f[2..], Be16(f, 0), ref c);
    }

    private static DecodeStatus PppProtocol(ReadOnlySpan<byte> f, ushort protocol, ref Ctx c) => protocol switch
    {
        0x0021 => Ipv4(f, ref c),
        0x0057 => Ipv6(f, ref c),
        _ => DecodeStatus.NotIp,
    };

    private static DecodeStatus IpByVersion(ReadOnlySpan<byte> f, ref Ctx c)
    {
        if (f.Length < 1)
        {
            return DecodeStatus.TruncatedIpv4;
        }

        return (f[0] >> 4) switch
        {
            4 => Ipv4(f, ref c),
            6 => Ipv6(f, ref c),
            _ => DecodeStatus.BadIpVersion,
        };
    }

    private static DecodeStatus Ipv4(ReadOnlySpan<byte> f, ref Ctx c)
    {
        if (++c.Depth > MaxHeaders)
        {
            return DecodeStatus.TooManyHeaders;
        }

        if (f.Length < 20)
        {
            return DecodeStatus.TruncatedIpv4;
        }

        if ((f[0] >> 4) != 4)
        {
            return DecodeStatus.BadIpVersion;
        }

        var headerLength = (f[0] & 0x0F) * 4;
        if (headerLength < 20)
        {
            return DecodeStatus.BadIpv4Header;
        }

        if (f.Length < headerLength)
        {
            return DecodeStatus.TruncatedIpv4;
        }

        int totalLength = Be16(f, 2);
        if (totalLength == 0)
        {
            // TCP segmentation offload leaves 0 here on captures taken at the sender.
            totalLength = f.Length;
        }
        else if (totalLength < headerLength)
        {
            return DecodeStatus.BadIpv4Header;
        }

        if (c.P.IpLength == 0)
        {
            c.P.IpLength = totalLength;
        }

        c.P.IpVersion = 4;
        c.P.L3Offset = OffsetInFrame(f, ref c);
        c.P.Src = IpAddr.FromV4Bytes(f[12..]);
        c.P.Dst = IpAddr.FromV4Bytes(f[16..]);
        var protocol = f[9];
        c.P.Protocol = protocol;

        var fragmentField = Be16(f, 6);
        var fragmentOffset = fragmentField & 0x1FFF;
        var moreFragments = (fragmentField & 0x2000) != 0;
        if (fragmentOffset != 0 || moreFragments)
        {
            c.P.IsFragment = true;
            c.P.IsLaterFragment = fragmentOffset != 0;
            c.P.FragmentId = Be16(f, 4);
            if (c.P.IsLaterFragment)
            {
                // No L4 header here: the flow worker maps it to the first fragment's flow.
                return DecodeStatus.Ok;
            }
        }

        // Ethernet pads short frames: the IP length, not the frame, says where the packet ends.
        var end = Math.Min(totalLength, f.Length);
        return Transport(f[headerLength..end], totalLength - headerLength, protocol, ref c);
    }

    private static DecodeStatus Ipv6(ReadOnlySpan<byte> f, ref Ctx c)
    {
        if (++c.Depth > MaxHeaders)
        {
            return DecodeStatus.TooManyHeaders;
        }

        if (f.Length < 40)
        {
            return DecodeStatus.TruncatedIpv6;
        }

        if ((f[0] >> 4) != 6)
        {
            return DecodeStatus.BadIpVersion;
        }

        int payloadLength = Be16(f, 4);
        var totalLength = payloadLength == 0 ? f.Length : 40 + payloadLength; // 0: jumbogram or offload
        if (c.P.IpLength == 0)
        {
            c.P.IpLength = totalLength;
        }

        c.P.IpVersion = 6;
        c.P.L3Offset = OffsetInFrame(f, ref c);
        c.P.Src = IpAddr.FromV6Bytes(f[8..]);
        c.P.Dst = IpAddr.FromV6Bytes(f[24..]);

        var next = f[6];
        var end = Math.Min(totalLength, f.Length);
        var offset = 40;
        while (true)
        {
            switch (next)
            {
                case 0: // hop-by-hop options
                case 43: // routing
                case 60: // destination options
                case 135: // mobility
                case 139: // HIP
                case 140: // shim6
                case 253:
                case 254: // experimental
                    {
                        if (++c.Depth > MaxHeaders)
                        {
                            return DecodeStatus.TooManyHeaders;
                        }

                        if (offset + 2 > end)
                        {
                            return DecodeStatus.BadIpv6ExtensionHeader;
                        }

                        var length = (f[offset + 1] + 1) * 8;
                        next = f[offset];
                        offset += length;
                        if (offset > end)
                        {
                            return DecodeStatus.BadIpv6ExtensionHeader;
                        }

                        continue;
                    }

                case 51: // authentication header: length in 4-byte units, minus 2
                    {
                        if (++c.Depth > MaxHeaders)
                        {
                            return DecodeStatus.TooManyHeaders;
                        }

                        if (offset + 2 > end)
                        {
                            return DecodeStatus.BadIpv6ExtensionHeader;
                        }

                        var length = (f[offset + 1] + 2) * 4;
                        next = f[offset];
                        offset += length;
                        if (offset > end)
                        {
                            return DecodeStatus.BadIpv6ExtensionHeader;
                        }

                        continue;
                    }

                case 44: // fragment
                    {
                        if (++c.Depth > MaxHeaders)
                        {
                            return DecodeStatus.TooManyHeaders;
                        }

                        if (offset + 8 > end)
                        {
                            return DecodeStatus.BadIpv6ExtensionHeader;
                        }

                        next = f[offset];
                        var fragmentOffset = Be16(f, offset + 2) >> 3;
                        c.P.IsFragment = true;
                        c.P.IsLaterFragment = fragmentOffset != 0;
                        c.P.FragmentId = Be32(f, offset + 4);
                        offset += 8;
                        if (c.P.IsLaterFragment)
                        {
                            c.P.Protocol = next;
                            return DecodeStatus.Ok;
                        }

                        continue;
                    }

                default:
                    c.P.Protocol = next;
                    return Transport(f[offset..end], totalLength - offset, next, ref c);
            }
        }
    }

    /// <summary>Decodes the L4 header. <paramref name="f"/> ends where the IP packet ends (or where capture stopped).</summary>
    private static DecodeStatus Transport(ReadOnlySpan<byte> f, int declaredLength, byte protocol, ref Ctx c)
    {
        switch (protocol)
        {
            case 6:
                {
                    if (f.Length < 20)
                    {
                        return DecodeStatus.TruncatedTcp;
                    }

                    var dataOffset = (f[12] >> 4) * 4;
                    if (dataOffset < 20)
                    {
                        return DecodeStatus.BadTcpHeader;
                    }

                    if (f.Length < dataOffset)
                    {
                        return DecodeStatus.TruncatedTcp;
                    }

                    c.P.SrcPort = Be16(f, 0);
                    c.P.DstPort = Be16(f, 2);
                    c.P.TcpSeq = Be32(f, 4);
                    c.P.TcpAck = Be32(f, 8);
                    c.P.TcpFlags = f[13];
                    c.P.TcpWindow = Be16(f, 14);
                    SetPayload(f, dataOffset, declaredLength, ref c);
                    return DecodeStatus.Ok;
                }

            case 17:
            case 136: // UDP-Lite has the same ports
                {
                    if (f.Length < 8)
                    {
                        return DecodeStatus.TruncatedUdp;
                    }

                    c.P.SrcPort = Be16(f, 0);
                    c.P.DstPort = Be16(f, 2);
                    SetPayload(f, 8, declaredLength, ref c);
                    // A fragmented tunnel packet stays the outer flow: its later fragments can only find that one.
                    if (protocol == 17 && !c.P.IsFragment && (c.P.DstPort == VxlanPort || c.P.DstPort == GtpUserPort))
                    {
                        TryTunnel(f[8..], c.P.DstPort, ref c);
                    }

                    return DecodeStatus.Ok;
                }

            case 1:
            case 58:
                if (f.Length < 2)
                {
                    return DecodeStatus.TruncatedIcmp;
                }

                // ICMP flows are keyed with ports 0, as ntopng and nDPI do, so an echo and its reply meet.
                c.P.IcmpType = f[0];
                c.P.IcmpCode = f[1];
                SetPayload(f, Math.Min(8, f.Length), declaredLength, ref c);
                return DecodeStatus.Ok;

            case 47:
                TryGre(f, ref c);
                return DecodeStatus.Ok;

            case 4: // IPv4 in IP
            case 41: // IPv6 in IP (6in4, 6to4, ISATAP)
                SetPayload(f, 0, declaredLength, ref c);
                TryIpInIp(f, protocol, ref c);
                return DecodeStatus.Ok;

            default:
                SetPayload(f, 0, declaredLength, ref c);
                return DecodeStatus.Ok;
        }
    }

    /// <summary>Where a span that is a slice of the frame starts in it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int OffsetInFrame(ReadOnlySpan<byte> part, ref Ctx c) =>
        (int)Unsafe.ByteOffset(ref MemoryMarshal.GetReference(c.Frame), ref MemoryMarshal.GetReference(part));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SetPayload(ReadOnlySpan<byte> l4, int headerLength, int declaredLength, ref Ctx c)
    {
        // Every span here is a slice of the frame, so the payload's frame offset is a pointer difference.
        var l4Offset = (int)Unsafe.ByteOffset(ref MemoryMarshal.GetReference(c.Frame), ref MemoryMarshal.GetReference(l4));
        c.P.PayloadOffset = l4Offset + headerLength;
        c.P.PayloadLength = Math.Max(0, l4.Length - headerLength);
        c.P.DeclaredPayloadLength = Math.Max(0, declaredLength - headerLength);
    }

    private static void TryTunnel(ReadOnlySpan<byte> f, ushort port, ref Ctx c)
    {
        var inner = InnerStart(c.P);
        var ic = new Ctx(c.Frame, ref inner) { Depth = c.Depth };
        DecodeStatus status;
        uint tunnelId;
        if (port == VxlanPort)
        {
            // VXLAN: flags (I bit 0x08 = VNI valid), 3 reserved, 3-byte VNI, 1 reserved; then an Ethernet frame.
            if (f.Length < 8 || (f[0] & 0x08) == 0)
            {
                return;
            }

            tunnelId = (uint)((f[4] << 16) | (f[5] << 8) | f[6]);
            status = Ethernet(f[8..], ref ic, recordMacs: false);
        }
        else
        {
            // GTPv1-U: version 1 (flags >> 5 == 1), message type 0xFF (G-PDU) carries a user IP packet.
            if (f.Length < 8 || (f[0] >> 5) != 1 || f[1] != 0xFF)
            {
                return;
            }

            tunnelId = Be32(f, 4);
            var offset = 8;
            if ((f[0] & 0x07) != 0)
            {
                // Sequence number, N-PDU number and next extension header type, then extension headers.
                if (f.Length < 12)
                {
                    return;
                }

                var nextExtension = f[11];
                offset = 12;
                while (nextExtension != 0)
                {
                    if (++c.Depth > MaxHeaders || offset >= f.Length)
                    {
                        return;
                    }

                    var length = f[offset] * 4;
                    if (length == 0 || offset + length > f.Length)
                    {
                        return;
                    }

                    nextExtension = f[offset + length - 1];
                    offset += length;
                }
            }

            status = IpByVersion(f[offset..], ref ic);
        }

        if (status == DecodeStatus.Ok)
        {
            inner.TunnelId = c.P.TunnelId != 0 ? c.P.TunnelId : tunnelId;
            c.P = inner;
        }
    }

    /// <summary>
    /// IP in IP: the inner packet is the conversation (nDPI's reader decodes 6in4 and IPIP the same way); the
    /// outer flow stays when the inner packet does not decode or the outer one is a fragment.
    /// </summary>
    private static void TryIpInIp(ReadOnlySpan<byte> f, byte protocol, ref Ctx c)
    {
        if (c.P.IsFragment)
        {
            return;
        }

        var inner = InnerStart(c.P);
        var ic = new Ctx(c.Frame, ref inner) { Depth = c.Depth };
        var status = protocol == 4 ? Ipv4(f, ref ic) : Ipv6(f, ref ic);
        if (status == DecodeStatus.Ok)
        {
            c.P = inner;
        }
    }

    private static void TryGre(ReadOnlySpan<byte> f, ref Ctx c)
    {
        SetPayload(f, 0, f.Length, ref c);
        if (f.Length < 4 || c.P.IsFragment)
        {
            return; // too short, or a fragment whose later parts only the outer flow can collect
        }

        var flags = Be16(f, 0);
        if ((flags & 0x0007) != 0)
        {
            return; // version 1 is PPTP's enhanced GRE: keep the GRE flow itself
        }

        var protocol = Be16(f, 2);
        var offset = 4;
        uint key = 0;
        if ((flags & 0x8000) != 0)
        {
            offset += 4; // checksum + reserved
        }

        if ((flags & 0x2000) != 0)
        {
            if (f.Length < offset + 4)
            {
                return;
            }

            key = Be32(f, offset);
            offset += 4;
        }

        if ((flags & 0x1000) != 0)
        {
            offset += 4; // sequence number
        }

        if (f.Length < offset)
        {
            return;
        }

        var inner = InnerStart(c.P);
        var ic = new Ctx(c.Frame, ref inner) { Depth = c.Depth };
        var status = protocol switch
        {
            EtherTypeIpv4 => Ipv4(f[offset..], ref ic),
            EtherTypeIpv6 => Ipv6(f[offset..], ref ic),
            EtherTypeTransparentBridging => Ethernet(f[offset..], ref ic, recordMacs: false),
            _ => DecodeStatus.NotIp,
        };
        if (status == DecodeStatus.Ok)
        {
            inner.TunnelId = c.P.TunnelId != 0 ? c.P.TunnelId : (key != 0 ? key : 1);
            c.P = inner;
        }
    }

    /// <summary>
    /// What an inner packet inherits from its tunnel: the link (MACs, VLAN), the outer IP length (the bytes that
    /// crossed the link) and an outer tunnel id. Not the outer ports, TCP or ICMP fields or fragment state: an
    /// inner protocol without ports (ICMP, ESP) must not be keyed with the tunnel's UDP ports.
    /// </summary>
    private static DecodedPacket InnerStart(in DecodedPacket outer) => new()
    {
        SrcMac = outer.SrcMac,
        DstMac = outer.DstMac,
        Vlan = outer.Vlan,
        IpLength = outer.IpLength,
        TunnelId = outer.TunnelId,
    };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ushort Be16(ReadOnlySpan<byte> s, int offset) => BinaryPrimitives.ReadUInt16BigEndian(s[offset..]);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Be32(ReadOnlySpan<byte> s, int offset) => BinaryPrimitives.ReadUInt32BigEndian(s[offset..]);

    /// <summary>Decoding state threaded through the layers: the whole frame (for offsets), the result, and the header count.</summary>
    private ref struct Ctx(ReadOnlySpan<byte> frame, ref DecodedPacket packet)
    {
        public readonly ReadOnlySpan<byte> Frame = frame;
        public ref DecodedPacket P = ref packet;
        public int Depth;
    }
}
