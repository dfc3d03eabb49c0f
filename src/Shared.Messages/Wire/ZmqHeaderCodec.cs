using System.Buffers.Binary;

namespace Flowhive.Shared.Wire;

/// <summary>
/// Reads and writes the binary first frame of ntopng/nProbe ZMQ messages. Parsing follows
/// <c>ZMQCollectorInterface::collect_flows</c> branch for branch; writing produces the layouts current ntopng
/// builds accept. Byte orders: msg_id big-endian (host order only in version-1 headers), every other
/// multi-byte field little-endian, which is what ntopng's raw reads see on x86 and ARM.
/// </summary>
public static class ZmqHeaderCodec
{
    /// <summary>zmq_msg_hdr_v1: url[16], u8 version, u8 source_id, u16 size, u32 msg_id.</summary>
    public const int V1Length = 24;

    /// <summary>zmq_msg_hdr_v2: url[16], u8 version, pad, u16 size, u32 msg_id, u32 source_id.</summary>
    public const int V2Length = 28;

    /// <summary>zmq_msg_hdr_v3: url[16], u8 version, u8 flags, pad[2], u32 uncompressed, u32 compressed, u32 msg_id, u32 source_id.</summary>
    public const int V3Length = 36;

    /// <summary>zmq_msg_hdr_v0: url[32], u32 version, u32 size.</summary>
    public const int V0Length = 40;

    /// <summary>The largest header; ntopng receives the first frame into a buffer of this size.</summary>
    public const int MaxLength = V0Length;

    public const int TopicFieldLength = 16;

    /// <summary>ZMQ_COMPATIBILITY_MSG_VERSION: msg_id in host order, no source id.</summary>
    public const byte CompatibilityVersion = 1;

    /// <summary>ZMQ_MSG_VERSION_OLD: JSON (or 0x00-prefixed zlib) payload.</summary>
    public const byte JsonVersion = 2;

    /// <summary>ZMQ_MSG_VERSION_TLV: TLV payload.</summary>
    public const byte TlvVersion = 3;

    /// <summary>ZMQ_MSG_VERSION: the 36-byte header with flags; ntopng 6.2 rejects it, later builds accept it.</summary>
    public const byte CurrentVersion = 4;

    /// <summary>ntopng's CONST_ZMQ_PAYLOAD_LEN: larger payloads are reported as truncated and dropped.</summary>
    public const int MaxPayloadLength = 131_072;

    /// <summary>
    /// Parses a header frame. Never throws and never allocates. The layout is chosen by the frame length as
    /// ntopng does; the only deliberate difference is that a 40-byte legacy header with a version above 4 is
    /// rejected, where ntopng accepts any 32-bit value and then treats the payload as JSON.
    /// </summary>
    public static ZmqHeaderStatus TryParse(ReadOnlySpan<byte> frame, out ZmqMessageHeader header)
    {
        header = default;
        switch (frame.Length)
        {
            case V0Length:
                return ParseV0(frame, out header);
            case V1Length:
            case V2Length:
            case V3Length:
                break;
            default:
                return ZmqHeaderStatus.BadLength;
        }

        var topic = ZmqTopics.FromFirstByte(frame[0]);
        var version = frame[16];
        if (version > CurrentVersion)
        {
            return ZmqHeaderStatus.UnsupportedVersion;
        }

        // ntopng tests the compatibility version before the length, so it wins for every layout.
        if (version == CompatibilityVersion)
        {
            var size = frame.Length == V3Length ? 0u : BinaryPrimitives.ReadUInt16LittleEndian(frame[18..]);
            header = new ZmqMessageHeader(
                topic, version, ZmqHeaderFlags.None, BinaryPrimitives.ReadUInt32LittleEndian(frame[20..]), 0, size, 0, frame.Length);
            return ZmqHeaderStatus.Ok;
        }

        switch (frame.Length)
        {
            case V1Length:
                header = new ZmqMessageHeader(
                    topic,
                    version,
                    ZmqHeaderFlags.None,
                    BinaryPrimitives.ReadUInt32BigEndian(frame[20..]),
                    frame[17],
                    BinaryPrimitives.ReadUInt16LittleEndian(frame[18..]),
                    0,
                    V1Length);
                return ZmqHeaderStatus.Ok;
            case V2Length:
                header = new ZmqMessageHeader(
                    topic,
                    version,
                    ZmqHeaderFlags.None,
                    BinaryPrimitives.ReadUInt32BigEndian(frame[20..]),
                    BinaryPrimitives.ReadUInt32LittleEndian(frame[24..]),
                    BinaryPrimitives.ReadUInt16LittleEndian(frame[18..]),
                    0,
                    V2Length);
                return ZmqHeaderStatus.Ok;
            default:
                if (version != CurrentVersion)
                {
                    // No ntopng branch matches: it keeps publisher_version, msg_id and source_id at 0.
                    header = new ZmqMessageHeader(topic, 0, ZmqHeaderFlags.None, 0, 0, 0, 0, V3Length);
                    return ZmqHeaderStatus.Ok;
                }

                header = new ZmqMessageHeader(
                    topic,
                    version,
                    (ZmqHeaderFlags)frame[17],
                    BinaryPrimitives.ReadUInt32BigEndian(frame[28..]),
                    BinaryPrimitives.ReadUInt32LittleEndian(frame[32..]),
                    BinaryPrimitives.ReadUInt32LittleEndian(frame[20..]),
                    BinaryPrimitives.ReadUInt32LittleEndian(frame[24..]),
                    V3Length);
                return ZmqHeaderStatus.Ok;
        }
    }

    private static ZmqHeaderStatus ParseV0(ReadOnlySpan<byte> frame, out ZmqMessageHeader header)
    {
        header = default;
        var version = BinaryPrimitives.ReadUInt32LittleEndian(frame[32..]);
        if (version > CurrentVersion)
        {
            return ZmqHeaderStatus.UnsupportedVersion;
        }

        header = new ZmqMessageHeader(
            ZmqTopics.FromFirstByte(frame[0]),
            (byte)version,
            ZmqHeaderFlags.None,
            0,
            0,
            BinaryPrimitives.ReadUInt32LittleEndian(frame[36..]),
            0,
            V0Length);
        return ZmqHeaderStatus.Ok;
    }

    /// <summary>
    /// Writes the 28-byte header every current ntopng accepts (6.2 included): version 3 for TLV, or version 2
    /// for JSON. The u16 size field saturates at 65535 for larger payloads; ntopng never reads it.
    /// </summary>
    /// <returns>The number of bytes written (28).</returns>
    public static int WriteV2(
        Span<byte> destination,
        ZmqTopic topic,
        uint msgId,
        uint sourceId,
        int payloadLength,
        ZmqPayloadFormat format = ZmqPayloadFormat.Tlv)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, V2Length, nameof(destination));
        ArgumentOutOfRangeException.ThrowIfNegative(payloadLength);
        var header = destination[..V2Length];
        header.Clear();
        WriteTopic(header, topic);
        header[16] = format == ZmqPayloadFormat.Json ? JsonVersion : TlvVersion;
        BinaryPrimitives.WriteUInt16LittleEndian(header[18..], (ushort)Math.Min(payloadLength, ushort.MaxValue));
        BinaryPrimitives.WriteUInt32BigEndian(header[20..], msgId);
        BinaryPrimitives.WriteUInt32LittleEndian(header[24..], sourceId);
        return V2Length;
    }

    /// <summary>
    /// Writes the 36-byte version-4 header. Both size fields get <paramref name="uncompressedLength"/>: ntopng
    /// sizes its inflate buffer from compressed_size, so the compressed length there would make it fail
    /// ("decompression buffer too short", verified against a real build).
    /// </summary>
    /// <returns>The number of bytes written (36).</returns>
    public static int WriteV3(
        Span<byte> destination,
        ZmqTopic topic,
        ZmqHeaderFlags flags,
        uint msgId,
        uint sourceId,
        int uncompressedLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, V3Length, nameof(destination));
        ArgumentOutOfRangeException.ThrowIfNegative(uncompressedLength);
        var header = destination[..V3Length];
        header.Clear();
        WriteTopic(header, topic);
        header[16] = CurrentVersion;
        header[17] = (byte)flags;
        BinaryPrimitives.WriteUInt32LittleEndian(header[20..], (uint)uncompressedLength);
        BinaryPrimitives.WriteUInt32LittleEndian(header[24..], (uint)uncompressedLength);
        BinaryPrimitives.WriteUInt32BigEndian(header[28..], msgId);
        BinaryPrimitives.WriteUInt32LittleEndian(header[32..], sourceId);
        return V3Length;
    }

    private static void WriteTopic(Span<byte> header, ZmqTopic topic)
    {
        // The rest of the url field stays NUL from the Clear() above; names are at most 15 bytes.
        ZmqTopics.GetUtf8Name(topic).CopyTo(header[..TopicFieldLength]);
    }
}
