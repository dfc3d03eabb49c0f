using Flowhive.Probe.Engine.Classification.Micro.Crypto;

namespace Flowhive.Probe.Engine.Classification.Micro.Parsers;

/// <summary>
/// JA4 client fingerprint (FoxIO's specification, ja4_a_ja4_b_ja4_c): protocol, version, SNI presence, cipher and
/// extension counts and ALPN in clear; then the first 12 hex digits of SHA-256 over the sorted cipher list, and
/// over the sorted extension list (without SNI and ALPN) followed by the signature algorithms in wire order.
/// GREASE values are left out everywhere.
/// </summary>
public static class Ja4
{
    private const string EmptyHash = "000000000000";

    /// <summary>
    /// JA4 of a ClientHello. <paramref name="transport"/> is 't' (TCP), 'q' (QUIC) or 'd' (DTLS);
    /// <paramref name="text"/> and <paramref name="values"/> are scratch. Null when the hello does not fit them.
    /// </summary>
    public static string? Client(in TlsClientHello hello, char transport, Span<byte> text, Span<ushort> values)
    {
        var cipherCount = Collect(hello.CipherSuites, values, skipSniAlpn: false, isExtensionBlock: false);
        if (cipherCount < 0)
        {
            return null;
        }

        var ciphers = values[..cipherCount];
        var rest = values[cipherCount..];
        var extensionCount = Collect(hello.Extensions, rest, skipSniAlpn: false, isExtensionBlock: true);
        var hashedExtensionCount = Collect(hello.Extensions, rest, skipSniAlpn: true, isExtensionBlock: true);
        if (extensionCount < 0 || hashedExtensionCount < 0)
        {
            return null;
        }

        var extensions = rest[..hashedExtensionCount];
        Span<char> a = stackalloc char[10];
        a[0] = transport;
        WriteVersion(hello.MaxVersion, a[1..3]);
        a[3] = hello.HasServerName ? 'd' : 'i';
        WriteCount(cipherCount, a[4..6]);
        WriteCount(extensionCount, a[6..8]);
        WriteAlpn(hello.Alpn, a[8..10]);

        ciphers.Sort();
        extensions.Sort();

        var b = new AsciiWriter(text);
        for (var i = 0; i < ciphers.Length; i++)
        {
            if (i > 0)
            {
                b.Append(',');
            }

            b.AppendHex4(ciphers[i]);
        }

        Span<char> bHash = stackalloc char[12];
        if (b.Overflowed || !Hash12(b.Written, ciphers.IsEmpty, bHash))
        {
            return null;
        }

        var c = new AsciiWriter(text);
        for (var i = 0; i < extensions.Length; i++)
        {
            if (i > 0)
            {
                c.Append(',');
            }

            c.AppendHex4(extensions[i]);
        }

        var signatures = new SpanReader(hello.SignatureAlgorithms);
        var firstSignature = true;
        while (signatures.TryU16(out var algorithm))
        {
            if (TlsExtensions.IsGrease(algorithm))
            {
                continue;
            }

            c.Append(firstSignature ? '_' : ',');
            c.AppendHex4(algorithm);
            firstSignature = false;
        }

        Span<char> cHash = stackalloc char[12];
        if (c.Overflowed || !Hash12(c.Written, extensionCount == 0, cHash))
        {
            return null;
        }

        Span<char> ja4 = stackalloc char[36];
        a.CopyTo(ja4);
        ja4[10] = '_';
        bHash.CopyTo(ja4[11..]);
        ja4[23] = '_';
        cHash.CopyTo(ja4[24..]);
        return new string(ja4);
    }

    /// <summary>Reads the non-GREASE values of a two-byte list (or the types of an extension block) into <paramref name="into"/>; -1 when they do not fit.</summary>
    private static int Collect(ReadOnlySpan<byte> list, Span<ushort> into, bool skipSniAlpn, bool isExtensionBlock)
    {
        var r = new SpanReader(list);
        var n = 0;
        while (r.TryU16(out var value))
        {
            if (isExtensionBlock && !r.TryU16Prefixed(out _))
            {
                break;
            }

            if (TlsExtensions.IsGrease(value) || (skipSniAlpn && value is TlsExtensions.ServerName or TlsExtensions.Alpn))
            {
                continue;
            }

            if (n == into.Length)
            {
                return -1;
            }

            into[n++] = value;
        }

        return n;
    }

    private static void WriteVersion(ushort version, Span<char> into)
    {
        var text = version switch
        {
            0x0304 => "13",
            0x0303 => "12",
            0x0302 => "11",
            0x0301 => "10",
            0x0300 => "s3",
            0x0002 => "s2",
            0xFEFF => "d1",
            0xFEFD => "d2",
            0xFEFC => "d3",
            _ => "00",
        };
        text.CopyTo(into);
    }

    private static void WriteCount(int count, Span<char> into)
    {
        count = Math.Min(count, 99);
        into[0] = (char)('0' + (count / 10));
        into[1] = (char)('0' + (count % 10));
    }

    /// <summary>First and last character of the first ALPN value; their hex form's first and last digit when either is not alphanumeric; "00" without ALPN.</summary>
    private static void WriteAlpn(ReadOnlySpan<byte> alpnList, Span<char> into)
    {
        var r = new SpanReader(alpnList);
        if (!r.TryU8Prefixed(out var first) || first.IsEmpty)
        {
            into[0] = into[1] = '0';
            return;
        }

        if (IsAlphanumeric(first[0]) && IsAlphanumeric(first[^1]))
        {
            into[0] = (char)first[0];
            into[1] = (char)first[^1];
            return;
        }

        const string hex = "0123456789abcdef";
        into[0] = hex[first[0] >> 4];
        into[1] = hex[first[^1] & 0xF];
    }

    private static bool IsAlphanumeric(byte b) => b is (>= (byte)'0' and <= (byte)'9') or (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'a' and <= (byte)'z');

    private static bool Hash12(ReadOnlySpan<byte> text, bool empty, Span<char> into)
    {
        if (empty)
        {
            EmptyHash.CopyTo(into);
            return true;
        }

        Span<byte> hash = stackalloc byte[32];
        Sha256.HashData(text, hash);
        return Convert.TryToHexStringLower(hash[..6], into, out _);
    }
}
