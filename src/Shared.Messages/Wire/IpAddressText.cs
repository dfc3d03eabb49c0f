using Flowhive.Shared.Net;

namespace Flowhive.Shared.Wire;

/// <summary>
/// IP address text straight to and from UTF-8 bytes, because <see cref="IpAddr.ToString"/> and
/// <see cref="IpAddr.TryParse"/> go through <see cref="System.Net.IPAddress"/> and allocate per call, which the
/// flow codec must not do per record.
/// </summary>
internal static class IpAddressText
{
    /// <summary>"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff" is the longest form written.</summary>
    public const int MaxLength = 39;

    /// <summary>Longer input cannot be an address; rejecting it early bounds the parse work.</summary>
    private const int MaxInputLength = 45;

    /// <summary>Dotted quad for IPv4; RFC 5952 for IPv6 (lowercase, no leading zeros, longest zero run as "::").</summary>
    public static int Format(IpAddr address, Span<byte> destination)
    {
        return address.IsV4 ? FormatV4(address.V4, destination) : FormatV6(address, destination);
    }

    private static int FormatV4(uint value, Span<byte> destination)
    {
        var position = 0;
        for (var shift = 24; shift >= 0; shift -= 8)
        {
            var octet = (value >> shift) & 0xFF;
            if (octet >= 100)
            {
                destination[position++] = (byte)('0' + (octet / 100));
            }

            if (octet >= 10)
            {
                destination[position++] = (byte)('0' + (octet / 10 % 10));
            }

            destination[position++] = (byte)('0' + (octet % 10));
            if (shift > 0)
            {
                destination[position++] = (byte)'.';
            }
        }

        return position;
    }

    private static int FormatV6(IpAddr address, Span<byte> destination)
    {
        Span<ushort> groups = stackalloc ushort[8];
        for (var i = 0; i < 4; i++)
        {
            groups[i] = (ushort)(address.High >> (48 - (16 * i)));
            groups[i + 4] = (ushort)(address.Low >> (48 - (16 * i)));
        }

        // RFC 5952 4.2: compress the longest run of two or more zero groups, the first one on a tie.
        int bestStart = -1, bestLength = 0;
        for (var i = 0; i < 8;)
        {
            if (groups[i] != 0)
            {
                i++;
                continue;
            }

            var start = i;
            while (i < 8 && groups[i] == 0)
            {
                i++;
            }

            if (i - start > bestLength && i - start >= 2)
            {
                bestStart = start;
                bestLength = i - start;
            }
        }

        var position = 0;
        for (var i = 0; i < 8; i++)
        {
            if (i == bestStart)
            {
                destination[position++] = (byte)':';
                destination[position++] = (byte)':';
                i += bestLength - 1;
                continue;
            }

            if (i > 0 && i != bestStart + bestLength)
            {
                destination[position++] = (byte)':';
            }

            position += FormatHex(groups[i], destination[position..]);
        }

        return position;
    }

    private static int FormatHex(ushort value, Span<byte> destination)
    {
        var position = 0;
        var started = false;
        for (var shift = 12; shift >= 0; shift -= 4)
        {
            var nibble = (value >> shift) & 0xF;
            if (nibble == 0 && !started && shift > 0)
            {
                continue;
            }

            started = true;
            destination[position++] = (byte)(nibble < 10 ? '0' + nibble : 'a' + nibble - 10);
        }

        return position;
    }

    /// <summary>
    /// Parses a dotted quad (strict: four decimal octets, no leading zeros, like inet_pton) or an RFC 4291 IPv6
    /// text form, including "::" and a trailing dotted quad. Zone ids and brackets are not accepted.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> text, out IpAddr address)
    {
        address = default;
        if (text.IsEmpty || text.Length > MaxInputLength)
        {
            return false;
        }

        if (text.IndexOf((byte)':') < 0)
        {
            if (!TryParseV4(text, out var v4))
            {
                return false;
            }

            address = IpAddr.FromV4(v4);
            return true;
        }

        return TryParseV6(text, out address);
    }

    private static bool TryParseV4(ReadOnlySpan<byte> text, out uint value)
    {
        value = 0;
        var octets = 0;
        var position = 0;
        while (true)
        {
            var start = position;
            uint octet = 0;
            while (position < text.Length && position - start < 4 && IsDigit(text[position]))
            {
                octet = (octet * 10) + (uint)(text[position] - '0');
                position++;
            }

            var digits = position - start;
            if (digits == 0 || digits > 3 || octet > 255 || (digits > 1 && text[start] == '0'))
            {
                return false;
            }

            value = (value << 8) | octet;
            octets++;
            if (octets == 4)
            {
                return position == text.Length;
            }

            if (position >= text.Length || text[position] != '.')
            {
                return false;
            }

            position++;
        }
    }

    private static bool TryParseV6(ReadOnlySpan<byte> text, out IpAddr address)
    {
        address = default;
        Span<ushort> groups = stackalloc ushort[8];
        var count = 0;
        var compressAt = -1;
        var position = 0;

        if (text[0] == ':')
        {
            if (text.Length < 2 || text[1] != ':')
            {
                return false;
            }

            compressAt = 0;
            position = 2;
        }

        while (position < text.Length)
        {
            var start = position;
            var value = 0;
            while (position < text.Length && position - start < 5 && TryHex(text[position], out var nibble))
            {
                value = (value << 4) | nibble;
                position++;
            }

            if (position < text.Length && text[position] == '.')
            {
                // A trailing dotted quad fills the last two groups.
                if (count > 6 || !TryParseV4(text[start..], out var v4))
                {
                    return false;
                }

                groups[count++] = (ushort)(v4 >> 16);
                groups[count++] = (ushort)v4;
                position = text.Length;
                break;
            }

            var digits = position - start;
            if (digits == 0 || digits > 4 || count == 8)
            {
                return false;
            }

            groups[count++] = (ushort)value;
            if (position == text.Length)
            {
                break;
            }

            if (text[position] != ':')
            {
                return false;
            }

            position++;
            if (position < text.Length && text[position] == ':')
            {
                if (compressAt >= 0)
                {
                    return false;
                }

                compressAt = count;
                position++;
            }
            else if (position == text.Length)
            {
                return false;
            }
        }

        if (compressAt < 0 ? count != 8 : count > 7)
        {
            return false;
        }

        Span<ushort> full = stackalloc ushort[8];
        if (compressAt < 0)
        {
            groups.CopyTo(full);
        }
        else
        {
            full.Clear();
            groups[..compressAt].CopyTo(full);
            var tail = count - compressAt;
            groups.Slice(compressAt, tail).CopyTo(full[(8 - tail)..]);
        }

        ulong high = 0, low = 0;
        for (var i = 0; i < 4; i++)
        {
            high = (high << 16) | full[i];
            low = (low << 16) | full[i + 4];
        }

        address = new IpAddr(high, low);
        return true;
    }

    private static bool IsDigit(byte b) => (uint)(b - '0') <= 9;

    private static bool TryHex(byte b, out int nibble)
    {
        nibble = b switch
        {
            >= (byte)'0' and <= (byte)'9' => b - '0',
            >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
            >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
            _ => -1,
        };
        return nibble >= 0;
    }
}
