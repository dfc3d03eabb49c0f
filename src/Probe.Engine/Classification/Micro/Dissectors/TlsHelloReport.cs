using Flowhive.Probe.Engine.Classification.Micro.Framework;
using Flowhive.Probe.Engine.Classification.Micro.Parsers;

namespace Flowhive.Probe.Engine.Classification.Micro.Dissectors;

/// <summary>What a ClientHello tells, shared by TLS over TCP and QUIC: SNI (and its service), ALPN, version, JA3 and JA4.</summary>
internal static class TlsHelloReport
{
    /// <summary>Reports the hello and detects <paramref name="protocol"/> refined by the SNI's service (else <paramref name="withoutService"/>).</summary>
    public static void ClientHello(ref DissectorContext context, in TlsClientHello hello, char transport, ushort protocol, ushort withoutService)
    {
        var scratch = context.Scratch;
        var sni = hello.HasServerName ? HostNameText.From(hello.ServerName) : null;
        var metadata = context.Flow.Metadata;
        metadata.TlsServerName = sni;
        if (metadata.TlsVersion == 0)
        {
            metadata.TlsVersion = hello.MaxVersion;
        }

        metadata.TlsAlpn = AlpnList(hello.Alpn);
        (metadata.Ja3Client, metadata.Ja4Client) = scratch.Fingerprints.Get(hello, transport, scratch.Text, scratch.Values);
        context.Flow.DetectWithHost(protocol, sni, withoutService);
    }

    /// <summary>"h2,http/1.1" from a protocol_name_list; null when empty.</summary>
    public static string? AlpnList(ReadOnlySpan<byte> list)
    {
        if (list.IsEmpty)
        {
            return null;
        }

        Span<byte> text = stackalloc byte[Math.Min(list.Length, 512)];
        var length = 0;
        var r = new SpanReader(list);
        while (r.TryU8Prefixed(out var name) && length + name.Length + 1 <= text.Length)
        {
            if (length > 0)
            {
                text[length++] = (byte)',';
            }

            name.CopyTo(text[length..]);
            length += name.Length;
        }

        return length == 0 ? null : HostNameText.Printable(text[..length]);
    }
}
