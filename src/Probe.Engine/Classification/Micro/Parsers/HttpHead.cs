namespace Flowhive.Probe.Engine.Classification.Micro.Parsers;

/// <summary>
/// HTTP/1.x start lines and header fields (RFC 9112) over bytes that may end anywhere: lines are cut at CRLF (or a
/// bare LF) inside the span, never past it, so a header without its line end (nDPI's over-read CVE class) is just
/// the last, shorter line.
/// </summary>
public static class HttpHead
{
    /// <summary>Methods of RFC 9110 and WebDAV (RFC 4918, 3253), each with the space that follows it on the request line.</summary>
    private static readonly byte[][] Methods =
    [
        "GET "u8.ToArray(), "POST "u8.ToArray(), "HEAD "u8.ToArray(), "PUT "u8.ToArray(), "DELETE "u8.ToArray(),
        "OPTIONS "u8.ToArray(), "CONNECT "u8.ToArray(), "PATCH "u8.ToArray(), "TRACE "u8.ToArray(),
        "PROPFIND "u8.ToArray(), "PROPPATCH "u8.ToArray(), "MKCOL "u8.ToArray(), "COPY "u8.ToArray(), "MOVE "u8.ToArray(),
        "LOCK "u8.ToArray(), "UNLOCK "u8.ToArray(), "REPORT "u8.ToArray(), "SEARCH "u8.ToArray(), "MKCALENDAR "u8.ToArray(),
    ];

    /// <summary>Length of the method and its space when <paramref name="data"/> starts a request line, else 0.</summary>
    public static int MethodLength(ReadOnlySpan<byte> data)
    {
        foreach (var method in Methods)
        {
            if (data.StartsWith(method))
            {
                // The request target follows at once: "GET /", "OPTIONS *", "CONNECT host:443", "GET http://...".
                return data.Length > method.Length && data[method.Length] > 0x20 && data[method.Length] < 0x7F ? method.Length : 0;
            }
        }

        return 0;
    }

    /// <summary>Whether <paramref name="data"/> starts a status line ("HTTP/1.1 200").</summary>
    public static bool IsStatusLine(ReadOnlySpan<byte> data) =>
        data.Length >= 12 && data.StartsWith("HTTP/1."u8) && data[8] == ' ' && IsDigit(data[9]) && IsDigit(data[10]) && IsDigit(data[11]);

    public static ushort StatusCode(ReadOnlySpan<byte> statusLine) =>
        IsStatusLine(statusLine) ? (ushort)(((statusLine[9] - '0') * 100) + ((statusLine[10] - '0') * 10) + (statusLine[11] - '0')) : (ushort)0;

    /// <summary>The index just past the blank line that ends the header block, or -1 when it is not in <paramref name="data"/> yet.</summary>
    public static int HeaderEnd(ReadOnlySpan<byte> data)
    {
        var crlf = data.IndexOf("\r\n\r\n"u8);
        var lf = data.IndexOf("\n\n"u8);
        if (crlf >= 0 && (lf < 0 || crlf + 2 <= lf))
        {
            return crlf + 4;
        }

        return lf >= 0 ? lf + 2 : -1;
    }

    /// <summary>Splits off the first line (without its line end) and returns the rest.</summary>
    public static ReadOnlySpan<byte> NextLine(ReadOnlySpan<byte> data, out ReadOnlySpan<byte> line)
    {
        var end = data.IndexOf((byte)'\n');
        if (end < 0)
        {
            line = data;
            return [];
        }

        line = end > 0 && data[end - 1] == '\r' ? data[..(end - 1)] : data[..end];
        return data[(end + 1)..];
    }

    /// <summary>Splits "Name: value" (value without surrounding blanks); false when the line has no colon.</summary>
    public static bool TrySplitHeader(ReadOnlySpan<byte> line, out ReadOnlySpan<byte> name, out ReadOnlySpan<byte> value)
    {
        var colon = line.IndexOf((byte)':');
        if (colon <= 0)
        {
            name = value = [];
            return false;
        }

        name = line[..colon].TrimEnd((byte)' ');
        value = line[(colon + 1)..].Trim(" \t"u8);
        return true;
    }

    /// <summary>ASCII case-insensitive equality for header names.</summary>
    public static bool NameIs(ReadOnlySpan<byte> name, ReadOnlySpan<byte> expected)
    {
        if (name.Length != expected.Length)
        {
            return false;
        }

        for (var i = 0; i < name.Length; i++)
        {
            var a = name[i];
            if (a is >= (byte)'A' and <= (byte)'Z')
            {
                a += 32;
            }

            if (a != expected[i])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The host of a Host header value: without a port, brackets kept for IPv6 literals.</summary>
    public static ReadOnlySpan<byte> HostWithoutPort(ReadOnlySpan<byte> value)
    {
        if (value.Length > 0 && value[0] == '[')
        {
            var close = value.IndexOf((byte)']');
            return close > 0 ? value[..(close + 1)] : value;
        }

        var colon = value.IndexOf((byte)':');
        return colon >= 0 ? value[..colon] : value;
    }

    private static bool IsDigit(byte b) => b is >= (byte)'0' and <= (byte)'9';
}
