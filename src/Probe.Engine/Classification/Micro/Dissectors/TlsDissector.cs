using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Flowhive.Probe.Engine.Classification.Micro.Catalog;
using Flowhive.Probe.Engine.Classification.Micro.Framework;
using Flowhive.Probe.Engine.Classification.Micro.Parsers;

namespace Flowhive.Probe.Engine.Classification.Micro.Dissectors;

/// <summary>
/// TLS over TCP (RFC 8446, 5246): the ClientHello (SNI and its service, ALPN, JA3, JA4), the ServerHello (version,
/// cipher, JA3S) and, before TLS 1.3 encrypts it, the server certificate (subject, issuer, validity, self-signed).
/// Records are followed as a stream so that a hello or certificate split over segments and records is put back
/// together: only handshake bytes are kept, in a bounded per-direction buffer, and only until the first certificate.
/// As nDPI 4.2 does, TLS on the mail ports without a known service is reported as SMTPS, IMAPS or POPS.
/// </summary>
public sealed class TlsDissector : IDissector
{
    private const byte ChangeCipherSpec = 20;
    private const byte Handshake = 22;
    private const byte ApplicationData = 23;
    private const int MaxRecordLength = (1 << 14) + 2048;

    private const byte ClientHelloType = 1;
    private const byte ServerHelloType = 2;
    private const byte CertificateType = 11;
    private const byte ServerHelloDoneType = 14;

    public string Name => "TLS";

    public DissectorTransports Transports => DissectorTransports.Tcp;

    public IReadOnlyList<ushort> Protocols { get; } = [NdpiIds.Tls, NdpiIds.Smtps, NdpiIds.Imaps, NdpiIds.Pops, NdpiIds.DohDot];

    public int StateSize => Unsafe.SizeOf<TlsState>();

    public bool MayStartWith(byte firstByte) => firstByte == Handshake;

    public Identification Identify(ref DissectorContext context)
    {
        // A handshake record of SSL 3.0 to TLS 1.3 whose first message is a client's or server's hello.
        var p = context.Payload;
        if (p.Length < 6 || p[0] != Handshake || p[1] != 3 || p[2] > 4)
        {
            return Identification.NotMine;
        }

        var expected = context.FromClient ? ClientHelloType : ServerHelloType;
        return p[5] == expected ? Identification.Mine : Identification.NotMine;
    }

    public Inspection Inspect(ref DissectorContext context)
    {
        ref var state = ref context.State<TlsState>();
        ref var direction = ref context.FromClient ? ref state.Client : ref state.Server;
        if (direction.Done == 0)
        {
            ref var stream = ref context.Stream;
            var data = stream.Accept(context.Packet.TcpSeq, context.Payload);
            if (data.IsEmpty)
            {
                if (stream.Broken || stream.Overflowed)
                {
                    direction.Done = 1;
                }
            }
            else
            {
                var consumed = Records(ref context, ref state, ref direction, data);
                stream.Keep(data, consumed);
            }
        }

        return state.Client.Done != 0 && state.Server.Done != 0 ? Inspection.Done : Inspection.Continue;
    }

    /// <summary>Walks records in <paramref name="data"/>, feeding handshake bytes on; returns the bytes consumed (a partial record header stays).</summary>
    private static int Records(ref DissectorContext context, ref TlsState state, ref TlsDirection direction, ReadOnlySpan<byte> data)
    {
        var position = 0;
        while (position < data.Length && direction.Done == 0)
        {
            if (direction.RecordRemaining > 0)
            {
                var take = Math.Min(direction.RecordRemaining, data.Length - position);
                if (direction.RecordType == Handshake)
                {
                    HandshakeBytes(ref context, ref state, ref direction, data.Slice(position, take));
                }

                direction.RecordRemaining -= (ushort)take;
                position += take;
                continue;
            }

            if (data.Length - position < 5)
            {
                break;
            }

            var type = data[position];
            var length = BinaryPrimitives.ReadUInt16BigEndian(data[(position + 3)..]);
            if (data[position + 1] != 3 || length > MaxRecordLength || type is < ChangeCipherSpec or > ApplicationData)
            {
                direction.Done = 1; // not a TLS record: stop following this direction
                return data.Length;
            }

            if (type != Handshake)
            {
                // From ChangeCipherSpec (or an alert) on, this direction's handshake is over or encrypted.
                direction.Done = 1;
                return data.Length;
            }

            direction.RecordType = type;
            direction.RecordRemaining = length;
            position += 5;
        }

        return direction.Done != 0 ? data.Length : position;
    }

    /// <summary>Appends handshake bytes to the direction's buffer and handles every message that is complete.</summary>
    private static void HandshakeBytes(ref DissectorContext context, ref TlsState state, ref TlsDirection direction, ReadOnlySpan<byte> bytes)
    {
        ref var buffer = ref context.Flow.Buffer(context.FromClient);
        buffer.Append(bytes);
        var messages = buffer.Data;
        var consumed = 0;
        while (direction.Done == 0 && messages.Length - consumed >= 4)
        {
            var type = messages[consumed];
            var length = (messages[consumed + 1] << 16) | (messages[consumed + 2] << 8) | messages[consumed + 3];
            var available = messages.Length - consumed - 4;
            if (type == CertificateType && !context.FromClient && FirstCertificate(messages.Slice(consumed + 4, Math.Min(available, length)), out var der))
            {
                // Only the first certificate matters: no need to wait for (or keep) the rest of the chain.
                Certificate(ref context, der);
                direction.Done = 1;
                break;
            }

            if (available < length)
            {
                if (buffer.Overflowed)
                {
                    direction.Done = 1; // a message larger than the bound: give up on it
                }

                break;
            }

            Message(ref context, ref state, ref direction, type, messages.Slice(consumed + 4, length));
            consumed += 4 + length;
        }

        buffer.Consume(consumed);
    }

    private static void Message(ref DissectorContext context, ref TlsState state, ref TlsDirection direction, byte type, ReadOnlySpan<byte> body)
    {
        if (context.FromClient)
        {
            if (type == ClientHelloType && TlsClientHello.TryParse(body, out var hello))
            {
                TlsHelloReport.ClientHello(ref context, hello, 't', NdpiIds.Tls, RefineByPort(context.ClientPort, context.ServerPort));
                state.SawClientHello = 1;
            }

            direction.Done = 1; // nothing after the ClientHello is of interest
            return;
        }

        switch (type)
        {
            case ServerHelloType when TlsServerHello.TryParse(body, out var hello):
                ServerHello(ref context, ref state, hello);
                if (hello.Version >= 0x0304 && hello.Version != 0x7F00)
                {
                    direction.Done = 1; // TLS 1.3 encrypts the rest of the server's flight
                }

                break;
            case ServerHelloType:
            case ServerHelloDoneType:
                direction.Done = 1;
                break;
        }
    }

    private static void ServerHello(ref DissectorContext context, ref TlsState state, in TlsServerHello hello)
    {
        var metadata = context.Flow.Metadata;
        metadata.TlsVersion = hello.Version;
        metadata.TlsCipher = hello.CipherSuite;
        metadata.Ja3Server = Ja3.Server(hello, context.Scratch.Text);
        if (state.SawClientHello == 0 && context.Flow.Confidence != MicroConfidence.Dpi)
        {
            // The client's side was not captured: the server's hello alone proves TLS.
            context.Flow.DetectWithHost(NdpiIds.Tls, null, RefineByPort(context.ClientPort, context.ServerPort));
        }

        context.Flow.MetadataChanged();
    }

    private static void Certificate(ref DissectorContext context, ReadOnlySpan<byte> der)
    {
        var summary = X509Parser.TryParse(der);
        if (summary is null)
        {
            return;
        }

        var flow = context.Flow;
        var metadata = flow.Metadata;
        metadata.TlsCertificateSubject = summary.Subject;
        metadata.TlsCertificateIssuer = summary.Issuer;
        metadata.TlsNotBefore = summary.NotBeforeUnix;
        metadata.TlsNotAfter = summary.NotAfterUnix;
        metadata.TlsSelfSigned = summary.SelfSigned;
        if (summary.SelfSigned)
        {
            metadata.Risks = metadata.Risks is null ? "Self-signed Certificate" : metadata.Risks + ",Self-signed Certificate";
        }

        // Applications without SNI that name themselves in their certificates (remote desktop relays).
        if (flow.Master == 0 && (flow.Services.TryMatchCertificate(summary.Subject, out var match) || flow.Services.TryMatchCertificate(summary.Issuer, out match)) &&
            match.Protocol != 0)
        {
            flow.Detect(NdpiIds.Tls, match.Protocol, match.Category);
        }

        flow.MetadataChanged();
    }

    /// <summary>The first DER certificate of a (TLS 1.2 style) Certificate message, if it is all there.</summary>
    private static bool FirstCertificate(ReadOnlySpan<byte> body, out ReadOnlySpan<byte> der)
    {
        var r = new SpanReader(body);
        der = [];
        return r.TryU24(out _) && r.TryU24Prefixed(out der) && der.Length > 0;
    }

    /// <summary>nDPI 4.2 names TLS on the implicit-TLS mail ports after the mail protocol (when no service is known).</summary>
    private static ushort RefineByPort(ushort clientPort, ushort serverPort)
    {
        foreach (var port in (ReadOnlySpan<ushort>)[serverPort, clientPort])
        {
            switch (port)
            {
                case 465 or 587:
                    return NdpiIds.Smtps;
                case 993:
                    return NdpiIds.Imaps;
                case 995:
                    return NdpiIds.Pops;
            }
        }

        return 0;
    }

    private struct TlsDirection
    {
        public ushort RecordRemaining;
        public byte RecordType;
        public byte Done;
    }

    private struct TlsState
    {
        public TlsDirection Client;
        public TlsDirection Server;
        public byte SawClientHello;
    }
}
