using System.Buffers.Binary;

namespace Flowhive.Probe.Engine.Classification.Micro.Parsers;

/// <summary>
/// JA3 and JA4 of ClientHellos, remembered by exactly what they are computed from. A network's clients are a
/// handful of TLS stacks, so most hellos repeat one seen before once the parts that change per connection
/// (random, session id, key shares, the SNI's value, GREASE, which both fingerprints leave out) are set
/// aside; a repeat then costs building and comparing its key instead of sorting, two SHA-256, an MD5 and two
/// strings. Direct-mapped (a slot keeps the last hello that hashed to it), owned by one worker's classifier.
/// </summary>
public sealed class ClientHelloFingerprints
{
    private const int Slots = 256;
    private const int MaxKeyLength = 4096;

    private readonly Entry[] _entries = new Entry[Slots];
    private readonly byte[] _key = new byte[MaxKeyLength];

    /// <summary>Hellos answered from memory (for tests and statistics).</summary>
    public long Hits { get; private set; }

    /// <summary>JA3 and JA4 (either null when its text does not fit the scratch), as <see cref="Ja3.Client"/> and <see cref="Ja4.Client"/> give them.</summary>
    public (string? Ja3, string? Ja4) Get(in TlsClientHello hello, char transport, Span<byte> text, Span<ushort> values)
    {
        var length = BuildKey(hello, transport);
        if (length < 0)
        {
            // An unusually large hello: computed every time rather than stored.
            return (Ja3.Client(hello, text), Ja4.Client(hello, transport, text, values));
        }

        var key = _key.AsSpan(0, length);
        var hash = Fnv1a(key);
        ref var entry = ref _entries[hash & (Slots - 1)];
        if (entry.Key is { } known && entry.Hash == hash && key.SequenceEqual(known))
        {
            Hits++;
            return (entry.Ja3, entry.Ja4);
        }

        var ja3 = Ja3.Client(hello, text);
        var ja4 = Ja4.Client(hello, transport, text, values);
        entry = new Entry(hash, key.ToArray(), ja3, ja4);
        return (ja3, ja4);
    }

    /// <summary>
    /// Everything JA3 and JA4 read, each list without GREASE and after its count so that lists cannot run into
    /// each other: transport, versions, SNI presence, ALPN, ciphers, extension types, groups, point formats and
    /// signature algorithms. -1 when it does not fit.
    /// </summary>
    private int BuildKey(in TlsClientHello hello, char transport)
    {
        var key = _key.AsSpan();
        var n = 0;
        if (!Put(key, ref n, (ushort)transport) || !Put(key, ref n, hello.LegacyVersion) || !Put(key, ref n, hello.MaxVersion) ||
            !Put(key, ref n, hello.HasServerName ? (ushort)1 : (ushort)0) ||
            !PutBytes(key, ref n, hello.Alpn) || !PutU16List(key, ref n, hello.CipherSuites, extensionBlock: false) ||
            !PutU16List(key, ref n, hello.Extensions, extensionBlock: true) || !PutU16List(key, ref n, hello.SupportedGroups, extensionBlock: false) ||
            !PutBytes(key, ref n, hello.EcPointFormats) || !PutU16List(key, ref n, hello.SignatureAlgorithms, extensionBlock: false))
        {
            return -1;
        }

        return n;
    }

    private static bool PutU16List(Span<byte> key, ref int n, ReadOnlySpan<byte> list, bool extensionBlock)
    {
        // The count goes in front once known: reserve its place.
        var countAt = n;
        if (!Put(key, ref n, 0))
        {
            return false;
        }

        ushort count = 0;
        var r = new SpanReader(list);
        while (r.TryU16(out var value))
        {
            if (extensionBlock && !r.TryU16Prefixed(out _))
            {
                break;
            }

            if (TlsExtensions.IsGrease(value))
            {
                continue;
            }

            if (!Put(key, ref n, value))
            {
                return false;
            }

            count++;
        }

        BinaryPrimitives.WriteUInt16LittleEndian(key[countAt..], count);
        return true;
    }

    private static bool PutBytes(Span<byte> key, ref int n, ReadOnlySpan<byte> bytes)
    {
        if (!Put(key, ref n, (ushort)bytes.Length) || n + bytes.Length > key.Length)
        {
            return false;
        }

        bytes.CopyTo(key[n..]);
        n += bytes.Length;
        return true;
    }

    private static bool Put(Span<byte> key, ref int n, ushort value)
    {
        if (n + 2 > key.Length)
        {
            return false;
        }

        BinaryPrimitives.WriteUInt16LittleEndian(key[n..], value);
        n += 2;
        return true;
    }

    private static ulong Fnv1a(ReadOnlySpan<byte> data)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in data)
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        return hash;
    }

    private readonly record struct Entry(ulong Hash, byte[]? Key, string? Ja3, string? Ja4);
}
