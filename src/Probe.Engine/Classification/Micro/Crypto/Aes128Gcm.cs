using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Security.Cryptography;

namespace Flowhive.Probe.Engine.Classification.Micro.Crypto;

/// <summary>
/// AES-128-GCM decryption (NIST SP 800-38D) with 12-byte nonces, split in two so that a caller can look at the
/// first plaintext block before paying for authentication: QUIC Initial decryption rejects most wrong guesses by
/// the first frame type and verifies the tag only for plausible ones. GHASH uses Shoup's 4-bit tables (16 entries
/// per key), built when the key is set. The platform's AesGcm allocates an OpenSSL context per key and throws on a
/// tag mismatch: about 18 µs per failed attempt on this machine. Needs <see cref="Aes128.IsSupported"/>.
/// </summary>
public sealed class Aes128Gcm
{
    public const int NonceSize = 12;
    public const int TagSize = 16;

    /// <summary>The reduction of the four bits shifted out, for each value of them (GCM's polynomial, reflected).</summary>
    private static readonly ulong[] Last4 =
    [
        0x0000, 0x1c20, 0x3840, 0x2460, 0x7080, 0x6ca0, 0x48c0, 0x54e0,
        0xe100, 0xfd20, 0xd940, 0xc560, 0x9180, 0x8da0, 0xa9c0, 0xb5e0,
    ];

    private readonly ulong[] _tableHigh = new ulong[16];
    private readonly ulong[] _tableLow = new ulong[16];
    private Aes128 _aes;

    public void SetKey(ReadOnlySpan<byte> key)
    {
        _aes.SetKey(key);
        Span<byte> h = stackalloc byte[16];
        _aes.Encrypt(Vector128<byte>.Zero).CopyTo(h);
        BuildTables(h);
    }

    /// <summary>CTR-mode decryption of <paramref name="ciphertext"/> (or a prefix of it) into <paramref name="plaintext"/>, unauthenticated.</summary>
    public void Decrypt(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, Span<byte> plaintext)
    {
        Span<byte> counter = stackalloc byte[16];
        nonce[..NonceSize].CopyTo(counter);
        Span<byte> keystream = stackalloc byte[16];
        for (var offset = 0; offset < ciphertext.Length; offset += 16)
        {
            BinaryPrimitives.WriteUInt32BigEndian(counter[NonceSize..], (uint)((offset / 16) + 2)); // counter 1 masks the tag
            _aes.Encrypt(Vector128.Create((ReadOnlySpan<byte>)counter)).CopyTo(keystream);
            var length = Math.Min(16, ciphertext.Length - offset);
            for (var i = 0; i < length; i++)
            {
                plaintext[offset + i] = (byte)(ciphertext[offset + i] ^ keystream[i]);
            }
        }
    }

    /// <summary>True when <paramref name="tag"/> authenticates <paramref name="associatedData"/> and <paramref name="ciphertext"/> under this key and nonce.</summary>
    public bool TagMatches(ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> tag, ReadOnlySpan<byte> associatedData)
    {
        Span<byte> y = stackalloc byte[16];
        y.Clear();
        Absorb(y, associatedData);
        Absorb(y, ciphertext);
        Span<byte> lengths = stackalloc byte[16];
        BinaryPrimitives.WriteUInt64BigEndian(lengths, (ulong)associatedData.Length * 8);
        BinaryPrimitives.WriteUInt64BigEndian(lengths[8..], (ulong)ciphertext.Length * 8);
        Absorb(y, lengths);

        Span<byte> counter = stackalloc byte[16];
        nonce[..NonceSize].CopyTo(counter);
        BinaryPrimitives.WriteUInt32BigEndian(counter[NonceSize..], 1);
        Span<byte> mask = stackalloc byte[16];
        _aes.Encrypt(Vector128.Create((ReadOnlySpan<byte>)counter)).CopyTo(mask);
        for (var i = 0; i < 16; i++)
        {
            y[i] ^= mask[i];
        }

        return tag.Length == TagSize && CryptographicOperations.FixedTimeEquals(y, tag);
    }

    /// <summary>GHASH over <paramref name="data"/>, zero-padded to whole blocks.</summary>
    private void Absorb(Span<byte> y, ReadOnlySpan<byte> data)
    {
        for (var offset = 0; offset < data.Length; offset += 16)
        {
            var length = Math.Min(16, data.Length - offset);
            for (var i = 0; i < length; i++)
            {
                y[i] ^= data[offset + i];
            }

            MultiplyByH(y);
        }
    }

    private void BuildTables(ReadOnlySpan<byte> h)
    {
        var high = BinaryPrimitives.ReadUInt64BigEndian(h);
        var low = BinaryPrimitives.ReadUInt64BigEndian(h[8..]);
        _tableHigh[0] = 0;
        _tableLow[0] = 0;
        _tableHigh[8] = high;
        _tableLow[8] = low;
        for (var i = 4; i > 0; i >>= 1)
        {
            var carry = (low & 1) * 0xe1000000UL;
            low = (high << 63) | (low >> 1);
            high = (high >> 1) ^ (carry << 32);
            _tableHigh[i] = high;
            _tableLow[i] = low;
        }

        for (var i = 2; i <= 8; i *= 2)
        {
            high = _tableHigh[i];
            low = _tableLow[i];
            for (var j = 1; j < i; j++)
            {
                _tableHigh[i + j] = high ^ _tableHigh[j];
                _tableLow[i + j] = low ^ _tableLow[j];
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void MultiplyByH(Span<byte> x)
    {
        var th = _tableHigh;
        var tl = _tableLow;
        var nibble = x[15] & 0xf;
        var zh = th[nibble];
        var zl = tl[nibble];
        for (var i = 15; i >= 0; i--)
        {
            var lo = x[i] & 0xf;
            var hi = x[i] >> 4;
            ulong rem;
            if (i != 15)
            {
                rem = zl & 0xf;
                zl = (zh << 60) | (zl >> 4);
                zh = (zh >> 4) ^ (Last4[rem] << 48) ^ th[lo];
                zl ^= tl[lo];
            }

            rem = zl & 0xf;
            zl = (zh << 60) | (zl >> 4);
            zh = (zh >> 4) ^ (Last4[rem] << 48) ^ th[hi];
            zl ^= tl[hi];
        }

        BinaryPrimitives.WriteUInt64BigEndian(x, zh);
        BinaryPrimitives.WriteUInt64BigEndian(x[8..], zl);
    }
}
