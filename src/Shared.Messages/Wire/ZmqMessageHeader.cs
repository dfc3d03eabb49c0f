namespace Flowhive.Shared.Wire;

/// <summary>
/// The first frame of a ZMQ message as ntopng interprets it. Fields a layout does not carry are 0
/// (e.g. <see cref="MsgId"/> in the 40-byte legacy header, <see cref="Flags"/> outside the 36-byte one).
/// </summary>
public readonly struct ZmqMessageHeader
{
    public ZmqMessageHeader(
        ZmqTopic topic,
        byte version,
        ZmqHeaderFlags flags,
        uint msgId,
        uint sourceId,
        uint uncompressedSize,
        uint compressedSize,
        int headerLength)
    {
        Topic = topic;
        Version = version;
        Flags = flags;
        MsgId = msgId;
        SourceId = sourceId;
        UncompressedSize = uncompressedSize;
        CompressedSize = compressedSize;
        HeaderLength = headerLength;
    }

    public ZmqTopic Topic { get; }

    /// <summary>
    /// The publisher version as ntopng ends up using it. A 36-byte frame whose version byte is neither 1 nor 4
    /// matches none of ntopng's branches, so its version (like its ids) stays 0.
    /// </summary>
    public byte Version { get; }

    /// <summary>Only meaningful for the 36-byte version-4 header.</summary>
    public ZmqHeaderFlags Flags { get; }

    /// <summary>Per-source sequence number used for drop detection.</summary>
    public uint MsgId { get; }

    /// <summary>Probe identity; read in little-endian (x86 host) order, as ntopng uses it raw.</summary>
    public uint SourceId { get; }

    /// <summary>
    /// The 36-byte header's uncompressed_size, or the single <c>size</c> field of older layouts (ntopng ignores both).
    /// </summary>
    public uint UncompressedSize { get; }

    /// <summary>
    /// The 36-byte header's compressed_size, which ntopng uses as its inflate buffer size; 0 in older layouts,
    /// where ntopng falls back to guessing.
    /// </summary>
    public uint CompressedSize { get; }

    /// <summary>24, 28, 36 or 40: which layout the frame used.</summary>
    public int HeaderLength { get; }

    /// <summary>Whether ntopng would treat the payload as TLV: the flag in version 4, version 3 otherwise.</summary>
    public bool IsTlv => Version == ZmqHeaderCodec.CurrentVersion
        ? (Flags & ZmqHeaderFlags.Tlv) != 0
        : Version == ZmqHeaderCodec.TlvVersion;

    /// <summary>The version-4 compression flag. Older layouts mark compression in the payload instead (see <see cref="IsPayloadCompressed"/>).</summary>
    public bool IsCompressed => (Flags & ZmqHeaderFlags.Compressed) != 0;

    /// <summary>
    /// Whether ntopng would inflate this payload: the flag for version 4; for older non-TLV versions a leading
    /// 0x00 byte, with the zlib data starting at <see cref="CompressedDataOffset"/>.
    /// </summary>
    public bool IsPayloadCompressed(ReadOnlySpan<byte> payload)
    {
        if (Version == ZmqHeaderCodec.CurrentVersion)
        {
            return IsCompressed;
        }

        return Version != ZmqHeaderCodec.TlvVersion && !payload.IsEmpty && payload[0] == 0;
    }

    /// <summary>Where the zlib stream starts in a compressed payload: after the 0x00 marker in pre-version-4 messages.</summary>
    public int CompressedDataOffset => Version == ZmqHeaderCodec.CurrentVersion ? 0 : 1;
}
