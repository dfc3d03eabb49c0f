namespace Flowhive.Tools.SampleCapture.Protocols;

/// <summary>
/// TLS 1.2/1.3 handshake messages (RFC 5246, RFC 8446) with the fields DPI engines read: SNI, ALPN,
/// supported versions, cipher suites, certificates. Key material is random: nothing here can be decrypted,
/// and encrypted records are random bytes of realistic sizes.
/// </summary>
internal static class Tls
{
    public const byte ChangeCipherSpecType = 20;
    public const byte AlertType = 21;
    public const byte HandshakeType = 22;
    public const byte ApplicationDataType = 23;
    public const ushort Aes128GcmSha256 = 0x1301;
    public const ushort EcdheRsaAes128GcmSha256 = 0xC02F;

    private static readonly ushort[] CipherSuites =
        [0x1301, 0x1303, 0x1302, 0xC02B, 0xC02F, 0xCCA9, 0xCCA8, 0xC02C, 0xC030, 0xC013, 0xC014, 0x009C, 0x009D, 0x002F, 0x0035];

    private static readonly ushort[] SignatureAlgorithms = [0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601];

    /// <summary>A record of <paramref name="type"/> around <paramref name="fragment"/>.</summary>
    public static byte[] Record(byte type, ReadOnlySpan<byte> fragment, ushort version = 0x0303)
    {
        var w = new ByteWriter().U8(type).U16(version).U16(fragment.Length).Bytes(fragment);
        return w.ToArray();
    }

    /// <summary>
    /// A browser-like ClientHello handshake message offering TLS 1.3 and 1.2, with SNI and ALPN. For QUIC
    /// (<paramref name="quicTransportParameters"/> set) it offers TLS 1.3 only and has no session id, as RFC 9001 requires.
    /// </summary>
    public static byte[] ClientHello(Random random, ReadOnlySpan<byte> sessionId, string serverName, string[] alpn, byte[]? quicTransportParameters = null)
    {
        var quic = quicTransportParameters is not null;
        var session = sessionId.ToArray();
        return Handshake(1, w =>
        {
            w.U16(0x0303).Random(random, 32);
            w.Block8(s => s.Bytes(session)); // legacy session id (32 random bytes for middlebox compatibility; empty in QUIC)
            w.Block16(s =>
            {
                foreach (var suite in quic ? CipherSuites[..3] : CipherSuites)
                {
                    s.U16(suite);
                }
            });
            w.Block8(s => s.U8(0)); // null compression
            w.Block16(e =>
            {
                Extension(e, 0x0000, x => x.Block16(list => list.U8(0).Block16(n => n.Ascii(serverName))));
                Extension(e, 0x0017, _ => { }); // extended master secret
                Extension(e, 0xFF01, x => x.U8(0)); // renegotiation info
                Extension(e, 0x000A, x => x.Block16(g => g.U16(0x001D).U16(0x0017).U16(0x0018))); // x25519, P-256, P-384
                Extension(e, 0x000B, x => x.Block8(f => f.U8(0))); // uncompressed points
                Extension(e, 0x0023, _ => { }); // session ticket
                Extension(e, 0x0010, x => x.Block16(list =>
                {
                    foreach (var protocol in alpn)
                    {
                        list.Block8(p => p.Ascii(protocol));
                    }
                }));
                Extension(e, 0x0005, x => x.U8(1).U16(0).U16(0)); // OCSP status request
                Extension(e, 0x000D, x => x.Block16(a =>
                {
                    foreach (var algorithm in SignatureAlgorithms)
                    {
                        a.U16(algorithm);
                    }
                }));
                Extension(e, 0x0033, x => x.Block16(k => k.U16(0x001D).Block16(key => key.Random(random, 32)))); // key share
                Extension(e, 0x002D, x => x.Block8(m => m.U8(1))); // psk_dhe_ke
                Extension(e, 0x002B, x => x.Block8(v =>
                {
                    v.U16(0x0304);
                    if (!quic)
                    {
                        v.U16(0x0303);
                    }
                }));
                if (quicTransportParameters is not null)
                {
                    Extension(e, 0x0039, x => x.Bytes(quicTransportParameters));
                }
            });
        });
    }

    /// <summary>
    /// ServerHello. For TLS 1.3 the version lives in supported_versions and the key share is answered; for
    /// TLS 1.2 the negotiated ALPN protocol is in the clear here.
    /// </summary>
    public static byte[] ServerHello(Random random, ReadOnlySpan<byte> sessionId, bool tls13, string? alpn)
    {
        var echoed = sessionId.ToArray();
        return Handshake(2, w =>
        {
            w.U16(0x0303).Random(random, 32);
            w.Block8(s => s.Bytes(echoed));
            w.U16(tls13 ? Aes128GcmSha256 : EcdheRsaAes128GcmSha256);
            w.U8(0);
            w.Block16(e =>
            {
                if (tls13)
                {
                    Extension(e, 0x002B, x => x.U16(0x0304));
                    Extension(e, 0x0033, x => x.U16(0x001D).Block16(key => key.Random(random, 32)));
                }
                else
                {
                    Extension(e, 0xFF01, x => x.U8(0));
                    Extension(e, 0x000B, x => x.Block8(f => f.U8(0)));
                    Extension(e, 0x0017, _ => { });
                    if (alpn is not null)
                    {
                        Extension(e, 0x0010, x => x.Block16(list => list.Block8(p => p.Ascii(alpn))));
                    }
                }
            });
        });
    }

    /// <summary>TLS 1.2 Certificate message carrying a DER chain (leaf first).</summary>
    public static byte[] Certificate(IReadOnlyList<byte[]> chain) => Handshake(11, w => w.Block24(list =>
    {
        foreach (var der in chain)
        {
            list.Block24(c => c.Bytes(der));
        }
    }));

    /// <summary>TLS 1.2 ECDHE ServerKeyExchange: x25519 public key signed with RSA-PSS (random signature bytes).</summary>
    public static byte[] ServerKeyExchange(Random random) => Handshake(12, w =>
    {
        w.U8(3).U16(0x001D).Block8(k => k.Random(random, 32));
        w.U16(0x0804).Block16(s => s.Random(random, 256));
    });

    public static byte[] ServerHelloDone() => Handshake(14, _ => { });

    public static byte[] ClientKeyExchange(Random random) => Handshake(16, w => w.Block8(k => k.Random(random, 32)));

    public static byte[] ChangeCipherSpec() => Record(ChangeCipherSpecType, [1]);

    /// <summary>An encrypted record of <paramref name="type"/> whose ciphertext is <paramref name="length"/> random bytes.</summary>
    public static byte[] Encrypted(Random random, byte type, int length)
    {
        var ciphertext = new byte[length];
        random.NextBytes(ciphertext);
        return Record(type, ciphertext);
    }

    /// <summary>
    /// <paramref name="plaintextLength"/> bytes of application data as encrypted records of at most 16 KiB plaintext
    /// each (17 bytes of AEAD tag and inner content type added per record, as in TLS 1.3).
    /// </summary>
    public static byte[] ApplicationData(Random random, int plaintextLength)
    {
        var w = new ByteWriter();
        for (var left = plaintextLength; left > 0;)
        {
            var chunk = Math.Min(left, 16_384);
            w.Bytes(Encrypted(random, ApplicationDataType, chunk + 17));
            left -= chunk;
        }

        return w.ToArray();
    }

    private static byte[] Handshake(byte type, Action<ByteWriter> body) => new ByteWriter().U8(type).Block24(body).ToArray();

    private static void Extension(ByteWriter w, ushort type, Action<ByteWriter> body) => w.U16(type).Block16(body);
}
