using System.Buffers.Binary;
using Flowhive.Shared.Net;

namespace Flowhive.Probe.Engine.Capture;

/// <summary>The RFC 1071 ones' complement checksum used by IPv4, TCP, UDP, ICMP and ICMPv6, with the RFC 793/8200 pseudo-headers.</summary>
public static class InternetChecksum
{
    /// <summary>Adds <paramref name="data"/> as big-endian 16-bit words to a running 32-bit sum (an odd last byte is padded with zero).</summary>
    public static uint Add(uint sum, ReadOnlySpan<byte> data)
    {
        var s = (ulong)sum;
        var i = 0;
        for (; i + 1 < data.Length; i += 2)
        {
            s += BinaryPrimitives.ReadUInt16BigEndian(data[i..]);
        }

        if (i < data.Length)
        {
            s += (uint)data[i] << 8;
        }

        return Fold32(s);
    }

    /// <summary>Folds the carries and complements: the value that goes into the header.</summary>
    public static ushort Finish(uint sum)
    {
        var s = Fold32(sum);
        while ((s >> 16) != 0)
        {
            s = (s & 0xFFFF) + (s >> 16);
        }

        return (ushort)~s;
    }

    /// <summary>The checksum of <paramref name="data"/> alone (IPv4 header, ICMPv4).</summary>
    public static ushort Compute(ReadOnlySpan<byte> data) => Finish(Add(0, data));

    /// <summary>The sum of the TCP/UDP/ICMPv6 pseudo-header for IPv4 (RFC 793) or IPv6 (RFC 8200 section 8.1).</summary>
    public static uint PseudoHeader(IpAddr src, IpAddr dst, byte protocol, int upperLayerLength)
    {
        Span<byte> pseudo = stackalloc byte[40];
        if (src.IsV4 && dst.IsV4)
        {
            BinaryPrimitives.WriteUInt32BigEndian(pseudo, src.V4);
            BinaryPrimitives.WriteUInt32BigEndian(pseudo[4..], dst.V4);
            pseudo[8] = 0;
            pseudo[9] = protocol;
            BinaryPrimitives.WriteUInt16BigEndian(pseudo[10..], (ushort)upperLayerLength);
            return Add(0, pseudo[..12]);
        }

        src.WriteV6Bytes(pseudo);
        dst.WriteV6Bytes(pseudo[16..]);
        BinaryPrimitives.WriteUInt32BigEndian(pseudo[32..], (uint)upperLayerLength);
        pseudo[36] = pseudo[37] = pseudo[38] = 0;
        pseudo[39] = protocol;
        return Add(0, pseudo);
    }

    private static uint Fold32(ulong s)
    {
        while ((s >> 32) != 0)
        {
            s = (s & 0xFFFF_FFFF) + (s >> 32);
        }

        return (uint)s;
    }
}
