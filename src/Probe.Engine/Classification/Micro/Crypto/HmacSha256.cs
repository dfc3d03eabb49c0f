namespace Flowhive.Probe.Engine.Classification.Micro.Crypto;

/// <summary>HMAC-SHA256 (RFC 2104) over <see cref="Sha256"/>, and the two HKDF steps (RFC 5869) QUIC's Initial keys use.</summary>
public static class HmacSha256
{
    public static void HashData(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, Span<byte> destination) =>
        HashData(key, data, [], destination);

    /// <summary>HMAC of <paramref name="data"/> followed by <paramref name="more"/>, without joining them.</summary>
    public static void HashData(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, ReadOnlySpan<byte> more, Span<byte> destination) =>
        HashData(Prepare(key), data, more, destination);

    /// <summary>HMAC under a key whose padded blocks are already hashed (two compressions for a short message, not four).</summary>
    public static void HashData(in PreparedKey key, ReadOnlySpan<byte> data, ReadOnlySpan<byte> more, Span<byte> destination)
    {
        var inner = key.Inner;
        inner.Append(data);
        inner.Append(more);
        Span<byte> innerHash = stackalloc byte[Sha256.HashSize];
        inner.Finish(innerHash);

        var outer = key.Outer;
        outer.Append(innerHash);
        outer.Finish(destination);
    }

    /// <summary>Hashes the key's inner and outer padded blocks once, for several MACs under the same key.</summary>
    public static PreparedKey Prepare(ReadOnlySpan<byte> key)
    {
        Span<byte> block = stackalloc byte[Sha256.BlockSize];
        block.Clear();
        if (key.Length > Sha256.BlockSize)
        {
            Sha256.HashData(key, block);
        }
        else
        {
            key.CopyTo(block);
        }

        for (var i = 0; i < block.Length; i++)
        {
            block[i] ^= 0x36;
        }

        var inner = Sha256.Create();
        inner.Append(block);

        for (var i = 0; i < block.Length; i++)
        {
            block[i] ^= 0x36 ^ 0x5c;
        }

        var outer = Sha256.Create();
        outer.Append(block);
        return new PreparedKey(inner, outer);
    }

    /// <summary>HKDF-Extract: the pseudorandom key from <paramref name="salt"/> and the input keying material.</summary>
    public static void HkdfExtract(ReadOnlySpan<byte> inputKeyMaterial, ReadOnlySpan<byte> salt, Span<byte> pseudorandomKey) =>
        HashData(salt, inputKeyMaterial, pseudorandomKey);

    /// <summary>HKDF-Extract under a prepared salt (a protocol constant, prepared once).</summary>
    public static void HkdfExtract(ReadOnlySpan<byte> inputKeyMaterial, in PreparedKey salt, Span<byte> pseudorandomKey) =>
        HashData(salt, inputKeyMaterial, [], pseudorandomKey);

    /// <summary>HKDF-Expand for outputs of at most one hash (32 bytes), all QUIC's Initial secrets need: T(1) = HMAC(PRK, info | 0x01).</summary>
    public static void HkdfExpand(ReadOnlySpan<byte> pseudorandomKey, ReadOnlySpan<byte> info, Span<byte> output) =>
        HkdfExpand(Prepare(pseudorandomKey), info, output);

    /// <summary>HKDF-Expand under a prepared pseudorandom key (several labels expanded from one secret).</summary>
    public static void HkdfExpand(in PreparedKey pseudorandomKey, ReadOnlySpan<byte> info, Span<byte> output)
    {
        if (output.Length > Sha256.HashSize)
        {
            throw new ArgumentException($"at most {Sha256.HashSize} bytes", nameof(output));
        }

        ReadOnlySpan<byte> counter = [1];
        Span<byte> block = stackalloc byte[Sha256.HashSize];
        HashData(pseudorandomKey, info, counter, block);
        block[..output.Length].CopyTo(output);
    }

    /// <summary>An HMAC key as the hash states after its inner and outer padded blocks (a value: copies are independent).</summary>
    public readonly struct PreparedKey
    {
        internal PreparedKey(Sha256 inner, Sha256 outer)
        {
            Inner = inner;
            Outer = outer;
        }

        internal Sha256 Inner { get; }

        internal Sha256 Outer { get; }
    }
}
