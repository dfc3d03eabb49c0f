using System.Buffers.Binary;
using Flowhive.Probe.Engine.Classification.Micro.Catalog;
using Flowhive.Probe.Engine.Classification.Micro.Framework;

namespace Flowhive.Probe.Engine.Classification.Micro.Dissectors;

/// <summary>
/// STUN (RFC 5389: a message type with the two top bits clear, a length that is the rest of the datagram and the
/// magic cookie) and DTLS (a handshake record of version 1.0 or 1.2), over UDP: the media set-up of WebRTC, Teams,
/// WhatsApp and others. nDPI 4.2 names a STUN flow's service from STUN attributes (not read here) and, for
/// Microsoft's Teams relays, from the network; this dissector does only the latter and otherwise reports plain
/// STUN or DTLS rather than guess a service.
/// </summary>
public sealed class StunDissector : SignatureDissector
{
    private const uint MagicCookie = 0x2112A442;
    private const int StunHeader = 20;
    private const int DtlsHeader = 13;

    private static readonly ushort Teams = ProtocolCatalog.Ndpi42.IdOf("Teams");

    public override string Name => "STUN/DTLS";

    public override DissectorTransports Transports => DissectorTransports.Udp;

    public override IReadOnlyList<ushort> Protocols { get; } = [NdpiIds.Stun, NdpiIds.Dtls];

    public override bool MayStartWith(byte firstByte) => firstByte <= 1 || firstByte == 0x16;

    protected override bool Matches(ref DissectorContext context) => IsStun(context.Payload) || IsDtls(context.Payload);

    /// <summary>A STUN flow that goes on to a DTLS handshake (WebRTC) is DTLS, as nDPI reports it; so STUN keeps watching.</summary>
    public override Inspection Inspect(ref DissectorContext context)
    {
        var flow = context.Flow;
        if (flow.App == NdpiIds.Unknown || flow.Master == 0 && flow.App != NdpiIds.Stun && flow.App != NdpiIds.Dtls)
        {
            Report(ref context);
        }
        else if (IsDtls(context.Payload) && flow.App != NdpiIds.Dtls && flow.Master != NdpiIds.Dtls)
        {
            flow.DetectWithHost(NdpiIds.Dtls, null);
        }

        return flow.App == NdpiIds.Dtls || flow.Master == NdpiIds.Dtls ? Inspection.Done : Inspection.Continue;
    }

    protected override void Report(ref DissectorContext context)
    {
        var flow = context.Flow;
        if (IsDtls(context.Payload))
        {
            flow.DetectWithHost(NdpiIds.Dtls, null);
            return;
        }

        var protocol = NdpiIds.Stun;
        if (flow.Services.TryMatchAddress(flow.Server, flow.Client, out var service) && service.Protocol == Teams)
        {
            flow.Detect(protocol, Teams);
            return;
        }

        flow.Detect(protocol);
    }

    /// <summary>RFC 5389 with the magic cookie, or RFC 3489's classic STUN: a binding or allocate message whose attributes are 4-byte aligned.</summary>
    private static bool IsStun(ReadOnlySpan<byte> p)
    {
        if (p.Length < StunHeader || (p[0] & 0xC0) != 0 || BinaryPrimitives.ReadUInt16BigEndian(p[2..]) != p.Length - StunHeader)
        {
            return false;
        }

        if (BinaryPrimitives.ReadUInt32BigEndian(p[4..]) == MagicCookie)
        {
            return true;
        }

        var type = BinaryPrimitives.ReadUInt16BigEndian(p);
        return (p.Length - StunHeader) % 4 == 0 && p.Length > StunHeader && type is 0x0001 or 0x0101 or 0x0111 or 0x0003 or 0x0103 or 0x0113;
    }

    private static bool IsDtls(ReadOnlySpan<byte> p) =>
        p.Length >= DtlsHeader && p[0] == 0x16 && p[1] == 0xFE && p[2] is 0xFF or 0xFD
        && BinaryPrimitives.ReadUInt16BigEndian(p[11..]) <= p.Length - DtlsHeader;
}
