using System.Globalization;

namespace Flowhive.Shared.Wire;

/// <summary>
/// A 32-byte CURVE key as users type it: 40 Z85 characters (what ntopng stores in zmq-key.pub), 80 hex digits
/// (the hex of those 40 characters, which ntopng's GUI shows and nProbe accepts), or 64 hex digits (the raw key).
/// </summary>
public static class CurveKey
{
    public const int Length = 32;

    public static bool TryParse(string text, out byte[] key)
    {
        key = [];
        text = text.Trim();
        if (text.Length == 40)
        {
            return Z85.TryDecode(text, out key) && key.Length == Length;
        }

        if ((text.Length == 80 || text.Length == 64) && TryHex(text, out var bytes))
        {
            if (text.Length == 64)
            {
                key = bytes;
                return true;
            }

            // The hex of the Z85 text: decode the hex to the 40 characters, then the characters to the key.
            var z85 = new string(Array.ConvertAll(bytes, b => (char)b));
            return Z85.TryDecode(z85, out key) && key.Length == Length;
        }

        return false;
    }

    /// <summary>The form ntopng's GUI shows: hex of the Z85 text (80 characters).</summary>
    public static string ToHexOfZ85(ReadOnlySpan<byte> key) =>
        Convert.ToHexStringLower(System.Text.Encoding.ASCII.GetBytes(Z85.Encode(key)));

    private static bool TryHex(string text, out byte[] bytes)
    {
        bytes = new byte[text.Length / 2];
        for (var i = 0; i < bytes.Length; i++)
        {
            if (!byte.TryParse(text.AsSpan(i * 2, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out bytes[i]))
            {
                return false;
            }
        }

        return true;
    }
}
