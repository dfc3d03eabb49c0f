namespace Flowhive.Probe.Engine.Classification.Micro.Parsers;

/// <summary>
/// A ClientHello (RFC 8446 section 4.1.2) as views into the handshake message: the fields JA3, JA4, SNI and
/// ALPN need. Only lengths are validated; the lists stay raw for the fingerprints to walk.
/// </summary>
public ref struct TlsClientHello
{
    public ushort LegacyVersion;

    /// <summary>Cipher suites, two bytes each.</summary>
    public ReadOnlySpan<byte> CipherSuites;

    /// <summary>The whole extensions block (type, length, data...), empty when the hello has none.</summary>
    public ReadOnlySpan<byte> Extensions;

    public bool HasServerName;

    /// <summary>The first host_name entry of the server_name extension.</summary>
    public ReadOnlySpan<byte> ServerName;

    /// <summary>The ALPN protocol_name_list (one-byte-prefixed names).</summary>
    public ReadOnlySpan<byte> Alpn;

    public ReadOnlySpan<byte> SupportedGroups;
    public ReadOnlySpan<byte> EcPointFormats;
    public ReadOnlySpan<byte> SignatureAlgorithms;

    /// <summary>The supported_versions list (two bytes each).</summary>
    public ReadOnlySpan<byte> SupportedVersions;

    /// <summary>Parses a ClientHello message body (after the four-byte handshake header).</summary>
    public static bool TryParse(ReadOnlySpan<byte> body, out TlsClientHello hello)
    {
        hello = default;
        var r = new SpanReader(body);
        if (!r.TryU16(out hello.LegacyVersion) || !r.TrySkip(32) || !r.TryU8Prefixed(out var sessionId) || sessionId.Length > 32 ||
            !r.TryU16Prefixed(out hello.CipherSuites) || (hello.CipherSuites.Length & 1) != 0 || !r.TryU8Prefixed(out _))
        {
            return false;
        }

        if (r.IsEmpty)
        {
            return true; // no extensions (SSL 3.0 style hello)
        }

        if (!r.TryU16Prefixed(out hello.Extensions))
        {
            return false;
        }

        var e = new SpanReader(hello.Extensions);
        while (!e.IsEmpty)
        {
            if (!e.TryU16(out var type) || !e.TryU16Prefixed(out var data))
            {
                return false;
            }

            var d = new SpanReader(data);
            switch (type)
            {
                case TlsExtensions.ServerName:
                    hello.HasServerName = true;
                    if (d.TryU16Prefixed(out var list))
                    {
                        var names = new SpanReader(list);
                        while (names.TryU8(out var nameType) && names.TryU16Prefixed(out var name))
                        {
                            if (nameType == 0)
                            {
                                hello.ServerName = name;
                                break;
                            }
                        }
                    }

                    break;
                case TlsExtensions.Alpn:
                    _ = d.TryU16Prefixed(out hello.Alpn);
                    break;
                case TlsExtensions.SupportedGroups:
                    _ = d.TryU16Prefixed(out hello.SupportedGroups);
                    break;
                case TlsExtensions.EcPointFormats:
                    _ = d.TryU8Prefixed(out hello.EcPointFormats);
                    break;
                case TlsExtensions.SignatureAlgorithms:
                    _ = d.TryU16Prefixed(out hello.SignatureAlgorithms);
                    break;
                case TlsExtensions.SupportedVersions:
                    _ = d.TryU8Prefixed(out hello.SupportedVersions);
                    break;
            }
        }

        return true;
    }

    /// <summary>The highest version offered: supported_versions (without GREASE) when present, else the legacy field.</summary>
    public readonly ushort MaxVersion
    {
        get
        {
            ushort best = 0;
            var r = new SpanReader(SupportedVersions);
            while (r.TryU16(out var v))
            {
                if (!TlsExtensions.IsGrease(v) && v > best)
                {
                    best = v;
                }
            }

            return best != 0 ? best : LegacyVersion;
        }
    }
}
