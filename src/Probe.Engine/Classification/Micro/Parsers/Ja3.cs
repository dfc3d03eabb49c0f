namespace Flowhive.Probe.Engine.Classification.Micro.Parsers;

/// <summary>
/// JA3 and JA3S TLS fingerprints (Salesforce's specification): the hello's fields as decimal lists,
/// "SSLVersion,Ciphers,Extensions,EllipticCurves,EllipticCurvePointFormats" for a client and
/// "SSLVersion,Cipher,Extensions" for a server, GREASE values left out, MD5 in lowercase hex.
/// </summary>
public static class Ja3
{
    /// <summary>JA3 of a ClientHello; null when the text does not fit <paramref name="scratch"/>.</summary>
    public static string? Client(in TlsClientHello hello, Span<byte> scratch)
    {
        var w = new AsciiWriter(scratch);
        w.AppendDecimal(hello.LegacyVersion);
        w.Append(',');
        AppendU16List(ref w, hello.CipherSuites);
        w.Append(',');
        AppendExtensionTypes(ref w, hello.Extensions);
        w.Append(',');
        AppendU16List(ref w, hello.SupportedGroups);
        w.Append(',');
        var first = true;
        foreach (var format in hello.EcPointFormats)
        {
            if (!first)
            {
                w.Append('-');
            }

            w.AppendDecimal(format);
            first = false;
        }

        return w.Overflowed ? null : FingerprintHash.Md5Hex(w.Written);
    }

    /// <summary>JA3S of a ServerHello; null when the text does not fit <paramref name="scratch"/>.</summary>
    public static string? Server(in TlsServerHello hello, Span<byte> scratch)
    {
        var w = new AsciiWriter(scratch);
        w.AppendDecimal(hello.LegacyVersion);
        w.Append(',');
        w.AppendDecimal(hello.CipherSuite);
        w.Append(',');
        AppendExtensionTypes(ref w, hello.Extensions);
        return w.Overflowed ? null : FingerprintHash.Md5Hex(w.Written);
    }

    private static void AppendU16List(ref AsciiWriter w, ReadOnlySpan<byte> list)
    {
        var r = new SpanReader(list);
        var first = true;
        while (r.TryU16(out var value))
        {
            if (TlsExtensions.IsGrease(value))
            {
                continue;
            }

            if (!first)
            {
                w.Append('-');
            }

            w.AppendDecimal(value);
            first = false;
        }
    }

    private static void AppendExtensionTypes(ref AsciiWriter w, ReadOnlySpan<byte> extensions)
    {
        var r = new SpanReader(extensions);
        var first = true;
        while (r.TryU16(out var type) && r.TryU16Prefixed(out _))
        {
            if (TlsExtensions.IsGrease(type))
            {
                continue;
            }

            if (!first)
            {
                w.Append('-');
            }

            w.AppendDecimal(type);
            first = false;
        }
    }
}
