using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using X86Aes = System.Runtime.Intrinsics.X86.Aes;

namespace Flowhive.Probe.Engine.Classification.Micro.Crypto;

/// <summary>
/// AES-128 encryption of single blocks with the CPU's AES instructions (AES-NI), for QUIC Initial header
/// protection and GCM. Setting a key costs ten instructions and allocates nothing, where the platform's Aes
/// object goes through OpenSSL (about 6 µs per key and block on this machine). Only usable when
/// <see cref="IsSupported"/>; callers keep the platform's implementation for other CPUs.
/// </summary>
public struct Aes128
{
    public const int KeySize = 16;
    public const int BlockSize = 16;

    private RoundKeys _roundKeys;

    public static bool IsSupported => X86Aes.IsSupported && Sse2.IsSupported;

    public void SetKey(ReadOnlySpan<byte> key)
    {
        if (key.Length != KeySize)
        {
            throw new ArgumentException($"AES-128 needs a {KeySize}-byte key", nameof(key));
        }

        if (!IsSupported)
        {
            throw new PlatformNotSupportedException("this CPU has no AES instructions");
        }

        // The key schedule's round constants must be immediates of AESKEYGENASSIST, hence the unrolled steps.
        var k = Vector128.Create(key);
        _roundKeys[0] = k;
        _roundKeys[1] = k = Step(k, X86Aes.KeygenAssist(k, 0x01));
        _roundKeys[2] = k = Step(k, X86Aes.KeygenAssist(k, 0x02));
        _roundKeys[3] = k = Step(k, X86Aes.KeygenAssist(k, 0x04));
        _roundKeys[4] = k = Step(k, X86Aes.KeygenAssist(k, 0x08));
        _roundKeys[5] = k = Step(k, X86Aes.KeygenAssist(k, 0x10));
        _roundKeys[6] = k = Step(k, X86Aes.KeygenAssist(k, 0x20));
        _roundKeys[7] = k = Step(k, X86Aes.KeygenAssist(k, 0x40));
        _roundKeys[8] = k = Step(k, X86Aes.KeygenAssist(k, 0x80));
        _roundKeys[9] = k = Step(k, X86Aes.KeygenAssist(k, 0x1B));
        _roundKeys[10] = Step(k, X86Aes.KeygenAssist(k, 0x36));
    }

    public readonly Vector128<byte> Encrypt(Vector128<byte> block)
    {
        var state = Sse2.Xor(block, _roundKeys[0]);
        for (var round = 1; round < 10; round++)
        {
            state = X86Aes.Encrypt(state, _roundKeys[round]);
        }

        return X86Aes.EncryptLast(state, _roundKeys[10]);
    }

    public readonly void EncryptBlock(ReadOnlySpan<byte> source, Span<byte> destination) =>
        Encrypt(Vector128.Create(source[..BlockSize])).CopyTo(destination);

    private static Vector128<byte> Step(Vector128<byte> key, Vector128<byte> assist)
    {
        // Each word of the next round key is the XOR of all earlier words of this one and the assisted last word.
        assist = Sse2.Shuffle(assist.AsUInt32(), 0xFF).AsByte();
        key = Sse2.Xor(key, Sse2.ShiftLeftLogical128BitLane(key, 4));
        key = Sse2.Xor(key, Sse2.ShiftLeftLogical128BitLane(key, 4));
        key = Sse2.Xor(key, Sse2.ShiftLeftLogical128BitLane(key, 4));
        return Sse2.Xor(key, assist);
    }

    [InlineArray(11)]
    private struct RoundKeys
    {
        private Vector128<byte> _element;
    }
}
