using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Flowhive.Probe.Engine.Classification.Micro.Crypto;

namespace Flowhive.Probe.Engine.Classification.Micro.Parsers;

/// <summary>
/// Removes the protection of QUIC Initial packets (RFC 9001 section 5: keys from HKDF over the client's
/// destination connection id and the version's salt, AES header protection, AES-128-GCM payload), as any
/// on-path observer can. One per worker: it keeps its ciphers between packets. Keys come from Flowhive's own
/// allocation-free HKDF; on CPUs with AES instructions the ciphers are its own too (<see cref="Aes128Gcm"/>), elsewhere
/// the platform's (OpenSSL), which costs 20-50 µs per attempt, most of it set-up and, for a wrong guess, a thrown exception.
/// </summary>
public sealed class QuicInitialDecryptor : IDisposable
{
    private const int TagLength = 16;
    private const int MaxConnectionIdLength = 20;
    private static readonly byte[] ClientIn = Label("client in");
    private static readonly byte[] ServerIn = Label("server in");
    private static readonly byte[] QuicKey = Label("quic key");
    private static readonly byte[] QuicIv = Label("quic iv");
    private static readonly byte[] QuicHp = Label("quic hp");
    private static readonly byte[] QuicV2Key = Label("quicv2 key");
    private static readonly byte[] QuicV2Iv = Label("quicv2 iv");
    private static readonly byte[] QuicV2Hp = Label("quicv2 hp");

    private readonly Aes? _platformHeaderProtection;
    private readonly Aes128Gcm? _aead;
    private readonly QuicInitialKeyCache _keyCache = new();
    private Aes128 _headerProtection;

    /// <param name="platformCrypto">Use the platform's ciphers even where the CPU has AES instructions (tests cover both paths).</param>
    public QuicInitialDecryptor(bool platformCrypto = false)
    {
        if (platformCrypto || !Aes128.IsSupported)
        {
            _platformHeaderProtection = Aes.Create();
        }
        else
        {
            _aead = new Aes128Gcm();
        }
    }

    public void Dispose() => _platformHeaderProtection?.Dispose();

    /// <summary>
    /// Decrypts the long-header Initial packet at the start of <paramref name="datagram"/> into
    /// <paramref name="plaintext"/>. <paramref name="work"/> receives a copy of the packet (at least its size).
    /// Keys come from <paramref name="keyConnectionId"/> (the client's first destination id, which keeps deciding
    /// the keys after the server picks another id), or from this packet's destination id when it is empty.
    /// Returns the plaintext length, or -1 when the packet is not a decryptable Initial (or the authentication tag
    /// does not verify, which is how a wrong guess is caught). <paramref name="packetLength"/> is the packet's size
    /// inside the datagram (coalesced packets follow it).
    /// </summary>
    public int TryDecrypt(ReadOnlySpan<byte> datagram, bool fromClient, ReadOnlySpan<byte> keyConnectionId, Span<byte> work, Span<byte> plaintext,
        out int packetLength, out uint version)
    {
        packetLength = 0;
        version = 0;
        var r = new SpanReader(datagram);
        if (!r.TryU8(out var first) || (first & 0xC0) != 0xC0 || !r.TryU32(out version) ||
            !QuicVersions.TryGetInitialSalt(version, out var salt) || !QuicVersions.IsInitial(version, first) ||
            !r.TryU8Prefixed(out var dcid) || dcid.Length > MaxConnectionIdLength ||
            !r.TryU8Prefixed(out var scid) || scid.Length > MaxConnectionIdLength ||
            !r.TryVarInt(out var tokenLength) || tokenLength > (ulong)r.Remaining || !r.TrySkip((int)tokenLength) ||
            !r.TryVarInt(out var length) || length > (ulong)r.Remaining || length < 4 + TagLength)
        {
            return -1;
        }

        var pnOffset = r.Position;
        packetLength = pnOffset + (int)length;
        if (packetLength > work.Length || (int)length - 4 - TagLength > plaintext.Length || dcid.IsEmpty)
        {
            return -1;
        }

        var v2 = version == QuicVersions.V2;
        Span<byte> key = stackalloc byte[16];
        Span<byte> iv = stackalloc byte[12];
        Span<byte> hp = stackalloc byte[16];
        var keyId = keyConnectionId.IsEmpty ? dcid : keyConnectionId;
        if (!_keyCache.TryGet(keyId, fromClient, v2, key, iv, hp))
        {
            DeriveKeys(salt, keyId, fromClient, v2, key, iv, hp);
            _keyCache.Add(keyId, fromClient, v2, key, iv, hp);
        }

        var packet = work[..packetLength];
        datagram[..packetLength].CopyTo(packet);

        // Header protection: the mask comes from 16 bytes sampled 4 bytes after the packet number starts.
        Span<byte> mask = stackalloc byte[16];
        if (_platformHeaderProtection is { } platform)
        {
            platform.SetKey(hp);
            if (platform.EncryptEcb(packet.Slice(pnOffset + 4, 16), mask, PaddingMode.None) != 16)
            {
                return -1;
            }
        }
        else
        {
            _headerProtection.SetKey(hp);
            _headerProtection.EncryptBlock(packet.Slice(pnOffset + 4, 16), mask);
        }

        packet[0] ^= (byte)(mask[0] & 0x0F);
        var pnLength = (packet[0] & 0x03) + 1;
        uint packetNumber = 0;
        for (var i = 0; i < pnLength; i++)
        {
            packet[pnOffset + i] ^= mask[1 + i];
            packetNumber = (packetNumber << 8) | packet[pnOffset + i];
        }

        var headerLength = pnOffset + pnLength;
        var ciphertextLength = packetLength - headerLength - TagLength;
        if (ciphertextLength <= 0)
        {
            return -1;
        }

        // The nonce is the IV with the (reconstructed, here: as sent) packet number XORed into its low bytes.
        Span<byte> nonce = stackalloc byte[12];
        iv.CopyTo(nonce);
        var low = BinaryPrimitives.ReadUInt32BigEndian(nonce[8..]) ^ packetNumber;
        BinaryPrimitives.WriteUInt32BigEndian(nonce[8..], low);

        var ciphertext = packet.Slice(headerLength, ciphertextLength);
        var tag = packet.Slice(headerLength + ciphertextLength, TagLength);
        var header = packet[..headerLength];
        return _aead is null
            ? PlatformDecrypt(key, nonce, ciphertext, tag, header, plaintext)
            : ManagedDecrypt(_aead, key, nonce, ciphertext, tag, header, plaintext);
    }

    private static int ManagedDecrypt(Aes128Gcm aead, ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext,
        ReadOnlySpan<byte> tag, ReadOnlySpan<byte> header, Span<byte> plaintext)
    {
        aead.SetKey(key);

        // An Initial may only carry PADDING, PING, ACK, CRYPTO or CONNECTION_CLOSE frames (RFC 9000 section 17.2.2):
        // a first byte that is none of them is a wrong guess, caught without authenticating the whole packet.
        aead.Decrypt(nonce, ciphertext[..1], plaintext[..1]);
        if (plaintext[0] is not (0x00 or 0x01 or 0x02 or 0x03 or 0x06 or 0x1c))
        {
            return -1;
        }

        if (!aead.TagMatches(nonce, ciphertext, tag, header))
        {
            return -1;
        }

        aead.Decrypt(nonce, ciphertext, plaintext);
        return ciphertext.Length;
    }

    private static int PlatformDecrypt(ReadOnlySpan<byte> key, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> ciphertext, ReadOnlySpan<byte> tag,
        ReadOnlySpan<byte> header, Span<byte> plaintext)
    {
        try
        {
            using var aead = new AesGcm(key, TagLength);
            aead.Decrypt(nonce, ciphertext, tag, plaintext[..ciphertext.Length], header);
        }
        catch (CryptographicException)
        {
            return -1;
        }

        return ciphertext.Length;
    }

    private static readonly HmacSha256.PreparedKey PreparedSaltV1 = HmacSha256.Prepare(QuicVersions.InitialSaltV1);

    /// <summary>The client's or server's Initial key, IV and header-protection key (RFC 9001 section 5.2; RFC 9369 labels for v2).</summary>
    public static void DeriveKeys(ReadOnlySpan<byte> salt, ReadOnlySpan<byte> dcid, bool client, bool v2, Span<byte> key, Span<byte> iv, Span<byte> hp)
    {
        Span<byte> initialSecret = stackalloc byte[32];
        if (salt.SequenceEqual(QuicVersions.InitialSaltV1))
        {
            // Nearly every Initial is v1: its salt's padded blocks are hashed once per process, not per packet.
            HmacSha256.HkdfExtract(dcid, PreparedSaltV1, initialSecret);
        }
        else
        {
            HmacSha256.HkdfExtract(dcid, salt, initialSecret);
        }
        Span<byte> secret = stackalloc byte[32];
        ExpandLabel(HmacSha256.Prepare(initialSecret), client ? ClientIn : ServerIn, secret);

        // Three labels from one secret: its padded blocks are hashed once.
        var prepared = HmacSha256.Prepare(secret);
        ExpandLabel(prepared, v2 ? QuicV2Key : QuicKey, key);
        ExpandLabel(prepared, v2 ? QuicV2Iv : QuicIv, iv);
        ExpandLabel(prepared, v2 ? QuicV2Hp : QuicHp, hp);
    }

    /// <summary>HKDF-Expand-Label (RFC 8446 section 7.1) with an empty context; <paramref name="label"/> already carries "tls13 ".</summary>
    private static void ExpandLabel(in HmacSha256.PreparedKey secret, ReadOnlySpan<byte> label, Span<byte> output)
    {
        Span<byte> info = stackalloc byte[2 + 1 + label.Length + 1];
        BinaryPrimitives.WriteUInt16BigEndian(info, (ushort)output.Length);
        info[2] = (byte)label.Length;
        label.CopyTo(info[3..]);
        info[^1] = 0;
        HmacSha256.HkdfExpand(secret, info, output);
    }

    private static byte[] Label(string label) => Encoding.ASCII.GetBytes("tls13 " + label);
}
