using Flowhive.Probe.Engine.Classification.Micro.Catalog;
using Flowhive.Probe.Engine.Classification.Micro.Framework;

namespace Flowhive.Probe.Engine.Classification.Micro.Dissectors;

/// <summary>
/// SNMP on ports 161/162: a BER SEQUENCE whose first element is the INTEGER version 0 (v1), 1 (v2c) or 3 (v3).
/// The sequence length is read in short and long form, bounded by the packet.
/// </summary>
public sealed class SnmpDissector : SignatureDissector
{
    private const byte Sequence = 0x30;
    private const byte Integer = 0x02;

    public override string Name => "SNMP";

    public override DissectorTransports Transports => DissectorTransports.Udp;

    public override IReadOnlyList<ushort> Protocols { get; } = [NdpiIds.Snmp];

    public override bool MayStartWith(byte firstByte) => firstByte == Sequence;

    protected override bool Matches(ref DissectorContext context)
    {
        var p = context.Payload;
        if (!(OnPort(ref context, 161) || OnPort(ref context, 162)) || p.Length < 5 || p[0] != Sequence)
        {
            return false;
        }

        var offset = 2;
        if ((p[1] & 0x80) != 0)
        {
            offset += p[1] & 0x7F; // long form: that many length bytes follow
            if ((p[1] & 0x7F) is 0 or > 2)
            {
                return false;
            }
        }

        return offset + 3 <= p.Length && p[offset] == Integer && p[offset + 1] == 1 && p[offset + 2] is 0 or 1 or 3;
    }

    protected override void Report(ref DissectorContext context) => context.Flow.Detect(NdpiIds.Snmp);
}
