using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Flowhive.Probe.Engine.Classification.Micro.Crypto;

/// <summary>
/// MD5 (RFC 1321) in managed code, for the JA3 and HASSH fingerprints. The platform's MD5 goes through OpenSSL,
/// whose one-shot digest costs about 2.4 µs per call on this machine (a context and provider lookup each time)
/// against well under 1 µs here; fingerprints hash a few hundred bytes once per flow, so the set-up dominated.
/// </summary>
public static class Md5
{
    public const int HashSize = 16;

    private static readonly byte[] Shifts =
    [
        7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
        5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20,
        4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
        6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
    ];

    /// <summary>floor(|sin(i + 1)| * 2^32), as RFC 1321 defines the table (double precision gives every entry exactly).</summary>
    private static readonly uint[] Sines = BuildSines();

    public static void HashData(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        if (destination.Length < HashSize)
        {
            throw new ArgumentException($"needs {HashSize} bytes", nameof(destination));
        }

        uint a = 0x67452301, b = 0xefcdab89, c = 0x98badcfe, d = 0x10325476;
        var whole = data.Length & ~63;
        for (var offset = 0; offset < whole; offset += 64)
        {
            Block(data.Slice(offset, 64), ref a, ref b, ref c, ref d);
        }

        // The tail, the 0x80 marker and the bit length fill one or two more blocks.
        Span<byte> tail = stackalloc byte[128];
        tail.Clear();
        var rest = data[whole..];
        rest.CopyTo(tail);
        tail[rest.Length] = 0x80;
        var tailLength = rest.Length < 56 ? 64 : 128;
        BinaryPrimitives.WriteUInt64LittleEndian(tail[(tailLength - 8)..], (ulong)data.Length * 8);
        for (var offset = 0; offset < tailLength; offset += 64)
        {
            Block(tail.Slice(offset, 64), ref a, ref b, ref c, ref d);
        }

        BinaryPrimitives.WriteUInt32LittleEndian(destination, a);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[4..], b);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[8..], c);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[12..], d);
    }

    private static void Block(ReadOnlySpan<byte> block, ref uint a0, ref uint b0, ref uint c0, ref uint d0)
    {
        Span<uint> m = stackalloc uint[16];
        for (var i = 0; i < 16; i++)
        {
            m[i] = BinaryPrimitives.ReadUInt32LittleEndian(block[(i * 4)..]);
        }

        // Four rounds of sixteen steps, each round with its own function and message order (no switch per step).
        uint a = a0, b = b0, c = c0, d = d0;
        var k = Sines;
        var s = Shifts;
        for (var i = 0; i < 16; i++)
        {
            Rotate(ref a, ref b, ref c, ref d, ((b & c) | (~b & d)) + k[i] + m[i], s[i]);
        }

        for (var i = 16; i < 32; i++)
        {
            Rotate(ref a, ref b, ref c, ref d, ((d & b) | (~d & c)) + k[i] + m[((5 * i) + 1) & 15], s[i]);
        }

        for (var i = 32; i < 48; i++)
        {
            Rotate(ref a, ref b, ref c, ref d, (b ^ c ^ d) + k[i] + m[((3 * i) + 5) & 15], s[i]);
        }

        for (var i = 48; i < 64; i++)
        {
            Rotate(ref a, ref b, ref c, ref d, (c ^ (b | ~d)) + k[i] + m[(7 * i) & 15], s[i]);
        }

        a0 += a;
        b0 += b;
        c0 += c;
        d0 += d;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Rotate(ref uint a, ref uint b, ref uint c, ref uint d, uint mixed, int shift)
    {
        var f = mixed + a;
        a = d;
        d = c;
        c = b;
        b += BitOperations.RotateLeft(f, shift);
    }

    private static uint[] BuildSines()
    {
        var table = new uint[64];
        for (var i = 0; i < table.Length; i++)
        {
            table[i] = (uint)(long)Math.Floor(Math.Abs(Math.Sin(i + 1)) * 4294967296.0);
        }

        return table;
    }
}
