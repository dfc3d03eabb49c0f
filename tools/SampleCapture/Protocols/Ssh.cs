using System.Text;

namespace Flowhive.Tools.SampleCapture.Protocols;

/// <summary>SSH-2 transport messages (RFC 4253): version banners, KEXINIT, curve25519 key exchange, then encrypted packets.</summary>
internal static class Ssh
{
    public static byte[] Banner(string software) => Encoding.ASCII.GetBytes($"SSH-2.0-{software}\r\n");

    public static byte[] KexInit(Random random, bool server)
    {
        var payload = new ByteWriter().U8(20).Random(random, 16); // SSH_MSG_KEXINIT, cookie
        NameList(payload, server
            ? "curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,diffie-hellman-group14-sha256"
            : "sntrup761x25519-sha512@openssh.com,curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,ext-info-c,kex-strict-c-v00@openssh.com");
        NameList(payload, "ssh-ed25519,ecdsa-sha2-nistp256,rsa-sha2-512,rsa-sha2-256");
        for (var direction = 0; direction < 2; direction++)
        {
            NameList(payload, "chacha20-poly1305@openssh.com,aes128-ctr,aes256-gcm@openssh.com");
        }

        for (var direction = 0; direction < 2; direction++)
        {
            NameList(payload, "umac-64-etm@openssh.com,hmac-sha2-256-etm@openssh.com,hmac-sha2-256");
        }

        for (var direction = 0; direction < 2; direction++)
        {
            NameList(payload, "none,zlib@openssh.com");
        }

        NameList(payload, "");
        NameList(payload, "");
        payload.U8(0).U32(0); // first_kex_packet_follows, reserved
        return Packet(random, payload.ToArray());
    }

    /// <summary>SSH_MSG_KEX_ECDH_INIT with the client's ephemeral curve25519 key.</summary>
    public static byte[] KexEcdhInit(Random random) => Packet(random, new ByteWriter().U8(30).Block32(k => k.Random(random, 32)).ToArray());

    /// <summary>SSH_MSG_KEX_ECDH_REPLY (host key, server ephemeral key, signature) followed by SSH_MSG_NEWKEYS.</summary>
    public static byte[] KexEcdhReplyAndNewKeys(Random random)
    {
        var reply = new ByteWriter().U8(31)
            .Block32(hostKey => hostKey.Block32(t => t.Ascii("ssh-ed25519")).Block32(k => k.Random(random, 32)))
            .Block32(k => k.Random(random, 32))
            .Block32(sig => sig.Block32(t => t.Ascii("ssh-ed25519")).Block32(s => s.Random(random, 64)))
            .ToArray();
        return [.. Packet(random, reply), .. NewKeys(random)];
    }

    public static byte[] NewKeys(Random random) => Packet(random, [21]);

    /// <summary>An encrypted chacha20-poly1305 packet: 4-byte encrypted length, <paramref name="length"/> bytes, 16-byte tag, all random.</summary>
    public static byte[] Encrypted(Random random, int length)
    {
        var bytes = new byte[4 + length + 16];
        random.NextBytes(bytes);
        return bytes;
    }

    /// <summary>The binary packet: length, padding length, payload, 4+ random padding bytes to a multiple of 8.</summary>
    private static byte[] Packet(Random random, byte[] payload)
    {
        var padding = 8 - ((5 + payload.Length) % 8);
        if (padding < 4)
        {
            padding += 8;
        }

        return new ByteWriter().U32((uint)(1 + payload.Length + padding)).U8(padding).Bytes(payload).Random(random, padding).ToArray();
    }

    private static void NameList(ByteWriter w, string names) => w.Block32(n => n.Ascii(names));
}
