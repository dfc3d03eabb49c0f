namespace Flowhive.Probe.Engine.Classification.Micro.Parsers;

/// <summary>
/// Reads a (possibly compressed) DNS name (RFC 1035 section 4.1.4) as dotted text. Compression pointers must
/// point backwards, before the label that holds them, which rules out loops; output is bounded to 255 bytes.
/// </summary>
public static class DnsName
{
    public const int MaxLength = 255;

    /// <summary>
    /// Reads the name at <paramref name="offset"/> of <paramref name="message"/> into <paramref name="into"/> (dotted,
    /// no trailing dot; the root is empty). <paramref name="next"/> is where the record continues after the name.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> message, int offset, Span<byte> into, out int written, out int next)
    {
        written = 0;
        next = -1;
        var position = offset;
        var limit = offset; // a pointer must point before the label it sits in
        while (true)
        {
            if (position < 0 || position >= message.Length)
            {
                return false;
            }

            var length = message[position];
            if (length == 0)
            {
                if (next < 0)
                {
                    next = position + 1;
                }

                return true;
            }

            if ((length & 0xC0) == 0xC0)
            {
                if (position + 1 >= message.Length)
                {
                    return false;
                }

                var target = ((length & 0x3F) << 8) | message[position + 1];
                if (next < 0)
                {
                    next = position + 2;
                }

                if (target >= limit)
                {
                    return false;
                }

                limit = target;
                position = target;
                continue;
            }

            if ((length & 0xC0) != 0 || position + 1 + length > message.Length)
            {
                return false; // extended label types are obsolete; a label must fit the message
            }

            var separator = written > 0 ? 1 : 0;
            if (written + separator + length > into.Length || written + separator + length > MaxLength)
            {
                return false;
            }

            if (separator == 1)
            {
                into[written++] = (byte)'.';
            }

            message.Slice(position + 1, length).CopyTo(into[written..]);
            written += length;
            position += 1 + length;
        }
    }

    /// <summary>Skips a name without reading it; the offset after it, or -1.</summary>
    public static int Skip(ReadOnlySpan<byte> message, int offset)
    {
        var position = offset;
        for (var labels = 0; labels < 128; labels++)
        {
            if (position >= message.Length)
            {
                return -1;
            }

            var length = message[position];
            if (length == 0)
            {
                return position + 1;
            }

            if ((length & 0xC0) == 0xC0)
            {
                return position + 2 <= message.Length ? position + 2 : -1;
            }

            if ((length & 0xC0) != 0)
            {
                return -1;
            }

            position += 1 + length;
        }

        return -1;
    }
}
