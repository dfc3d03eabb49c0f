using System.Buffers.Binary;

namespace Flowhive.Probe.Engine.Classification.Micro.Parsers;

/// <summary>
/// The client hello (CHLO) of Google QUIC before Q050, sent in clear: found behind the public header (versions up
/// to Q043) or the Q046 long header, its 12-byte message hash and a stream frame on the crypto stream (1); its
/// tag-value map holds the SNI and the user agent. Integers in frames are little-endian before Q039, big-endian
/// after; the CHLO map itself is always little-endian.
/// </summary>
public static class GoogleQuicHello
{
    private const int MessageHashLength = 12;
    private const uint Sni = 0x00494E53; // "SNI\0" read little-endian
    private const uint Uaid = 0x44494155; // "UAID"

    /// <summary>Finds the CHLO bytes in a client packet; <paramref name="version"/> is the packet's version ("Q046" as a number).</summary>
    public static bool TryFindChlo(ReadOnlySpan<byte> packet, out uint version, out ReadOnlySpan<byte> chlo)
    {
        chlo = [];
        version = 0;
        var r = new SpanReader(packet);
        if (!r.TryU8(out var first))
        {
            return false;
        }

        int packetNumberLength;
        if ((first & 0x80) != 0)
        {
            // Q046: IETF-style long header with connection id lengths in one byte (length - 3 per nibble).
            if (!r.TryU32(out version) || !r.TryU8(out var lengths))
            {
                return false;
            }

            var dcil = lengths >> 4 == 0 ? 0 : (lengths >> 4) + 3;
            var scil = (lengths & 0xF) == 0 ? 0 : (lengths & 0xF) + 3;
            if (!r.TrySkip(dcil + scil))
            {
                return false;
            }

            packetNumberLength = (first & 0x03) + 1;
        }
        else
        {
            if ((first & 0x01) == 0 || ((first & 0x08) != 0 && !r.TrySkip(8)) || !r.TryU32(out version))
            {
                return false;
            }

            packetNumberLength = ((first >> 4) & 0x03) switch
            {
                0 => 1,
                1 => 2,
                2 => 4,
                _ => 6,
            };
        }

        if (!QuicVersions.IsClearTextGoogle(version) || !r.TrySkip(packetNumberLength) || !r.TrySkip(MessageHashLength))
        {
            return false;
        }

        var number = VersionNumber(version);
        if (number < 34 && !r.TrySkip(1))
        {
            return false; // the private flags byte, gone from Q034
        }

        // The first frame must be a STREAM frame (1fdooossB) on stream 1.
        if (!r.TryU8(out var type) || (type & 0x80) == 0)
        {
            return false;
        }

        var bigEndian = number >= 39;
        var streamIdLength = (type & 0x03) + 1;
        var offsetBits = (type >> 2) & 0x07;
        var offsetLength = offsetBits == 0 ? 0 : offsetBits + 1;
        if (!r.TryBytes(streamIdLength, out var streamId) || ReadInteger(streamId, bigEndian) != 1 || !r.TrySkip(offsetLength))
        {
            return false;
        }

        ReadOnlySpan<byte> data;
        if ((type & 0x20) != 0)
        {
            if (!r.TryBytes(2, out var lengthBytes) || !r.TryBytes((int)ReadInteger(lengthBytes, bigEndian), out data))
            {
                return false;
            }
        }
        else
        {
            data = r.Rest;
        }

        if (data.Length < 8 || !data.StartsWith("CHLO"u8))
        {
            return false;
        }

        chlo = data;
        return true;
    }

    /// <summary>Reads the SNI and UAID values of a CHLO map (empty when absent); false when the map is malformed.</summary>
    public static bool TryReadTags(ReadOnlySpan<byte> chlo, out ReadOnlySpan<byte> sni, out ReadOnlySpan<byte> userAgent)
    {
        sni = [];
        userAgent = [];
        if (chlo.Length < 8 || !chlo.StartsWith("CHLO"u8))
        {
            return false;
        }

        int count = BinaryPrimitives.ReadUInt16LittleEndian(chlo[4..]);
        var index = chlo[8..];
        if (index.Length / 8 < count)
        {
            return false;
        }

        var values = index[(count * 8)..];
        uint previousEnd = 0;
        for (var i = 0; i < count; i++)
        {
            var tag = BinaryPrimitives.ReadUInt32LittleEndian(index[(i * 8)..]);
            var end = BinaryPrimitives.ReadUInt32LittleEndian(index[((i * 8) + 4)..]);
            if (end < previousEnd || end > values.Length)
            {
                return false;
            }

            var value = values[(int)previousEnd..(int)end];
            if (tag == Sni)
            {
                sni = value;
            }
            else if (tag == Uaid)
            {
                userAgent = value;
            }

            previousEnd = end;
        }

        return true;
    }

    /// <summary>43 for "Q043".</summary>
    public static int VersionNumber(uint version) =>
        ((int)((version >> 16) & 0xFF) - '0') * 100 + ((int)((version >> 8) & 0xFF) - '0') * 10 + ((int)(version & 0xFF) - '0');

    private static ulong ReadInteger(ReadOnlySpan<byte> bytes, bool bigEndian)
    {
        ulong value = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            var b = bigEndian ? bytes[i] : bytes[bytes.Length - 1 - i];
            value = (value << 8) | b;
        }

        return value;
    }
}
