namespace Flowhive.Probe.Engine.Classification.Micro.Crypto;

/// <summary>HMAC-SHA256 (RFC 2104) over <see cref="Sha256"/>, and the two HKDF steps (RFC 5869) QUIC's Initial keys use.</summary>
public static class HmacSha256
{
    public static void HashData(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, Span<byte> destination) =>
        HashData(key, data, [], destination);

    /// <summary>HMAC of <paramref name="data"/> followed by <paramref name="more"/>, without joining them.</summary>
    public static void HashData(ReadOnlySpan<byte> key, ReadOnlySpan<byte> data, ReadOnlySpan<byte> more, Span<byte> destination)
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
        inner.Append(data);
        inner.Append(more);
        Span<byte> innerHash = stackalloc byte[Sha256.HashSize];
        inner.Finish(innerHash);

        for (var i = 0; i < block.Length; i++)
        {
            block[i] ^= 0x36 ^ 0x5c;
        }

        var outer = Sha256.Create();
        outer.Append(block);
        outer.Append(innerHash);
        outer.Finish(destination);
    }

    /// <summary>HKDF-Extract: the pseudorandom key from <paramref name="salt"/> and the input keying material.</summary>
    public static void HkdfExtract(ReadOnlySpan<byte> inputKeyMaterial, ReadOnlySpan<byte> salt, Span<byte> pseudorandomKey) =>
        HashData(salt, inputKeyMaterial, pseudorandomKey);

    /// <summary>HKDF-Expand for outputs of at most one hash (32 bytes), all QUIC's Initial secrets need: T(1) = HMAC(PRK, info | 0x01).</summary>
    public static void HkdfExpand(ReadOnlySpan<byte> pseudorandomKey, ReadOnlySpan<byte> info, Span<byte> output)
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
}
