using System.Numerics;
using Flowhive.Shared.Net;

namespace Flowhive.Shared.Cluster.Messages;

/// <summary>
/// How many distinct peers a host talked to, estimated in 64 bytes: a HyperLogLog sketch with 64 one-byte registers
/// (ntopng estimates its "contacts" with a HyperLogLog too). Below ~160 peers the estimate comes from the empty
/// registers (linear counting) and is within a few percent; above, its standard error is about 13 %. Sketches merge
/// by taking each register's maximum, so ingest sends a window's sketch and the host entity folds it into its own,
/// whatever node or window saw a peer first. The hash is fixed (not .NET's per-process seeded one), so sketches
/// made on different nodes agree.
/// </summary>
public sealed class PeerSketch
{
    public const int Registers = 64;
    private const int IndexBits = 6;

    private readonly byte[] _registers;

    public PeerSketch(ReadOnlySpan<byte> registers)
    {
        if (registers.Length != Registers)
        {
            throw new ArgumentException($"a peer sketch has {Registers} registers, not {registers.Length}", nameof(registers));
        }

        _registers = registers.ToArray();
    }

    private PeerSketch() => _registers = [];

    /// <summary>No peer: carries no registers on the wire or in memory.</summary>
    public static readonly PeerSketch Empty = new();

    public bool IsEmpty => _registers.Length == 0;

    public ReadOnlySpan<byte> Span => _registers;

    public long Estimate() => IsEmpty ? 0 : Estimate(_registers);

    /// <summary>Records <paramref name="peer"/> in <paramref name="registers"/> (<see cref="Registers"/> bytes); allocates nothing.</summary>
    public static void Add(Span<byte> registers, IpAddr peer)
    {
        var hash = Mix((peer.High * 0x9E37_79B9_7F4A_7C15UL) ^ peer.Low);
        var index = (int)(hash & (Registers - 1));
        var rank = (byte)(BitOperations.LeadingZeroCount(hash >> IndexBits) - IndexBits + 1);
        if (rank > registers[index])
        {
            registers[index] = rank;
        }
    }

    /// <summary>Folds <paramref name="other"/> into <paramref name="registers"/>: the sketch of both sets of peers.</summary>
    public static void Merge(Span<byte> registers, ReadOnlySpan<byte> other)
    {
        for (var i = 0; i < other.Length && i < registers.Length; i++)
        {
            registers[i] = Math.Max(registers[i], other[i]);
        }
    }

    public static long Estimate(ReadOnlySpan<byte> registers)
    {
        double sum = 0;
        var zeros = 0;
        foreach (var register in registers)
        {
            sum += Math.ScaleB(1.0, -register);
            zeros += register == 0 ? 1 : 0;
        }

        const double Alpha = 0.709; // Flajolet et al.'s constant for 64 registers
        var raw = Alpha * Registers * Registers / sum;
        var estimate = raw <= 2.5 * Registers && zeros > 0 ? Registers * Math.Log((double)Registers / zeros) : raw;
        return (long)Math.Round(estimate);
    }

    /// <summary>SplitMix64's finaliser: spreads addresses that differ in a few bits over all 64.</summary>
    private static ulong Mix(ulong x)
    {
        x = (x ^ (x >> 30)) * 0xBF58_476D_1CE4_E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D0_49BB_1331_11EBUL;
        return x ^ (x >> 31);
    }

    public override bool Equals(object? obj) => obj is PeerSketch other && _registers.AsSpan().SequenceEqual(other._registers);

    public override int GetHashCode() => _registers.Length;

    public override string ToString() => IsEmpty ? "no peers" : Convert.ToHexString(_registers);
}
