using Flowhive.Probe.Engine.Classification.Micro.Catalog;
using Flowhive.Probe.Engine.Classification.Micro.Framework;

namespace Flowhive.Probe.Engine.Classification.Micro.Dissectors;

/// <summary>
/// Line-based TCP protocols told apart by their greeting or first command, on their well-known ports: SMTP (25,
/// 587), POP3 (110), IMAP (143) and FTP control (21). A client that asks for STARTTLS (or FTP AUTH TLS) makes the
/// flow the secure variant once the server agrees, as nDPI 4.2 reports it (SMTPS, POPS, IMAPS; FTP stays FTP_CONTROL).
/// Also SIP (requests and responses over UDP or TCP) and RDP (the X.224 connection request on TCP 3389, the SYN of its UDP transport).
/// </summary>
public sealed class TextProtocolDissector : SignatureDissector
{
    public override string Name => "Text protocols";

    public override DissectorTransports Transports => DissectorTransports.Tcp | DissectorTransports.Udp;

    public override IReadOnlyList<ushort> Protocols { get; } =
        [NdpiIds.Smtp, NdpiIds.Smtps, NdpiIds.Pop3, NdpiIds.Pops, NdpiIds.Imap, NdpiIds.Imaps, NdpiIds.FtpControl, NdpiIds.Sip, NdpiIds.Rdp];

    public override int StateSize => 8;

    protected override int PacketsToDecide => 2;

    public override Inspection Inspect(ref DissectorContext context)
    {
        // State: 0 before the claiming packet, 1 reported, 2 the client asked for STARTTLS.
        ref var state = ref context.State<long>();
        var flow = context.Flow;
        if (state == 0)
        {
            Report(ref context);
            state = 1;
            return flow.App is NdpiIds.Smtp or NdpiIds.Pop3 or NdpiIds.Imap ? Inspection.Continue : Inspection.Done;
        }

        var p = context.Payload;
        if (context.FromClient)
        {
            if (StartsWithIgnoreCase(p, "STARTTLS"u8) || StartsWithIgnoreCase(p, "STLS"u8) || ContainsStartTlsCommand(p))
            {
                state = 2;
            }

            return Inspection.Continue;
        }

        if (state == 2 && (p.StartsWith("220"u8) || p.StartsWith("+OK"u8) || p.IndexOf(" OK"u8) >= 0))
        {
            flow.Detect(flow.App switch
            {
                NdpiIds.Smtp => NdpiIds.Smtps,
                NdpiIds.Pop3 => NdpiIds.Pops,
                _ => NdpiIds.Imaps,
            });
            return Inspection.Done;
        }

        return Inspection.Continue;
    }

    protected override bool Matches(ref DissectorContext context) => ProtocolOf(ref context) != NdpiIds.Unknown;

    protected override void Report(ref DissectorContext context) => context.Flow.Detect(ProtocolOf(ref context));

    private static ushort ProtocolOf(ref DissectorContext context)
    {
        var p = context.Payload;
        if (IsSip(p))
        {
            return NdpiIds.Sip;
        }

        var port = context.ServerPort;
        if (context.Flow.L4 != 6)
        {
            // RDP's UDP transport opens with a SYN datagram: no acknowledgement yet (all ones), a window of 64, the SYN flag.
            return port == 3389 && p.Length >= 10 && p[..4].IndexOfAnyExcept((byte)0xFF) < 0 && p[4] == 0 && p[5] == 0x40 && (p[7] & 0x01) != 0
                ? NdpiIds.Rdp : NdpiIds.Unknown;
        }

        if (port == 3389 && p.Length >= 11 && p[0] == 3 && p[1] == 0 && p[5] == 0xE0)
        {
            return NdpiIds.Rdp;
        }

        if (context.FromClient)
        {
            return port switch
            {
                25 or 587 when StartsWithIgnoreCase(p, "EHLO "u8) || StartsWithIgnoreCase(p, "HELO "u8) => NdpiIds.Smtp,
                110 when StartsWithIgnoreCase(p, "USER "u8) || StartsWithIgnoreCase(p, "CAPA"u8) || StartsWithIgnoreCase(p, "STLS"u8) => NdpiIds.Pop3,
                21 when StartsWithIgnoreCase(p, "USER "u8) || StartsWithIgnoreCase(p, "AUTH "u8) => NdpiIds.FtpControl,
                _ => NdpiIds.Unknown,
            };
        }

        return port switch
        {
            25 or 587 when p.StartsWith("220"u8) => NdpiIds.Smtp,
            110 when p.StartsWith("+OK"u8) => NdpiIds.Pop3,
            143 when p.StartsWith("* OK"u8) => NdpiIds.Imap,
            21 when p.StartsWith("220"u8) => NdpiIds.FtpControl,
            _ => NdpiIds.Unknown,
        };
    }

    private static bool IsSip(ReadOnlySpan<byte> p) =>
        p.StartsWith("SIP/2.0 "u8) || ((p.StartsWith("INVITE "u8) || p.StartsWith("REGISTER "u8) || p.StartsWith("OPTIONS "u8)
            || p.StartsWith("NOTIFY sip:"u8) || p.StartsWith("SUBSCRIBE "u8) || p.StartsWith("BYE "u8) || p.StartsWith("ACK "u8)
            || p.StartsWith("CANCEL "u8) || p.StartsWith("MESSAGE "u8)) && p.IndexOf(" SIP/2.0\r\n"u8) > 0);

    /// <summary>IMAP's tagged "a001 STARTTLS".</summary>
    private static bool ContainsStartTlsCommand(ReadOnlySpan<byte> p)
    {
        var space = p[..Math.Min(p.Length, 32)].IndexOf((byte)' ');
        return space > 0 && StartsWithIgnoreCase(p[(space + 1)..], "STARTTLS"u8);
    }

    private static bool StartsWithIgnoreCase(ReadOnlySpan<byte> p, ReadOnlySpan<byte> upper)
    {
        if (p.Length < upper.Length)
        {
            return false;
        }

        for (var i = 0; i < upper.Length; i++)
        {
            var b = p[i];
            if ((b is >= (byte)'a' and <= (byte)'z' ? (byte)(b - 32) : b) != upper[i])
            {
                return false;
            }
        }

        return true;
    }
}
