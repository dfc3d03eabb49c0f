using Flowhive.Probe.Engine.Classification.Micro.Parsers;
using Flowhive.Tools.SampleCapture.Protocols;

namespace Flowhive.Probe.Engine.Tests.Classification.Micro.Crypto;

/// <summary>
/// QUIC Initial decryption with Flowhive's ciphers and with the platform's (the path for CPUs without AES
/// instructions) on Initials protected by the sample generator (RFC 9001 keys through the platform's AES-GCM):
/// both recover the same ClientHello, both refuse wrong keys and tampered packets, and repeated Initials of one
/// connection id (served from the key cache) decrypt as the first did.
/// </summary>
public sealed class QuicInitialDecryptorTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Client_initials_decrypt_to_their_crypto_frame_and_wrong_guesses_are_refused(bool platformCrypto)
    {
        var random = new Random(9001);
        using var decryptor = new QuicInitialDecryptor(platformCrypto);
        var work = new byte[2048];
        var plaintext = new byte[2048];
        for (var trial = 0; trial < 40; trial++)
        {
            var dcid = new byte[random.Next(1, 21)];
            var scid = new byte[random.Next(0, 21)];
            random.NextBytes(dcid);
            random.NextBytes(scid);
            var hello = Tls.ClientHello(random, [], $"host{trial}.example.org", ["h3"], Quic.TransportParameters(scid));
            var datagram = Quic.ClientInitial(dcid, scid, hello, packetNumber: (ulong)trial);

            for (var repeat = 0; repeat < 2; repeat++)
            {
                var length = decryptor.TryDecrypt(datagram, fromClient: true, [], work, plaintext, out var packetLength, out var version);
                Assert.True(length > hello.Length, $"trial {trial}, attempt {repeat}: not decrypted ({length})");
                Assert.Equal(1u, version);
                Assert.Equal(datagram.Length, packetLength);
                Assert.Equal(0x06, plaintext[0]); // the CRYPTO frame that carries the ClientHello
                Assert.True(plaintext.AsSpan(0, length).IndexOf(hello) > 0, $"trial {trial}: the ClientHello is not in the plaintext");
            }

            // The server's keys (a wrong direction), another connection id, or one flipped bit: refused, no exception.
            Assert.Equal(-1, decryptor.TryDecrypt(datagram, fromClient: false, [], work, plaintext, out _, out _));
            var otherId = (byte[])dcid.Clone();
            otherId[0] ^= 1;
            Assert.Equal(-1, decryptor.TryDecrypt(datagram, fromClient: true, otherId, work, plaintext, out _, out _));
            var tampered = (byte[])datagram.Clone();
            tampered[random.Next(datagram.Length - 40, datagram.Length)] ^= 0x10;
            Assert.Equal(-1, decryptor.TryDecrypt(tampered, fromClient: true, [], work, plaintext, out _, out _));
        }
    }

    [Fact]
    public void Random_long_header_datagrams_are_refused_by_both_paths_alike()
    {
        var random = new Random(12);
        using var ours = new QuicInitialDecryptor(platformCrypto: false);
        using var platform = new QuicInitialDecryptor(platformCrypto: true);
        var work = new byte[2048];
        var plaintext = new byte[2048];
        for (var trial = 0; trial < 2000; trial++)
        {
            var datagram = new byte[random.Next(20, 1400)];
            random.NextBytes(datagram);
            datagram[0] = (byte)(0xC0 | (datagram[0] & 0x0F)); // long header, Initial type
            datagram[1] = 0;
            datagram[2] = 0;
            datagram[3] = 0;
            datagram[4] = 1; // QUIC v1
            datagram[5] = (byte)random.Next(0, 21);
            var a = ours.TryDecrypt(datagram, true, [], work, plaintext, out var lengthA, out _);
            var b = platform.TryDecrypt(datagram, true, [], work, plaintext, out var lengthB, out _);
            Assert.Equal(-1, a);
            Assert.Equal(-1, b);
            Assert.Equal(lengthA, lengthB);
        }
    }
}
