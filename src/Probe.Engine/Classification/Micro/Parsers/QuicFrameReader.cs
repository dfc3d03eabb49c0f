namespace Flowhive.Probe.Engine.Classification.Micro.Parsers;

/// <summary>
/// Walks the frames of a decrypted Initial packet (RFC 9000 section 19) and yields its CRYPTO frames, skipping
/// PADDING, PING, ACK and CONNECTION_CLOSE: the only frames an Initial may carry. Stops at anything else.
/// </summary>
public ref struct QuicFrameReader(ReadOnlySpan<byte> payload)
{
    private SpanReader _reader = new(payload);

    /// <summary>The next CRYPTO frame's offset and data; false at the end or at a frame an Initial cannot carry.</summary>
    public bool TryNextCrypto(out ulong offset, out ReadOnlySpan<byte> data)
    {
        offset = 0;
        data = [];
        while (_reader.TryVarInt(out var type))
        {
            switch (type)
            {
                case 0x00: // PADDING
                case 0x01: // PING
                    continue;
                case 0x02:
                case 0x03:
                    if (!SkipAck(type == 0x03))
                    {
                        return false;
                    }

                    continue;
                case 0x06:
                    if (!_reader.TryVarInt(out offset) || !_reader.TryVarInt(out var length) || length > (ulong)_reader.Remaining ||
                        !_reader.TryBytes((int)length, out data))
                    {
                        return false;
                    }

                    return true;
                case 0x1C:
                case 0x1D:
                    if (!_reader.TryVarInt(out _) || (type == 0x1C && !_reader.TryVarInt(out _)) ||
                        !_reader.TryVarInt(out var reasonLength) || reasonLength > (ulong)_reader.Remaining || !_reader.TrySkip((int)reasonLength))
                    {
                        return false;
                    }

                    continue;
                default:
                    return false;
            }
        }

        return false;
    }

    private bool SkipAck(bool withEcn)
    {
        if (!_reader.TryVarInt(out _) || !_reader.TryVarInt(out _) || !_reader.TryVarInt(out var ranges) || !_reader.TryVarInt(out _))
        {
            return false;
        }

        // Each range is two varints of at least one byte: a count beyond the bytes left is malformed.
        if (ranges > (ulong)_reader.Remaining / 2)
        {
            return false;
        }

        for (ulong i = 0; i < ranges; i++)
        {
            if (!_reader.TryVarInt(out _) || !_reader.TryVarInt(out _))
            {
                return false;
            }
        }

        return !withEcn || (_reader.TryVarInt(out _) && _reader.TryVarInt(out _) && _reader.TryVarInt(out _));
    }
}
