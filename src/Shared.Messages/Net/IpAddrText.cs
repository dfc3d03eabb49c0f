namespace Flowhive.Shared.Net;

/// <summary>
/// Parses addresses in their standard text forms without allocating (<see cref="IpAddr.TryParse"/> goes through
/// <see cref="System.Net.IPAddress"/>, an object per call), for text parsed per flow record such as a DNS response's
/// answers: IPv4 dotted quads and RFC 4291 IPv6 (with "::" and an optional dotted-quad tail). Forms the OS parser
/// also accepts but no exporter writes (zone ids, "0x7f.1", fewer than four IPv4 parts) are refused.
/// </summary>
public static class IpAddrText
{
    public static bool TryParse(ReadOnlySpan<char> text, out IpAddr address)
    {
        address = default;
        if (text.IndexOf(':') < 0)
        {
            if (!TryParseV4(text, out var v4))
            {
                return false;
            }

            address = IpAddr.FromV4(v4);
            return true;
        }

        Span<ushort> groups = stackalloc ushort[8];
        if (!TryParseV6(text, groups))
        {
            return false;
        }

        ulong high = 0, low = 0;
        for (var i = 0; i < 4; i++)
        {
            high = (high << 16) | groups[i];
            low = (low << 16) | groups[i + 4];
        }

        address = new IpAddr(high, low);
        return true;
    }

    private static bool TryParseV4(ReadOnlySpan<char> text, out uint value)
    {
        value = 0;
        var parts = 0;
        var part = -1;
        foreach (var c in text)
        {
            if (c == '.')
            {
                if (part < 0 || ++parts > 3)
                {
                    return false;
                }

                value = (value << 8) | (uint)part;
                part = -1;
            }
            else if (c is >= '0' and <= '9')
            {
                part = part < 0 ? c - '0' : (part * 10) + (c - '0');
                if (part > 255)
                {
                    return false;
                }
            }
            else
            {
                return false;
            }
        }

        if (part < 0 || parts != 3)
        {
            return false;
        }

        value = (value << 8) | (uint)part;
        return true;
    }

    /// <summary>Fills eight groups: those before "::" from the front, those after it at the back, zeros between.</summary>
    private static bool TryParseV6(ReadOnlySpan<char> text, Span<ushort> groups)
    {
        var gap = text.IndexOf("::");
        if (gap >= 0)
        {
            if (text[(gap + 1)..].Contains("::", StringComparison.Ordinal))
            {
                return false;
            }

            Span<ushort> tail = stackalloc ushort[8];
            if (!TryGroups(text[..gap], groups, allowV4: false, out var front) ||
                !TryGroups(text[(gap + 2)..], tail, allowV4: true, out var back) || front + back > 7)
            {
                return false;
            }

            tail[..back].CopyTo(groups[(8 - back)..]);
            return true;
        }

        return TryGroups(text, groups, allowV4: true, out var count) && count == 8;
    }

    private static bool TryGroups(ReadOnlySpan<char> text, Span<ushort> groups, bool allowV4, out int count)
    {
        count = 0;
        if (text.IsEmpty)
        {
            return true;
        }

        while (true)
        {
            var colon = text.IndexOf(':');
            var group = colon < 0 ? text : text[..colon];
            if (colon < 0 && allowV4 && group.Contains('.'))
            {
                if (count > 6 || !TryParseV4(group, out var v4))
                {
                    return false;
                }

                groups[count++] = (ushort)(v4 >> 16);
                groups[count++] = (ushort)v4;
                return true;
            }

            if (group.Length is 0 or > 4 || count == 8 || !ushort.TryParse(group, System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out var value))
            {
                return false;
            }

            groups[count++] = value;
            if (colon < 0)
            {
                return true;
            }

            text = text[(colon + 1)..];
        }
    }
}
