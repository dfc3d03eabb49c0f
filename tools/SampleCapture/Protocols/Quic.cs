using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Flowhive.Tools.SampleCapture.Protocols;

/// <summary>
/// QUIC v1 packets (RFC 9000). Initial packets are protected exactly as RFC 9001 section 5 says (keys
/// derived from the client's destination connection id, AES-128-GCM payload, AES header protection), so
/// Wireshark and DPI engines can decrypt them and read the ClientHello's SNI. Handshake and 1-RTT packets
/// use keys nobody has: their protected bytes are random.
/// </summary>
internal static class Quic
{
    public const int MinClientDatagram = 1200;
    private const uint Version1 = 0x0000_0001;
    private const int PacketNumberLength = 2;

    private static readonly byte[] InitialSalt = Convert.FromHexString("38762cf7f55934b34d179ae6a4c80cadccbb7f0a");

    internal readonly record struct Keys(byte[] Key, byte[] Iv, byte[] HeaderProtection);

    /// <summary>Transport parameters (RFC 9000 section 18) a browser sends, with its source connection id.</summary>
    public static byte[] TransportParameters(ReadOnlySpan<byte> sourceConnectionId)
    {
        var scid = sourceConnectionId.ToArray();
        var w = new ByteWriter();
        Parameter(w, 0x01, v => v.VarInt(30_000)); // max_idle_timeout (ms)
        Parameter(w, 0x03, v => v.VarInt(1472)); // max_udp_payload_size
        Parameter(w, 0x04, v => v.VarInt(15_728_640)); // initial_max_data
        Parameter(w, 0x05, v => v.VarInt(6_291_456)); // initial_max_stream_data_bidi_local
        Parameter(w, 0x06, v => v.VarInt(6_291_456)); // initial_max_stream_data_bidi_remote
        Parameter(w, 0x07, v => v.VarInt(6_291_456)); // initial_max_stream_data_uni
        Parameter(w, 0x08, v => v.VarInt(100)); // initial_max_streams_bidi
        Parameter(w, 0x09, v => v.VarInt(103)); // initial_max_streams_uni
        Parameter(w, 0x0F, v => v.Bytes(scid)); // initial_source_connection_id
        return w.ToArray();
    }

    /// <summary>The client's first datagram: an Initial packet with the ClientHello in a CRYPTO frame, padded to 1200 bytes.</summary>
    public static byte[] ClientInitial(byte[] destinationId, byte[] sourceId, byte[] clientHello, ulong packetNumber)
    {
        var frames = new ByteWriter().U8(0x06).VarInt(0).VarInt((ulong)clientHello.Length).Bytes(clientHello).ToArray();
        return Initial(InitialKeys(destinationId, server: false), destinationId, sourceId, frames, packetNumber, padTo: MinClientDatagram);
    }

    /// <summary>
    /// The client's answer to the server's first flight: an Initial acknowledging the server's Initial (still
    /// under the keys of the original destination id, now addressed to the server's chosen id), coalesced with
    /// its first Handshake packet, the datagram padded to 1200 bytes inside the Initial.
    /// </summary>
    public static byte[] ClientInitialAck(byte[] originalDestinationId, byte[] destinationId, byte[] sourceId, ulong packetNumber, byte[] handshake)
    {
        var ack = new ByteWriter().U8(0x02).VarInt(0).VarInt(0).VarInt(0).VarInt(0).ToArray();
        var initial = Initial(InitialKeys(originalDestinationId, server: false), destinationId, sourceId, ack, packetNumber, padTo: MinClientDatagram - handshake.Length);
        return [.. initial, .. handshake];
    }

    /// <summary>
    /// The server's first datagram: its Initial (ACK of the client's Initial and the ServerHello) coalesced with
    /// the start of its Handshake packets, <paramref name="datagramLength"/> bytes in all. Initial keys come from
    /// the client's original destination id, whatever ids the server chooses.
    /// </summary>
    public static byte[] ServerInitial(Random random, byte[] originalDestinationId, byte[] clientId, byte[] serverId, byte[] serverHello, int datagramLength)
    {
        var frames = new ByteWriter()
            .U8(0x02).VarInt(0).VarInt(0).VarInt(0).VarInt(0) // ACK: largest 0, delay 0, no extra ranges, first range 0
            .U8(0x06).VarInt(0).VarInt((ulong)serverHello.Length).Bytes(serverHello)
            .ToArray();
        var initial = Initial(InitialKeys(originalDestinationId, server: true), clientId, serverId, frames, 0, padTo: 0);
        var handshake = Handshake(random, clientId, serverId, Math.Max(64, datagramLength - initial.Length), packetNumber: 0);
        return [.. initial, .. handshake];
    }

    /// <summary>A Handshake packet (long header type 2) of <paramref name="length"/> bytes with random protected contents.</summary>
    public static byte[] Handshake(Random random, byte[] destinationId, byte[] sourceId, int length, ulong packetNumber)
    {
        var w = new ByteWriter().U8(0xE0 | (PacketNumberLength - 1)).U32(Version1)
            .U8(destinationId.Length).Bytes(destinationId)
            .U8(sourceId.Length).Bytes(sourceId);
        var headerLength = w.Length + 2; // plus the two-byte length field
        var remaining = Math.Max(length - headerLength, PacketNumberLength + 16 + 4);
        w.VarInt2((ulong)remaining).U16((int)packetNumber).Random(random, remaining - PacketNumberLength);
        return w.ToArray();
    }

    /// <summary>A 1-RTT (short header) packet of <paramref name="length"/> bytes; header protection makes its low bits look random.</summary>
    public static byte[] ShortHeader(Random random, byte[] destinationId, int length)
    {
        var packet = new byte[Math.Max(length, 1 + destinationId.Length + 20)];
        random.NextBytes(packet);
        packet[0] = (byte)(0x40 | (packet[0] & 0x3F)); // fixed bit set, long-header bit clear
        destinationId.CopyTo(packet, 1);
        return packet;
    }

    /// <summary>Client or server Initial secrets (RFC 9001 section 5.2).</summary>
    internal static Keys InitialKeys(byte[] destinationId, bool server)
    {
        var initialSecret = HKDF.Extract(HashAlgorithmName.SHA256, destinationId, InitialSalt);
        var secret = ExpandLabel(initialSecret, server ? "server in" : "client in", 32);
        return new Keys(ExpandLabel(secret, "quic key", 16), ExpandLabel(secret, "quic iv", 12), ExpandLabel(secret, "quic hp", 16));
    }

    /// <summary>The header protection mask for a 16-byte ciphertext sample (RFC 9001 section 5.4.3, AES-ECB).</summary>
    internal static byte[] HeaderMask(byte[] headerProtectionKey, ReadOnlySpan<byte> sample)
    {
        using var aes = Aes.Create();
        aes.Key = headerProtectionKey;
        return aes.EncryptEcb(sample[..16], PaddingMode.None);
    }

    private static byte[] Initial(Keys keys, byte[] destinationId, byte[] sourceId, byte[] frames, ulong packetNumber, int padTo)
    {
        var header = new ByteWriter().U8(0xC0 | (PacketNumberLength - 1)).U32(Version1)
            .U8(destinationId.Length).Bytes(destinationId)
            .U8(sourceId.Length).Bytes(sourceId)
            .VarInt(0); // no token
        var unpaddedLength = header.Length + 2 + PacketNumberLength + frames.Length + 16;
        var padding = Math.Max(0, padTo - unpaddedLength);
        var plaintext = new byte[frames.Length + padding]; // PADDING frames are zero bytes
        frames.CopyTo(plaintext, 0);
        header.VarInt2((ulong)(PacketNumberLength + plaintext.Length + 16)).U16((int)packetNumber);
        var headerBytes = header.ToArray();
        var pnOffset = headerBytes.Length - PacketNumberLength;

        var nonce = keys.Iv.ToArray();
        for (var i = 0; i < 8; i++)
        {
            nonce[nonce.Length - 1 - i] ^= (byte)(packetNumber >> (8 * i));
        }

        var packet = new byte[headerBytes.Length + plaintext.Length + 16];
        headerBytes.CopyTo(packet, 0);
        using (var aead = new AesGcm(keys.Key, 16))
        {
            aead.Encrypt(nonce, plaintext, packet.AsSpan(headerBytes.Length, plaintext.Length), packet.AsSpan(packet.Length - 16), headerBytes);
        }

        // The sample starts 4 bytes after the packet number's first byte, whatever its length.
        var mask = HeaderMask(keys.HeaderProtection, packet.AsSpan(pnOffset + 4, 16));
        packet[0] ^= (byte)(mask[0] & 0x0F);
        for (var i = 0; i < PacketNumberLength; i++)
        {
            packet[pnOffset + i] ^= mask[1 + i];
        }

        return packet;
    }

    /// <summary>HKDF-Expand-Label from TLS 1.3 (RFC 8446 section 7.1) with an empty context.</summary>
    private static byte[] ExpandLabel(byte[] secret, string label, int length)
    {
        var fullLabel = Encoding.ASCII.GetBytes("tls13 " + label);
        var info = new byte[2 + 1 + fullLabel.Length + 1];
        BinaryPrimitives.WriteUInt16BigEndian(info, (ushort)length);
        info[2] = (byte)fullLabel.Length;
        fullLabel.CopyTo(info, 3);
        return HKDF.Expand(HashAlgorithmName.SHA256, secret, length, info);
    }

    private static void Parameter(ByteWriter w, ulong id, Action<ByteWriter> value)
    {
        var v = new ByteWriter();
        value(v);
        var bytes = v.ToArray();
        w.VarInt(id).VarInt((ulong)bytes.Length).Bytes(bytes);
    }

    /// <summary>A varint always in its two-byte form, so a packet's length field has a known size before the length is known.</summary>
    private static ByteWriter VarInt2(this ByteWriter w, ulong value) =>
        value < 1 << 14 ? w.U16((int)(0x4000 | value)) : throw new InvalidOperationException($"length {value} needs a longer varint");
}
