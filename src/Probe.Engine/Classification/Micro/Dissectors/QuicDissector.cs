using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Flowhive.Probe.Engine.Classification.Micro.Catalog;
using Flowhive.Probe.Engine.Classification.Micro.Framework;
using Flowhive.Probe.Engine.Classification.Micro.Parsers;

namespace Flowhive.Probe.Engine.Classification.Micro.Dissectors;

/// <summary>
/// QUIC on any UDP port, recognised by the client's first Initial: IETF QUIC (v1, v2, drafts, mvfst, Google's
/// T050/T051 and Q050) is decrypted with the Initial keys every observer can derive, its CRYPTO frames are put
/// back together in order (browsers split a large ClientHello over several Initials and shuffle the frames) in a
/// bounded buffer, and the ClientHello gives the SNI and its service, ALPN and JA4 ('q'). Google QUIC up to Q046
/// sends its hello (CHLO) in clear: its SNI and user-agent tags are read directly.
/// </summary>
public sealed class QuicDissector : IDissector
{
    /// <summary>Client Initial datagrams must be padded to this size (RFC 9000 section 14.1): a strong tell.</summary>
    public const int MinClientInitialDatagram = 1200;

    /// <summary>Client datagrams decrypted while looking for a complete ClientHello.</summary>
    public const int MaxClientInitials = 6;

    private const int MaxCryptoRanges = 8;

    private readonly QuicInitialDecryptor _decryptor = new();

    public string Name => "QUIC";

    public DissectorTransports Transports => DissectorTransports.Udp;

    public IReadOnlyList<ushort> Protocols { get; } = [NdpiIds.Quic];

    public int StateSize => Unsafe.SizeOf<QuicState>();

    /// <summary>A long header (first bit set), or Google's public header with the version flag.</summary>
    public bool MayStartWith(byte firstByte) => (firstByte & 0x80) != 0 || (firstByte & 0x01) != 0;

    public Identification Identify(ref DissectorContext context)
    {
        var p = context.Payload;
        if (!context.FromClient || p.Length < 5)
        {
            return Identification.NotMine;
        }

        if ((p[0] & 0xC0) == 0xC0)
        {
            var version = BinaryPrimitives.ReadUInt32BigEndian(p[1..]);
            if (QuicVersions.TryGetInitialSalt(version, out _) && QuicVersions.IsInitial(version, p[0]) && p.Length >= MinClientInitialDatagram &&
                p.Length >= 6 && p[5] is > 0 and <= 20)
            {
                return Identification.Mine;
            }
        }

        return GoogleQuicHello.TryFindChlo(p, out _, out _) ? Identification.Mine : Identification.NotMine;
    }

    public Inspection Inspect(ref DissectorContext context)
    {
        ref var state = ref context.State<QuicState>();
        if (!context.FromClient)
        {
            return state.HelloDone != 0 ? Inspection.Done : Inspection.Continue;
        }

        var payload = context.Payload;
        var flow = context.Flow;
        if (state.Version == 0)
        {
            if (GoogleQuicHello.TryFindChlo(payload, out var googleVersion, out var chlo))
            {
                flow.Metadata.QuicVersion = googleVersion;
                GoogleHello(ref context, chlo);
                state.HelloDone = 1;
                return Inspection.Done;
            }

            state.Version = BinaryPrimitives.ReadUInt32BigEndian(payload[1..]);
            int dcidLength = payload[5];
            if (payload.Length < 6 + dcidLength)
            {
                return Inspection.Done;
            }

            payload.Slice(6, dcidLength).CopyTo(state.Dcid);
            state.DcidLength = (byte)dcidLength;
            flow.Metadata.QuicVersion = state.Version;
            flow.DetectWithHost(NdpiIds.Quic, null);
        }

        if (state.HelloDone != 0)
        {
            return Inspection.Done;
        }

        var scratch = context.Scratch;
        ReadOnlySpan<byte> dcid = state.Dcid;
        dcid = dcid[..state.DcidLength];
        var offset = 0;
        while (offset < payload.Length)
        {
            var length = _decryptor.TryDecrypt(payload[offset..], fromClient: true, dcid, scratch.Bytes, scratch.MoreBytes, out var packetLength, out _);
            if (length < 0)
            {
                break;
            }

            var frames = new QuicFrameReader(scratch.MoreBytes.AsSpan(0, length));
            while (frames.TryNextCrypto(out var cryptoOffset, out var data))
            {
                AddCrypto(ref context, ref state, cryptoOffset, data);
            }

            offset += packetLength;
        }

        state.ClientInitials++;
        if (TryHello(ref context, ref state))
        {
            state.HelloDone = 1;
            return Inspection.Done;
        }

        return state.ClientInitials >= MaxClientInitials || flow.Buffer(client: true).Overflowed ? Inspection.Done : Inspection.Continue;
    }

    private static void GoogleHello(ref DissectorContext context, ReadOnlySpan<byte> chlo)
    {
        string? sni = null;
        if (GoogleQuicHello.TryReadTags(chlo, out var sniBytes, out var userAgent))
        {
            sni = HostNameText.From(sniBytes);
            if (!userAgent.IsEmpty)
            {
                context.Flow.Metadata.HttpUserAgent = HostNameText.Printable(userAgent);
            }
        }

        context.Flow.Metadata.TlsServerName = sni;
        context.Flow.DetectWithHost(NdpiIds.Quic, sni);
    }

    /// <summary>Writes a CRYPTO frame's data at its offset and records which bytes are now known.</summary>
    private static void AddCrypto(ref DissectorContext context, ref QuicState state, ulong offset, ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty || offset >= BoundedBuffer.MaxLength || !context.Flow.Buffer(client: true).WriteAt((int)offset, data))
        {
            return;
        }

        var start = (ushort)offset;
        var end = (ushort)(offset + (ulong)data.Length);

        // Insert [start, end) into the sorted, disjoint ranges, merging neighbours.
        Span<CryptoRange> ranges = state.Ranges;
        var count = state.RangeCount;
        var merged = new CryptoRange { Start = start, End = end };
        Span<CryptoRange> result = stackalloc CryptoRange[MaxCryptoRanges + 1];
        var n = 0;
        var placed = false;
        for (var i = 0; i < count; i++)
        {
            var r = ranges[i];
            if (r.End < merged.Start)
            {
                result[n++] = r;
            }
            else if (merged.End < r.Start)
            {
                if (!placed)
                {
                    result[n++] = merged;
                    placed = true;
                }

                result[n++] = r;
            }
            else
            {
                merged.Start = Math.Min(merged.Start, r.Start);
                merged.End = Math.Max(merged.End, r.End);
            }
        }

        if (!placed)
        {
            result[n++] = merged;
        }

        if (n > MaxCryptoRanges)
        {
            return; // too fragmented to follow: what is known stays known
        }

        result[..n].CopyTo(ranges);
        state.RangeCount = (byte)n;
    }

    /// <summary>Parses the ClientHello (or a Q050 CHLO) once the bytes from offset 0 cover it.</summary>
    private static bool TryHello(ref DissectorContext context, ref QuicState state)
    {
        ReadOnlySpan<CryptoRange> ranges = state.Ranges;
        if (state.RangeCount == 0 || ranges[0].Start != 0)
        {
            return false;
        }

        var known = context.Flow.Buffer(client: true).Data[..ranges[0].End];
        if (known.Length >= 4 && known[0] == 1)
        {
            var length = (known[1] << 16) | (known[2] << 8) | known[3];
            if (known.Length - 4 < length)
            {
                return false;
            }

            if (TlsClientHello.TryParse(known.Slice(4, length), out var hello))
            {
                TlsHelloReport.ClientHello(ref context, hello, 'q', NdpiIds.Quic, 0);
            }

            return true;
        }

        if (known.StartsWith("CHLO"u8) && GoogleQuicHello.TryReadTags(known, out _, out _))
        {
            GoogleHello(ref context, known);
            return true;
        }

        return known.Length >= 4 && known[0] != (byte)'C'; // neither a ClientHello nor a CHLO: nothing to wait for
    }

    private struct CryptoRange
    {
        public ushort Start;
        public ushort End;
    }

    [InlineArray(MaxCryptoRanges)]
    private struct CryptoRanges
    {
        private CryptoRange _element;
    }

    [InlineArray(20)]
    private struct ConnectionId
    {
        private byte _element;
    }

    private struct QuicState
    {
        public uint Version;
        public ConnectionId Dcid;
        public byte DcidLength;
        public CryptoRanges Ranges;
        public byte RangeCount;
        public byte ClientInitials;
        public byte HelloDone;
    }
}
