using Flowhive.Probe.Engine.Classification.Micro.Catalog;
using Flowhive.Probe.Engine.Classification.Micro.Framework;

namespace Flowhive.Probe.Engine.Classification.Micro.Dissectors;

/// <summary>
/// Flows that are not TCP or UDP, named by their IP protocol number as nDPI does (and counts as DPI): ICMP,
/// ICMPV6, IGMP, IPsec (ESP and AH), GRE, OSPF, SCTP, EGP, VRRP and IP in IP. The first packet decides.
/// </summary>
public sealed class IpProtocolDissector : IDissector
{
    private const ushort Vrrp = 73;

    public string Name => "IP protocol";

    public DissectorTransports Transports => DissectorTransports.OtherIp;

    public IReadOnlyList<ushort> Protocols { get; } =
        [NdpiIds.IpIcmp, NdpiIds.IpIcmpv6, NdpiIds.IpIgmp, NdpiIds.IpIpsec, NdpiIds.IpGre, NdpiIds.IpOspf, NdpiIds.IpSctp, NdpiIds.IpEgp, NdpiIds.IpInIp, Vrrp];

    public int StateSize => 0;

    public bool MayStartWith(byte firstByte) => true;

    public Identification Identify(ref DissectorContext context) =>
        ProtocolOf(context.Flow.L4) != NdpiIds.Unknown ? Identification.Mine : Identification.NotMine;

    public Inspection Inspect(ref DissectorContext context)
    {
        context.Flow.Detect(ProtocolOf(context.Flow.L4));
        return Inspection.Done;
    }

    private static ushort ProtocolOf(byte ipProtocol) => ipProtocol switch
    {
        1 => NdpiIds.IpIcmp,
        2 => NdpiIds.IpIgmp,
        4 => NdpiIds.IpInIp,
        8 => NdpiIds.IpEgp,
        47 => NdpiIds.IpGre,
        50 or 51 => NdpiIds.IpIpsec,
        58 => NdpiIds.IpIcmpv6,
        89 => NdpiIds.IpOspf,
        112 => Vrrp,
        132 => NdpiIds.IpSctp,
        _ => NdpiIds.Unknown,
    };
}
