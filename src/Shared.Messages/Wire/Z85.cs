namespace Flowhive.Shared.Wire;

/// <summary>ZeroMQ's Z85 text encoding (RFC 32/Z85): 4 bytes to 5 printable characters, used for CURVE keys.</summary>
public static class Z85
{
    private const string Alphabet = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";
    private static readonly sbyte[] Decoder = BuildDecoder();

    public static string Encode(ReadOnlySpan<byte> data)
    {
        if (data.Length % 4 != 0)
        {
            throw new ArgumentException("Z85 encodes whole 4-byte groups", nameof(data));
        }

        var chars = new char[data.Length / 4 * 5];
        for (int i = 0, c = 0; i < data.Length; i += 4)
        {
            var value = ((uint)data[i] << 24) | ((uint)data[i + 1] << 16) | ((uint)data[i + 2] << 8) | data[i + 3];
            for (var k = 4; k >= 0; k--)
            {
                chars[c + k] = Alphabet[(int)(value % 85)];
                value /= 85;
            }

            c += 5;
        }

        return new string(chars);
    }

    public static bool TryDecode(ReadOnlySpan<char> text, out byte[] data)
    {
        data = [];
        if (text.Length % 5 != 0)
        {
            return false;
        }

        var result = new byte[text.Length / 5 * 4];
        for (int i = 0, b = 0; i < text.Length; i += 5)
        {
            ulong value = 0;
            for (var k = 0; k < 5; k++)
            {
                var ch = text[i + k];
                var digit = ch < 128 ? Decoder[ch] : (sbyte)-1;
                if (digit < 0)
                {
                    return false;
                }

                value = (value * 85) + (ulong)digit;
            }

            if (value > uint.MaxValue)
            {
                return false;
            }

            result[b++] = (byte)(value >> 24);
            result[b++] = (byte)(value >> 16);
            result[b++] = (byte)(value >> 8);
            result[b++] = (byte)value;
        }

        data = result;
        return true;
    }

    private static sbyte[] BuildDecoder()
    {
        var table = new sbyte[128];
        Array.Fill(table, (sbyte)-1);
        for (var i = 0; i < Alphabet.Length; i++)
        {
            table[Alphabet[i]] = (sbyte)i;
        }

        return table;
    }
}
