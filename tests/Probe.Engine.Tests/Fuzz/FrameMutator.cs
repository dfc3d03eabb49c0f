using System.Buffers.Binary;

namespace Flowhive.Probe.Engine.Tests.Fuzz;

/// <summary>
/// Seeded mutations of valid frames: bit flips, random bytes, interesting 16-bit values (ethertypes, lengths,
/// zero, all ones), truncation, extension with junk, byte insertion/deletion and splices of two frames.
/// Writes into a caller-owned buffer so a million mutations allocate nothing.
/// </summary>
public sealed class FrameMutator(IReadOnlyList<byte[]> corpus, int seed)
{
    public const int MaxFrame = 2048;

    private static readonly ushort[] Interesting =
    [
        0x0000, 0xFFFF, 0x0001, 0x7FFF, 0x8000, 0x0800, 0x86DD, 0x8100, 0x88A8, 0x8847, 0x8864, 0x6558,
        0x0021, 0x0057, 0x0005, 0x4500, 0x6000, 0x12B5, 0x0868, 0x0014, 0x0028, 0x05DC, 0xFFFE,
    ];

    private readonly Random _random = new(seed);

    /// <summary>Fills <paramref name="buffer"/> with a mutated frame; returns its length and the corpus index it came from.</summary>
    public int Next(byte[] buffer, out int source)
    {
        source = _random.Next(corpus.Count);
        var length = corpus[source].Length;
        corpus[source].CopyTo(buffer, 0);
        var mutations = 1 + _random.Next(4);
        for (var m = 0; m < mutations; m++)
        {
            length = Mutate(buffer, length);
        }

        return length;
    }

    private int Mutate(byte[] b, int length)
    {
        switch (_random.Next(9))
        {
            case 0 when length > 0:
                b[_random.Next(length)] ^= (byte)(1 << _random.Next(8));
                return length;
            case 1 when length > 0:
                b[_random.Next(length)] = (byte)_random.Next(256);
                return length;
            case 2 when length > 1:
                BinaryPrimitives.WriteUInt16BigEndian(b.AsSpan(_random.Next(length - 1)), Interesting[_random.Next(Interesting.Length)]);
                return length;
            case 3:
                return _random.Next(length + 1);
            case 4:
                {
                    var extra = Math.Min(_random.Next(1, 64), MaxFrame - length);
                    _random.NextBytes(b.AsSpan(length, extra));
                    return length + extra;
                }

            case 5 when length > 0 && length < MaxFrame:
                {
                    var at = _random.Next(length);
                    b.AsSpan(at, length - at).CopyTo(b.AsSpan(at + 1));
                    b[at] = (byte)_random.Next(256);
                    return length + 1;
                }

            case 6 when length > 0:
                {
                    var at = _random.Next(length);
                    b.AsSpan(at + 1, length - at - 1).CopyTo(b.AsSpan(at));
                    return length - 1;
                }

            case 7:
                {
                    // Splice: keep a prefix of this frame, continue with the tail of another one.
                    var other = corpus[_random.Next(corpus.Count)];
                    var keep = _random.Next(length + 1);
                    var from = _random.Next(other.Length + 1);
                    var take = Math.Min(other.Length - from, MaxFrame - keep);
                    other.AsSpan(from, take).CopyTo(b.AsSpan(keep));
                    return keep + take;
                }

            default:
                return length;
        }
    }
}
