using Flowhive.Probe.Engine.Classification.Micro.Parsers;
using Flowhive.Tools.SampleCapture.Protocols;

namespace Flowhive.Probe.Engine.Tests.Classification.Micro;

public sealed class ClientHelloFingerprintsTests
{
    private readonly byte[] _text = new byte[64 * 1024];
    private readonly ushort[] _values = new ushort[16 * 1024];

    [Fact]
    public void A_repeated_client_stack_is_answered_from_memory_with_the_fingerprints_computed_afresh()
    {
        var memo = new ClientHelloFingerprints();
        var random = new Random(3);

        // Same stack, different connections: random, session id, key share and the SNI's value all change.
        var first = Tls.ClientHello(random, RandomBytes(random, 32), "one.example.org", ["h2", "http/1.1"]);
        var second = Tls.ClientHello(random, RandomBytes(random, 32), "two.example.net", ["h2", "http/1.1"]);

        var a = Fingerprints(memo, first, 't');
        Assert.Equal(0, memo.Hits);
        var b = Fingerprints(memo, second, 't');
        Assert.Equal(1, memo.Hits);

        Assert.Equal(Direct(second, 't'), b);
        Assert.Equal(a, b);
        Assert.NotNull(b.Ja3);
        Assert.NotNull(b.Ja4);
    }

    [Fact]
    public void What_the_fingerprints_read_is_part_of_the_key()
    {
        var memo = new ClientHelloFingerprints();
        var random = new Random(4);
        var h2 = Tls.ClientHello(random, [], "a.example.org", ["h2"]);
        var http11 = Tls.ClientHello(random, [], "a.example.org", ["http/1.1"]);
        var quic = Tls.ClientHello(random, [], "a.example.org", ["h2"], Quic.TransportParameters([1, 2, 3, 4]));

        // A different ALPN, transport or cipher list is a different fingerprint, never the remembered one.
        foreach (var (hello, transport) in new[] { (h2, 't'), (http11, 't'), (h2, 'q'), (quic, 'q') })
        {
            Assert.Equal(Direct(hello, transport), Fingerprints(memo, hello, transport));
        }

        Assert.Equal(0, memo.Hits);
        Assert.Equal(Direct(h2, 't'), Fingerprints(memo, h2, 't'));
        Assert.Equal(1, memo.Hits);
    }

    private (string? Ja3, string? Ja4) Fingerprints(ClientHelloFingerprints memo, byte[] handshake, char transport)
    {
        Assert.True(TlsClientHello.TryParse(handshake.AsSpan(4), out var hello));
        return memo.Get(hello, transport, _text, _values);
    }

    private (string? Ja3, string? Ja4) Direct(byte[] handshake, char transport)
    {
        Assert.True(TlsClientHello.TryParse(handshake.AsSpan(4), out var hello));
        return (Ja3.Client(hello, _text), Ja4.Client(hello, transport, _text, _values));
    }

    private static byte[] RandomBytes(Random random, int count)
    {
        var bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }
}
