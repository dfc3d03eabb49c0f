using System.Buffers.Binary;
using Flowhive.Probe.Engine.Classification.Micro.Catalog;
using Flowhive.Probe.Engine.Classification.Micro.Framework;
using Flowhive.Probe.Engine.Classification.Micro.Parsers;

namespace Flowhive.Probe.Engine.Classification.Micro.Dissectors;

/// <summary>
/// DHCP (RFC 2131) on ports 67/68: a BOOTP header with the DHCP magic cookie. Reports the client's host name
/// (option 12) and vendor class (option 60), which ntopng shows for the host.
/// </summary>
public sealed class DhcpDissector : SignatureDissector
{
    private const int CookieOffset = 236;
    private const uint MagicCookie = 0x63825363;
    private const byte OptionPad = 0;
    private const byte OptionEnd = 255;
    private const byte OptionHostName = 12;
    private const byte OptionVendorClass = 60;

    public override string Name => "DHCP";

    public override DissectorTransports Transports => DissectorTransports.Udp;

    public override IReadOnlyList<ushort> Protocols { get; } = [NdpiIds.Dhcp];

    public override bool MayStartWith(byte firstByte) => firstByte is 1 or 2; // BOOTREQUEST, BOOTREPLY

    protected override bool Matches(ref DissectorContext context)
    {
        var p = context.Payload;
        return (OnPort(ref context, 67) || OnPort(ref context, 68)) && p.Length >= CookieOffset + 4 && p[0] is 1 or 2
            && BinaryPrimitives.ReadUInt32BigEndian(p[CookieOffset..]) == MagicCookie;
    }

    protected override void Report(ref DissectorContext context)
    {
        var flow = context.Flow;
        var options = context.Payload[(CookieOffset + 4)..];
        var i = 0;
        while (i < options.Length)
        {
            var code = options[i];
            if (code == OptionEnd)
            {
                break;
            }

            if (code == OptionPad)
            {
                i++;
                continue;
            }

            if (i + 1 >= options.Length || i + 2 + options[i + 1] > options.Length)
            {
                break; // a length running past the packet ends the options
            }

            var value = options.Slice(i + 2, options[i + 1]);
            if (code == OptionHostName && value.Length > 0)
            {
                flow.Metadata.HostName = HostNameText.Printable(value);
            }
            else if (code == OptionVendorClass && value.Length > 0)
            {
                flow.Metadata.DhcpVendor = HostNameText.Printable(value);
            }

            i += 2 + value.Length;
        }

        flow.Detect(NdpiIds.Dhcp);
        if (flow.HasMetadata && flow.Metadata.HostName is { } host)
        {
            flow.Metadata.L7Info = host;
        }
    }
}
