using Flowhive.Probe.Engine.Classification.Micro.Catalog;
using Flowhive.Probe.Engine.Classification.Micro.Framework;

namespace Flowhive.Probe.Engine.Classification.Micro.Dissectors;

/// <summary>
/// Kerberos 5 (RFC 4120) on port 88: a message is an ASN.1 APPLICATION tag (AS-REQ 10 to KRB-ERROR 30); over TCP
/// it follows a 4-byte record length that must be the rest of the segment (or more, when it continues).
/// </summary>
public sealed class KerberosDissector : SignatureDissector
{
    public override string Name => "Kerberos";

    public override DissectorTransports Transports => DissectorTransports.Udp | DissectorTransports.Tcp;

    public override IReadOnlyList<ushort> Protocols { get; } = [NdpiIds.Kerberos];

    protected override bool Matches(ref DissectorContext context)
    {
        if (!OnPort(ref context, 88))
        {
            return false;
        }

        var p = context.Payload;
        if (context.Flow.L4 == 6)
        {
            if (p.Length < 8 || p[0] != 0)
            {
                return false;
            }

            var length = (p[1] << 16) | (p[2] << 8) | p[3];
            if (length < p.Length - 4)
            {
                return false;
            }

            p = p[4..];
        }

        return p.Length >= 4 && p[0] is 0x6a or 0x6b or 0x6c or 0x6d or 0x6e or 0x6f or 0x7e && (p[1] & 0x80) is 0 or 0x80 && p[1] != 0x80;
    }

    protected override void Report(ref DissectorContext context) => context.Flow.Detect(NdpiIds.Kerberos);
}
