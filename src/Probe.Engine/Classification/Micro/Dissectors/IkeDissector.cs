using System.Buffers.Binary;
using Flowhive.Probe.Engine.Classification.Micro.Catalog;
using Flowhive.Probe.Engine.Classification.Micro.Framework;

namespace Flowhive.Probe.Engine.Classification.Micro.Dissectors;

/// <summary>
/// IPsec key exchange over UDP: an ISAKMP/IKE header (RFC 2408 for IKEv1, RFC 7296 for IKEv2) on port 500, or on
/// port 4500 behind the four zero bytes of the non-ESP marker (RFC 3948). The header must hold together: a non-zero
/// initiator SPI, version 1.0 or 2.0, an exchange type and first payload type that version defines, and a length
/// that is exactly the datagram's. nDPI names the flow IPsec, as it names ESP and AH (<see cref="IpProtocolDissector"/>).
/// </summary>
public sealed class IkeDissector : SignatureDissector
{
    private const ushort IkePort = 500;
    private const ushort NatTraversalPort = 4500;
    private const int HeaderLength = 28;
    private const int NonEspMarker = 4;
    private const byte IkeV1 = 0x10;
    private const byte IkeV2 = 0x20;

    public override string Name => "IPsec IKE";

    public override DissectorTransports Transports => DissectorTransports.Udp;

    public override IReadOnlyList<ushort> Protocols { get; } = [NdpiIds.IpIpsec];

    protected override bool Matches(ref DissectorContext context)
    {
        var p = context.Payload;
        if (OnPort(ref context, NatTraversalPort) && p.Length >= NonEspMarker + HeaderLength && BinaryPrimitives.ReadUInt32BigEndian(p) == 0)
        {
            return IsHeader(p[NonEspMarker..]);
        }

        return OnPort(ref context, IkePort) && IsHeader(p);
    }

    protected override void Report(ref DissectorContext context) => context.Flow.Detect(NdpiIds.IpIpsec);

    private static bool IsHeader(ReadOnlySpan<byte> p)
    {
        if (p.Length < HeaderLength || BinaryPrimitives.ReadUInt64BigEndian(p) == 0 || BinaryPrimitives.ReadUInt32BigEndian(p[24..]) != p.Length)
        {
            return false;
        }

        var nextPayload = p[16];
        var exchange = p[18];
        return p[17] switch
        {
            // IKEv1: payload types 1-13 (and the NAT-T ones, 20-21); Base, Identity Protection, Authentication Only,
            // Aggressive, Informational, Quick Mode, New Group Mode.
            IkeV1 => nextPayload is (>= 1 and <= 13) or 20 or 21 && exchange is (>= 1 and <= 5) or 32 or 33,

            // IKEv2: payload types 33-48 (or 53, the encrypted fragment); IKE_SA_INIT, IKE_AUTH, CREATE_CHILD_SA,
            // INFORMATIONAL, IKE_SESSION_RESUME, IKE_INTERMEDIATE.
            IkeV2 => nextPayload is (>= 33 and <= 48) or 53 && exchange is (>= 34 and <= 38) or 43,
            _ => false,
        };
    }
}
