using System.Buffers.Binary;

namespace Flowhive.Probe.Engine.Tests.Support;

/// <summary>Wraps an IP packet (from <c>FrameBuilder.BuildIp</c>) in the link headers the frame builder does not write.</summary>
public static class LinkHeaders
{
    public static byte[] Ethernet(ushort etherType, params ReadOnlySpan<byte> rest)
    {
        var frame = new byte[14 + rest.Length];
        frame.AsSpan(0, 6).Fill(0x02);
        frame.AsSpan(6, 6).Fill(0x04);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), etherType);
        rest.CopyTo(frame.AsSpan(14));
        return frame;
    }

    /// <summary>An MPLS label stack (bottom-of-stack bit on the last label) in front of <paramref name="ip"/>.</summary>
    public static byte[] Mpls(ReadOnlySpan<byte> ip, params uint[] labels)
    {
        var stack = new byte[(4 * labels.Length) + ip.Length];
        for (var i = 0; i < labels.Length; i++)
        {
            var entry = (labels[i] << 12) | (i == labels.Length - 1 ? 0x100u : 0u) | 64u; // label, S bit, TTL 64
            BinaryPrimitives.WriteUInt32BigEndian(stack.AsSpan(4 * i), entry);
        }

        ip.CopyTo(stack.AsSpan(4 * labels.Length));
        return Ethernet(0x8847, stack);
    }

    /// <summary>A PPPoE session frame (RFC 2516) carrying <paramref name="ip"/> as PPP protocol <paramref name="pppProtocol"/>.</summary>
    public static byte[] Pppoe(ReadOnlySpan<byte> ip, ushort sessionId, ushort pppProtocol)
    {
        var body = new byte[8 + ip.Length];
        body[0] = 0x11; // version 1, type 1
        body[1] = 0x00; // session data
        BinaryPrimitives.WriteUInt16BigEndian(body.AsSpan(2), sessionId);
        BinaryPrimitives.WriteUInt16BigEndian(body.AsSpan(4), (ushort)(ip.Length + 2));
        BinaryPrimitives.WriteUInt16BigEndian(body.AsSpan(6), pppProtocol);
        ip.CopyTo(body.AsSpan(8));
        return Ethernet(0x8864, body);
    }

    /// <summary>Linux cooked capture v1 (LINKTYPE_LINUX_SLL): 16 bytes, protocol last.</summary>
    public static byte[] Sll(ReadOnlySpan<byte> ip, ushort protocol)
    {
        var frame = new byte[16 + ip.Length];
        BinaryPrimitives.WriteUInt16BigEndian(frame, 0); // packet type: to us
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), 1); // ARPHRD_ETHER
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(4), 6);
        frame.AsSpan(6, 6).Fill(0x0A);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(14), protocol);
        ip.CopyTo(frame.AsSpan(16));
        return frame;
    }

    /// <summary>Linux cooked capture v2 (LINKTYPE_LINUX_SLL2): 20 bytes, protocol first.</summary>
    public static byte[] Sll2(ReadOnlySpan<byte> ip, ushort protocol, uint interfaceIndex = 3)
    {
        var frame = new byte[20 + ip.Length];
        BinaryPrimitives.WriteUInt16BigEndian(frame, protocol);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(4), interfaceIndex);
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(8), 1); // ARPHRD_ETHER
        frame[10] = 4; // outgoing
        frame[11] = 6;
        frame.AsSpan(12, 6).Fill(0x0B);
        ip.CopyTo(frame.AsSpan(20));
        return frame;
    }

    /// <summary>A link header of <paramref name="header"/> bytes followed by the packet.</summary>
    public static byte[] Prefix(ReadOnlySpan<byte> header, ReadOnlySpan<byte> ip)
    {
        var frame = new byte[header.Length + ip.Length];
        header.CopyTo(frame);
        ip.CopyTo(frame.AsSpan(header.Length));
        return frame;
    }

    /// <summary>A GRE header (RFC 2784/2890) with an optional key, then <paramref name="inner"/>.</summary>
    public static byte[] Gre(ReadOnlySpan<byte> inner, ushort protocol, uint? key = null, bool checksum = false, uint? sequence = null)
    {
        var flags = (ushort)((checksum ? 0x8000 : 0) | (key is null ? 0 : 0x2000) | (sequence is null ? 0 : 0x1000));
        var length = 4 + (checksum ? 4 : 0) + (key is null ? 0 : 4) + (sequence is null ? 0 : 4);
        var gre = new byte[length + inner.Length];
        BinaryPrimitives.WriteUInt16BigEndian(gre, flags);
        BinaryPrimitives.WriteUInt16BigEndian(gre.AsSpan(2), protocol);
        var at = checksum ? 8 : 4;
        if (key is { } k)
        {
            BinaryPrimitives.WriteUInt32BigEndian(gre.AsSpan(at), k);
            at += 4;
        }

        if (sequence is { } s)
        {
            BinaryPrimitives.WriteUInt32BigEndian(gre.AsSpan(at), s);
        }

        inner.CopyTo(gre.AsSpan(length));
        return gre;
    }

    /// <summary>A VXLAN header (RFC 7348, I flag set) for <paramref name="vni"/>, then the inner Ethernet frame.</summary>
    public static byte[] Vxlan(ReadOnlySpan<byte> innerEthernet, uint vni)
    {
        var body = new byte[8 + innerEthernet.Length];
        body[0] = 0x08;
        body[4] = (byte)(vni >> 16);
        body[5] = (byte)(vni >> 8);
        body[6] = (byte)vni;
        innerEthernet.CopyTo(body.AsSpan(8));
        return body;
    }

    /// <summary>A GTPv1-U G-PDU header for <paramref name="teid"/>, optionally with a PDU session container extension.</summary>
    public static byte[] GtpU(ReadOnlySpan<byte> innerIp, uint teid, bool withExtension = false)
    {
        var headerLength = withExtension ? 16 : 8;
        var body = new byte[headerLength + innerIp.Length];
        body[0] = (byte)(withExtension ? 0x34 : 0x30); // version 1, PT=1, E flag when extended
        body[1] = 0xFF; // G-PDU
        BinaryPrimitives.WriteUInt16BigEndian(body.AsSpan(2), (ushort)(body.Length - 8));
        BinaryPrimitives.WriteUInt32BigEndian(body.AsSpan(4), teid);
        if (withExtension)
        {
            body[11] = 0x85; // next extension: PDU session container
            body[12] = 1; // length in 4-byte units
            body[13] = 0x10; // PDU type UL
            body[14] = 0x09; // QFI
            body[15] = 0; // no further extension
        }

        innerIp.CopyTo(body.AsSpan(headerLength));
        return body;
    }
}
