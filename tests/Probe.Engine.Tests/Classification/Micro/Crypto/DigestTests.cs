using System.Security.Cryptography;
using System.Text;
using Flowhive.Probe.Engine.Classification.Micro.Crypto;

namespace Flowhive.Probe.Engine.Tests.Classification.Micro.Crypto;

/// <summary>
/// Flowhive's own MD5, SHA-256, HMAC and HKDF against the platform's (OpenSSL) on every length across the block
/// boundaries and on random inputs, plus the published test vectors.
/// </summary>
public sealed class DigestTests
{
    [Theory]
    [InlineData("md5", "", "d41d8cd98f00b204e9800998ecf8427e")]
    [InlineData("md5", "abc", "900150983cd24fb0d6963f7d28e17f72")]
    [InlineData("md5", "12345678901234567890123456789012345678901234567890123456789012345678901234567890", "57edf4a22be3c955ac49da2e2107b67a")]
    [InlineData("sha256", "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("sha256", "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [InlineData("sha256", "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")]
    public void Digests_match_the_published_vectors_of_rfc_1321_and_fips_180(string algorithm, string text, string expected)
    {
        var hash = new byte[algorithm == "md5" ? Md5.HashSize : Sha256.HashSize];
        if (algorithm == "md5")
        {
            Md5.HashData(Encoding.ASCII.GetBytes(text), hash);
        }
        else
        {
            Sha256.HashData(Encoding.ASCII.GetBytes(text), hash);
        }

        Assert.Equal(expected, Convert.ToHexStringLower(hash));
    }

    [Fact]
    public void Digests_match_the_platform_for_every_length_up_to_300_bytes()
    {
        var random = new Random(20261123);
        Span<byte> ours = stackalloc byte[32];
        Span<byte> theirs = stackalloc byte[32];
        for (var length = 0; length <= 300; length++)
        {
            var data = new byte[length];
            random.NextBytes(data);

            Md5.HashData(data, ours);
#pragma warning disable CA5351 // the reference for a fingerprint digest
            MD5.HashData(data, theirs);
#pragma warning restore CA5351
            Assert.True(ours[..16].SequenceEqual(theirs[..16]), $"MD5 differs at length {length}");

            Sha256.HashData(data, ours);
            SHA256.HashData(data, theirs);
            Assert.True(ours.SequenceEqual(theirs), $"SHA-256 differs at length {length}");
        }
    }

    [Fact]
    public void Incremental_sha256_in_uneven_pieces_equals_the_one_shot_hash()
    {
        var random = new Random(7);
        var data = new byte[1000];
        random.NextBytes(data);
        Span<byte> expected = stackalloc byte[32];
        SHA256.HashData(data, expected);
        for (var trial = 0; trial < 200; trial++)
        {
            var hash = Sha256.Create();
            var offset = 0;
            while (offset < data.Length)
            {
                var piece = Math.Min(random.Next(0, 130), data.Length - offset);
                hash.Append(data.AsSpan(offset, piece));
                offset += piece;
            }

            var actual = new byte[32];
            hash.Finish(actual);
            Assert.True(actual.SequenceEqual(expected), $"trial {trial}");
        }
    }

    [Fact]
    public void Hmac_and_hkdf_match_the_platform_for_short_and_long_keys()
    {
        var random = new Random(11);
        Span<byte> ours = stackalloc byte[32];
        Span<byte> theirs = stackalloc byte[32];
        foreach (var keyLength in new[] { 0, 1, 8, 20, 32, 63, 64, 65, 100, 200 })
        {
            var key = new byte[keyLength];
            var data = new byte[random.Next(0, 200)];
            random.NextBytes(key);
            random.NextBytes(data);

            HmacSha256.HashData(key, data, ours);
            HMACSHA256.HashData(key, data, theirs);
            Assert.True(ours.SequenceEqual(theirs), $"HMAC differs with a {keyLength}-byte key");

            HmacSha256.HkdfExtract(data, key, ours);
            HKDF.Extract(HashAlgorithmName.SHA256, data, key, theirs);
            Assert.True(ours.SequenceEqual(theirs), $"HKDF-Extract differs with a {keyLength}-byte salt");

            foreach (var outputLength in new[] { 12, 16, 32 })
            {
                HmacSha256.HkdfExpand(theirs, data.AsSpan(0, Math.Min(data.Length, 40)), ours[..outputLength]);
                var expected = new byte[outputLength];
                HKDF.Expand(HashAlgorithmName.SHA256, theirs, expected, data.AsSpan(0, Math.Min(data.Length, 40)));
                Assert.True(ours[..outputLength].SequenceEqual(expected), $"HKDF-Expand differs for {outputLength} bytes");
            }
        }
    }

    [Fact]
    public void A_prepared_key_serves_several_macs_each_equal_to_the_platform()
    {
        var random = new Random(12);
        Span<byte> ours = stackalloc byte[32];
        Span<byte> theirs = stackalloc byte[32];
        foreach (var keyLength in new[] { 0, 20, 64, 100 })
        {
            var key = new byte[keyLength];
            random.NextBytes(key);
            var prepared = HmacSha256.Prepare(key);

            // The prepared state is copied per MAC: an earlier MAC must not leak into a later one.
            for (var message = 0; message < 3; message++)
            {
                var data = new byte[random.Next(0, 150)];
                random.NextBytes(data);
                HmacSha256.HashData(prepared, data, [], ours);
                HMACSHA256.HashData(key, data, theirs);
                Assert.True(ours.SequenceEqual(theirs), $"prepared HMAC differs with a {keyLength}-byte key, message {message}");
            }
        }
    }

    [Fact]
    public void Hkdf_expand_refuses_more_than_one_hash_of_output()
    {
        var output = new byte[33];
        Assert.Throws<ArgumentException>(() => HmacSha256.HkdfExpand(new byte[32], [], output));
    }
}
