using System.Security.Cryptography;
using Flowhive.Probe.Engine.Classification.Micro.Crypto;

namespace Flowhive.Probe.Engine.Tests.Classification.Micro.Crypto;

/// <summary>Flowhive's AES-128 and AES-128-GCM (AES instructions, 4-bit GHASH tables) against the platform's.</summary>
public sealed class Aes128GcmTests
{
    [Fact]
    public void Block_encryption_matches_fips_197_appendix_c1_and_the_platform()
    {
        Assert.True(Aes128.IsSupported, "this machine's CPU has AES instructions (CI runs on the same kind)");
        var aes = default(Aes128);
        aes.SetKey(Convert.FromHexString("000102030405060708090a0b0c0d0e0f"));
        var block = new byte[16];
        aes.EncryptBlock(Convert.FromHexString("00112233445566778899aabbccddeeff"), block);
        Assert.Equal("69c4e0d86a7b0430d8cdb78070b4c55a", Convert.ToHexStringLower(block));

        var random = new Random(3);
        using var platform = Aes.Create();
        for (var trial = 0; trial < 500; trial++)
        {
            var key = new byte[16];
            var plain = new byte[16];
            random.NextBytes(key);
            random.NextBytes(plain);
            aes.SetKey(key);
            aes.EncryptBlock(plain, block);
            platform.Key = key;
            Assert.Equal(platform.EncryptEcb(plain, PaddingMode.None), block);
        }
    }

    [Fact]
    public void Gcm_decrypts_and_authenticates_what_the_platform_encrypted()
    {
        var random = new Random(5);
        var gcm = new Aes128Gcm();
        for (var trial = 0; trial < 300; trial++)
        {
            var key = new byte[16];
            var nonce = new byte[12];
            var plain = new byte[random.Next(0, 1300)];
            var associated = new byte[random.Next(0, 60)];
            random.NextBytes(key);
            random.NextBytes(nonce);
            random.NextBytes(plain);
            random.NextBytes(associated);
            var cipher = new byte[plain.Length];
            var tag = new byte[16];
            using (var platform = new AesGcm(key, 16))
            {
                platform.Encrypt(nonce, plain, cipher, tag, associated);
            }

            gcm.SetKey(key);
            Assert.True(gcm.TagMatches(nonce, cipher, tag, associated), $"trial {trial}: a genuine tag is refused");
            var decrypted = new byte[plain.Length];
            gcm.Decrypt(nonce, cipher, decrypted);
            Assert.Equal(plain, decrypted);

            // Any flipped bit in the tag, the ciphertext or the associated data is caught.
            var bad = (byte[])tag.Clone();
            bad[random.Next(16)] ^= (byte)(1 << random.Next(8));
            Assert.False(gcm.TagMatches(nonce, cipher, bad, associated), $"trial {trial}: a forged tag passes");
            if (cipher.Length > 0)
            {
                var tampered = (byte[])cipher.Clone();
                tampered[random.Next(tampered.Length)] ^= (byte)(1 << random.Next(8));
                Assert.False(gcm.TagMatches(nonce, tampered, tag, associated), $"trial {trial}: tampered ciphertext passes");
            }

            if (associated.Length > 0)
            {
                var tampered = (byte[])associated.Clone();
                tampered[random.Next(tampered.Length)] ^= 0x80;
                Assert.False(gcm.TagMatches(nonce, cipher, tag, tampered), $"trial {trial}: tampered header passes");
            }
        }
    }
}
