using Flowhive.Probe.Engine.Classification.Micro.Catalog;
using Flowhive.Probe.Engine.Classification.Micro.Framework;

namespace Flowhive.Probe.Engine.Classification.Micro.Dissectors;

/// <summary>
/// NetBIOS (RFC 1002): the name service on UDP 137 (its queried or registered name becomes the host name), the
/// datagram service on UDP 138 (an SMB browser announcement in it is NetBIOS.SMBv1, as nDPI names it), the
/// session service on TCP 139, and SMB over TCP 445 (NetBIOS.SMBv1 or NetBIOS.SMBv23 from the SMB header).
/// </summary>
public sealed class NetBiosDissector : SignatureDissector
{
    private const int NameServiceHeader = 12;
    private const int EncodedNameLength = 32;
    private const int DatagramHeader = 14;

    public override string Name => "NetBIOS";

    public override DissectorTransports Transports => DissectorTransports.Udp | DissectorTransports.Tcp;

    public override IReadOnlyList<ushort> Protocols { get; } = [NdpiIds.NetBios, NdpiIds.SmbV1, NdpiIds.SmbV23];

    protected override bool Matches(ref DissectorContext context)
    {
        var p = context.Payload;
        if (context.Flow.L4 == 17)
        {
            if (context.ServerPort == 137)
            {
                return IsNameService(p);
            }

            return context.ServerPort == 138 && p.Length >= DatagramHeader && p[0] is >= 0x10 and <= 0x16;
        }

        if (context.ServerPort == 445)
        {
            return SmbVersion(p) != 0;
        }

        // Session service: message type (0 message, 0x81 request, 0x82/0x83 response, 0x85 keep-alive) and a length that fits.
        return context.ServerPort == 139 && p.Length >= 4 && p[0] is 0x00 or 0x81 or 0x82 or 0x83 or 0x84 or 0x85 && (p[1] & 0xFE) == 0;
    }

    protected override void Report(ref DissectorContext context)
    {
        var p = context.Payload;
        var flow = context.Flow;
        if (flow.L4 == 6)
        {
            var smb = context.ServerPort == 445 ? SmbVersion(p) : (ushort)0;
            flow.Detect(NdpiIds.NetBios, smb == 0 ? NdpiIds.NetBios : smb);
            return;
        }

        if (context.ServerPort == 137)
        {
            SetName(flow, p.Length > NameServiceHeader + 1 ? p[(NameServiceHeader + 1)..] : default);
            flow.Detect(NdpiIds.NetBios);
            return;
        }

        // Datagram service: header, then the encoded source and destination names, then the user data.
        var sourceName = p.Length > DatagramHeader + 1 + EncodedNameLength ? p[(DatagramHeader + 1)..] : default;
        SetName(flow, sourceName);
        var data = DatagramHeader + 2 * (2 + EncodedNameLength);
        var isSmb = p.Length >= data + 4 && p[data] == 0xFF && p.Slice(data + 1, 3).SequenceEqual("SMB"u8);
        flow.Detect(NdpiIds.NetBios, isSmb ? NdpiIds.SmbV1 : NdpiIds.NetBios);
    }

    private static bool IsNameService(ReadOnlySpan<byte> p)
    {
        if (p.Length < NameServiceHeader)
        {
            return false;
        }

        var opcode = (p[2] >> 3) & 0x0F;
        var questions = (p[4] << 8) | p[5];
        var answers = (p[6] << 8) | p[7];
        return opcode is 0 or 5 or 6 or 7 or 8 && questions + answers is >= 1 and <= 16;
    }

    /// <summary>SMBv1 (0xFF 'SMB') or SMBv2/3 (0xFE 'SMB') after the 4-byte NetBIOS session header; 0 when neither.</summary>
    private static ushort SmbVersion(ReadOnlySpan<byte> p)
    {
        if (p.Length < 8 || p[0] != 0 || !p.Slice(5, 3).SequenceEqual("SMB"u8))
        {
            return 0;
        }

        return p[4] switch
        {
            0xFF => NdpiIds.SmbV1,
            0xFE => NdpiIds.SmbV23,
            _ => 0,
        };
    }

    /// <summary>Decodes a first-level-encoded NetBIOS name (two 'A'-based nibbles per byte) into the host name, once.</summary>
    private static void SetName(MicroFlow flow, ReadOnlySpan<byte> encoded)
    {
        if (encoded.Length < EncodedNameLength || (flow.HasMetadata && flow.Metadata.HostName is not null))
        {
            return;
        }

        Span<char> name = stackalloc char[15];
        var length = 0;
        for (var i = 0; i < 15; i++)
        {
            var high = encoded[2 * i] - 'A';
            var low = encoded[(2 * i) + 1] - 'A';
            if (high is < 0 or > 15 || low is < 0 or > 15)
            {
                return;
            }

            var c = (char)((high << 4) | low);
            name[length++] = c is >= ' ' and < (char)0x7F ? char.ToLowerInvariant(c) : '?';
        }

        var text = name[..length].TrimEnd(' ');
        if (text.Length > 0)
        {
            flow.Metadata.HostName = new string(text);
            flow.Metadata.L7Info = flow.Metadata.HostName;
        }
    }
}
