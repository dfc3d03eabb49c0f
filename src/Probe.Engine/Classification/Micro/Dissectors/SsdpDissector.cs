using Flowhive.Probe.Engine.Classification.Micro.Catalog;
using Flowhive.Probe.Engine.Classification.Micro.Framework;

namespace Flowhive.Probe.Engine.Classification.Micro.Dissectors;

/// <summary>SSDP (UPnP discovery) over UDP: an M-SEARCH or NOTIFY request, or the unicast HTTP answer to a search.</summary>
public sealed class SsdpDissector : SignatureDissector
{
    public override string Name => "SSDP";

    public override DissectorTransports Transports => DissectorTransports.Udp;

    public override IReadOnlyList<ushort> Protocols { get; } = [NdpiIds.Ssdp];

    public override bool MayStartWith(byte firstByte) => firstByte is (byte)'M' or (byte)'N' or (byte)'H';

    protected override bool Matches(ref DissectorContext context)
    {
        var p = context.Payload;
        return p.StartsWith("M-SEARCH * HTTP/1.1"u8) || p.StartsWith("NOTIFY * HTTP/1.1"u8)
            || (p.StartsWith("HTTP/1.1 200 OK\r\n"u8) && (OnPort(ref context, 1900) || p.IndexOf("\r\nST:"u8) >= 0 || p.IndexOf("\r\nUSN:"u8) >= 0));
    }

    protected override void Report(ref DissectorContext context) => context.Flow.Detect(NdpiIds.Ssdp);
}
