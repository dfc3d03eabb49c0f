using Flowhive.Probe.Engine.Classification.Micro.Catalog;
using Flowhive.Probe.Engine.Classification.Micro.Framework;

namespace Flowhive.Probe.Engine.Classification.Micro.Dissectors;

/// <summary>NTP (RFC 5905) with port 123 on either side: a 48-byte header of version 1 to 4 and a mode other than 0.</summary>
public sealed class NtpDissector : SignatureDissector
{
    private const int HeaderLength = 48;

    public override string Name => "NTP";

    public override DissectorTransports Transports => DissectorTransports.Udp;

    public override IReadOnlyList<ushort> Protocols { get; } = [NdpiIds.Ntp];

    protected override bool Matches(ref DissectorContext context)
    {
        var p = context.Payload;
        if (!OnPort(ref context, 123) || p.Length < HeaderLength)
        {
            return false;
        }

        var version = (p[0] >> 3) & 7;
        var mode = p[0] & 7;
        return version is >= 1 and <= 4 && mode != 0;
    }

    protected override void Report(ref DissectorContext context) => context.Flow.Detect(NdpiIds.Ntp);
}
