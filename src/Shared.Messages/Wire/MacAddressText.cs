using Flowhive.Shared.Net;

namespace Flowhive.Shared.Wire;

/// <summary>MAC text as UTF-8 bytes without allocating (<see cref="MacAddr.Format"/> returns a new string).</summary>
internal static class MacAddressText
{
    /// <summary>"aa:bb:cc:dd:ee:ff".</summary>
    public const int Length = 17;

    public static int Format(ulong mac, Span<byte> destination)
    {
        for (var i = 0; i < 6; i++)
        {
            var b = (int)(mac >> (40 - (8 * i))) & 0xFF;
            destination[i * 3] = Hex(b >> 4);
            destination[(i * 3) + 1] = Hex(b & 0xF);
            if (i < 5)
            {
                destination[(i * 3) + 2] = (byte)':';
            }
        }

        return Length;
    }

    public static bool TryParse(ReadOnlySpan<byte> text, out ulong mac)
    {
        mac = 0;
        if (text.Length != Length)
        {
            return false;
        }

        Span<char> chars = stackalloc char[Length];
        for (var i = 0; i < Length; i++)
        {
            chars[i] = (char)text[i];
        }

        return MacAddr.TryParse(chars, out mac);
    }

    private static byte Hex(int nibble) => (byte)(nibble < 10 ? '0' + nibble : 'a' + nibble - 10);
}
