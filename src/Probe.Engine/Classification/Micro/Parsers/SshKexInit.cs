namespace Flowhive.Probe.Engine.Classification.Micro.Parsers;

/// <summary>
/// SSH_MSG_KEXINIT (RFC 4253 section 7.1) read from one unencrypted binary packet: the algorithm name-lists each
/// side offers, as slices of the packet. The fields HASSH needs are kept; the host key algorithms and languages are
/// checked for shape but not kept.
/// </summary>
public readonly ref struct SshKexInit
{
    /// <summary>The SSH_MSG_KEXINIT message number.</summary>
    public const byte MessageNumber = 20;

    private const int CookieLength = 16;

    /// <summary>packet_length and padding_length: the binary packet header (RFC 4253 section 6).</summary>
    private const int PacketHeader = 5;

    /// <summary>RFC 4253 requires at least four bytes of padding.</summary>
    private const int MinPadding = 4;

    public ReadOnlySpan<byte> KexAlgorithms { get; init; }

    public ReadOnlySpan<byte> EncryptionClientToServer { get; init; }

    public ReadOnlySpan<byte> EncryptionServerToClient { get; init; }

    public ReadOnlySpan<byte> MacClientToServer { get; init; }

    public ReadOnlySpan<byte> MacServerToClient { get; init; }

    public ReadOnlySpan<byte> CompressionClientToServer { get; init; }

    public ReadOnlySpan<byte> CompressionServerToClient { get; init; }

    /// <summary>
    /// Parses <paramref name="packet"/>, one whole binary packet (length, padding length, payload, padding). False
    /// when it is not a well-formed KEXINIT: another message, a length that does not fit, a list that runs out.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> packet, out SshKexInit kex)
    {
        kex = default;
        var r = new SpanReader(packet);
        if (!r.TryU32(out var packetLength) || packetLength > (uint)r.Remaining || !r.TryU8(out var padding) || padding < MinPadding
            || padding >= packetLength)
        {
            return false;
        }

        var payloadLength = (int)packetLength - 1 - padding;
        var payload = packet.Slice(PacketHeader, payloadLength);
        var p = new SpanReader(payload);
        if (!p.TryU8(out var message) || message != MessageNumber || !p.TrySkip(CookieLength)
            || !p.TryU32Prefixed(out var kexAlgorithms) || !p.TryU32Prefixed(out _)
            || !p.TryU32Prefixed(out var encC2S) || !p.TryU32Prefixed(out var encS2C)
            || !p.TryU32Prefixed(out var macC2S) || !p.TryU32Prefixed(out var macS2C)
            || !p.TryU32Prefixed(out var cmpC2S) || !p.TryU32Prefixed(out var cmpS2C)
            || !p.TryU32Prefixed(out _) || !p.TryU32Prefixed(out _)
            || !p.TryU8(out _) || !p.TryU32(out _))
        {
            return false;
        }

        kex = new SshKexInit
        {
            KexAlgorithms = kexAlgorithms,
            EncryptionClientToServer = encC2S,
            EncryptionServerToClient = encS2C,
            MacClientToServer = macC2S,
            MacServerToClient = macS2C,
            CompressionClientToServer = cmpC2S,
            CompressionServerToClient = cmpS2C,
        };
        return true;
    }
}
