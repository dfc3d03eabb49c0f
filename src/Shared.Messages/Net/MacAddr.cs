using System.Globalization;
using System.Runtime.CompilerServices;

namespace Flowhive.Shared.Net;

/// <summary>48-bit MAC addresses carried as the low bits of a <see cref="ulong"/> (0 = unknown).</summary>
public static class MacAddr
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Read(ReadOnlySpan<byte> sixBytes) =>
        ((ulong)sixBytes[0] << 40) | ((ulong)sixBytes[1] << 32) | ((ulong)sixBytes[2] << 24) |
        ((ulong)sixBytes[3] << 16) | ((ulong)sixBytes[4] << 8) | sixBytes[5];

    /// <summary>Formats as "aa:bb:cc:dd:ee:ff", the form ntopng and nProbe use.</summary>
    public static string Format(ulong mac) => string.Create(17, mac, static (span, m) =>
    {
        for (var i = 0; i < 6; i++)
        {
            var b = (byte)(m >> (40 - (8 * i)));
            b.TryFormat(span[(i * 3)..], out _, "x2", CultureInfo.InvariantCulture);
            if (i < 5)
            {
                span[(i * 3) + 2] = ':';
            }
        }
    });

    public static bool TryParse(ReadOnlySpan<char> text, out ulong mac)
    {
        mac = 0;
        if (text.Length != 17)
        {
            return false;
        }

        for (var i = 0; i < 6; i++)
        {
            if (i < 5 && text[(i * 3) + 2] != ':' && text[(i * 3) + 2] != '-')
            {
                return false;
            }

            if (!byte.TryParse(text.Slice(i * 3, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var b))
            {
                return false;
            }

            mac = (mac << 8) | b;
        }

        return true;
    }
}
