namespace Flowhive.Probe.Engine.Tests.Classification.Fuzz;

/// <summary>
/// A seeded byte mutator in the style of AFL's havoc stage: bit flips, random bytes, "interesting" values written
/// over 1, 2 and 4-byte fields (0, 0x7F, 0x80, 0xFF, 0xFFFF: the length fields parsers trust), block deletes,
/// duplicates and truncations. The same seed gives the same inputs, so a failure can be replayed.
/// </summary>
public sealed class Mutator(int seed)
{
    /// <summary>Mutated inputs grow by at most this much over their seed.</summary>
    public const int MaxGrowth = 256;

    private static readonly byte[] InterestingBytes = [0x00, 0x01, 0x7F, 0x80, 0xFF, 0x20, 0x40, 0x10];
    private static readonly ushort[] InterestingShorts = [0x0000, 0x0001, 0x007F, 0x0080, 0x00FF, 0x0100, 0x7FFF, 0x8000, 0xFFFF, 0x4000];
    private readonly Random _random = new(seed);

    public Random Random => _random;

    /// <summary>Writes a mutation of <paramref name="input"/> into <paramref name="output"/> (at least input.Length + MaxGrowth long); returns its length.</summary>
    public int Mutate(ReadOnlySpan<byte> input, Span<byte> output)
    {
        input.CopyTo(output);
        var length = input.Length;
        var rounds = 1 << _random.Next(4); // 1, 2, 4 or 8 stacked mutations
        for (var r = 0; r < rounds; r++)
        {
            length = MutateOnce(output, length, input.Length + MaxGrowth);
        }

        return length;
    }

    private int MutateOnce(Span<byte> buffer, int length, int limit)
    {
        if (length == 0)
        {
            buffer[0] = (byte)_random.Next(256);
            return 1;
        }

        var at = _random.Next(length);
        switch (_random.Next(10))
        {
            case 0:
                buffer[at] ^= (byte)(1 << _random.Next(8));
                return length;
            case 1:
                buffer[at] = (byte)_random.Next(256);
                return length;
            case 2:
                buffer[at] = InterestingBytes[_random.Next(InterestingBytes.Length)];
                return length;
            case 3:
                if (at + 2 <= length)
                {
                    var v = InterestingShorts[_random.Next(InterestingShorts.Length)];
                    buffer[at] = (byte)(v >> 8);
                    buffer[at + 1] = (byte)v;
                }

                return length;
            case 4:
                if (at + 4 <= length)
                {
                    var v = _random.Next(2) == 0 ? uint.MaxValue : (uint)_random.Next();
                    buffer[at] = (byte)(v >> 24);
                    buffer[at + 1] = (byte)(v >> 16);
                    buffer[at + 2] = (byte)(v >> 8);
                    buffer[at + 3] = (byte)v;
                }

                return length;
            case 5:
                buffer[at] = (byte)(buffer[at] + _random.Next(-16, 17));
                return length;
            case 6:
                {
                    // Delete a block.
                    var count = Math.Min(1 + _random.Next(16), length - at);
                    buffer[(at + count)..length].CopyTo(buffer[at..]);
                    return length - count;
                }

            case 7:
                {
                    // Duplicate a block in place (grows the input, up to the limit).
                    var count = Math.Min(Math.Min(1 + _random.Next(32), length - at), limit - length);
                    if (count <= 0)
                    {
                        return length;
                    }

                    buffer[at..length].CopyTo(buffer[(at + count)..]);
                    return length + count;
                }

            case 8:
                return at; // truncate
            default:
                {
                    // Overwrite a run with one random byte value.
                    var count = Math.Min(1 + _random.Next(8), length - at);
                    buffer.Slice(at, count).Fill((byte)_random.Next(256));
                    return length;
                }
        }
    }
}
