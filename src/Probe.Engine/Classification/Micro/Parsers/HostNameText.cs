namespace Flowhive.Probe.Engine.Classification.Micro.Parsers;

/// <summary>Turns bytes from a packet (SNI, HTTP Host, DNS names, user agents) into the strings the metadata and the service table use.</summary>
public static class HostNameText
{
    /// <summary>Longest free text kept (URLs, user agents, banners): metadata for display, not a copy of the payload.</summary>
    public const int MaxTextLength = 1024;

    /// <summary>Lowercase ASCII; bytes outside the printable range become '?'; null when empty or longer than a DNS name may be.</summary>
    public static string? From(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty || bytes.Length > Services.ServiceTable.MaxHostLength)
        {
            return null;
        }

        Span<char> chars = stackalloc char[bytes.Length];
        for (var i = 0; i < bytes.Length; i++)
        {
            var b = bytes[i];
            chars[i] = b is > 0x20 and < 0x7F ? (char)(b is >= (byte)'A' and <= (byte)'Z' ? b + 32 : b) : '?';
        }

        return new string(chars);
    }

    /// <summary>Printable text with control bytes as '?', cut at <see cref="MaxTextLength"/>.</summary>
    public static string Printable(ReadOnlySpan<byte> bytes)
    {
        var take = bytes[..Math.Min(bytes.Length, MaxTextLength)];
        Span<char> chars = stackalloc char[take.Length];
        for (var i = 0; i < take.Length; i++)
        {
            var b = take[i];
            chars[i] = b is >= 0x20 and < 0x7F ? (char)b : '?';
        }

        return new string(chars);
    }
}
