namespace Flowhive.Probe.Engine.Classification.Micro.Parsers;

/// <summary>A ServerHello (RFC 8446 section 4.1.3): version, chosen cipher and extensions, for JA3S and the metadata.</summary>
public ref struct TlsServerHello
{
    public ushort LegacyVersion;
    public ushort CipherSuite;

    /// <summary>The whole extensions block, empty when the hello has none.</summary>
    public ReadOnlySpan<byte> Extensions;

    /// <summary>The supported_versions choice (TLS 1.3 puts the real version here), 0 when absent.</summary>
    public ushort SelectedVersion;

    /// <summary>The protocol the server chose by ALPN.</summary>
    public ReadOnlySpan<byte> Alpn;

    /// <summary>The negotiated version.</summary>
    public readonly ushort Version => SelectedVersion != 0 ? SelectedVersion : LegacyVersion;

    public static bool TryParse(ReadOnlySpan<byte> body, out TlsServerHello hello)
    {
        hello = default;
        var r = new SpanReader(body);
        if (!r.TryU16(out hello.LegacyVersion) || !r.TrySkip(32) || !r.TryU8Prefixed(out var sessionId) || sessionId.Length > 32 ||
            !r.TryU16(out hello.CipherSuite) || !r.TryU8(out _))
        {
            return false;
        }

        if (r.IsEmpty)
        {
            return true;
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
            if (type == TlsExtensions.SupportedVersions)
            {
                _ = d.TryU16(out hello.SelectedVersion);
            }
            else if (type == TlsExtensions.Alpn && d.TryU16Prefixed(out var list))
            {
                _ = new SpanReader(list).TryU8Prefixed(out hello.Alpn);
            }
        }

        return true;
    }
}
