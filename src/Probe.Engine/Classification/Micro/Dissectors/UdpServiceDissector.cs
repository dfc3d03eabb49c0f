using System.Buffers.Binary;
using Flowhive.Probe.Engine.Classification.Micro.Catalog;
using Flowhive.Probe.Engine.Classification.Micro.Framework;

namespace Flowhive.Probe.Engine.Classification.Micro.Dissectors;

/// <summary>
/// Small UDP protocols with a fixed first message: TFTP (a read or write request to port 69 naming a file and
/// a transfer mode, or a transfer's first data block or acknowledgement), CoAP (version 1 on port 5683), WireGuard (a handshake message of its exact size) and Syslog
/// (a "&lt;priority&gt;" header, over UDP or TCP on port 514) and Telegram's relayed calls.
/// </summary>
public sealed class UdpServiceDissector : SignatureDissector
{
    private const int WireGuardInitiation = 148;
    private const int WireGuardResponse = 92;

    public override string Name => "UDP services";

    public override DissectorTransports Transports => DissectorTransports.Udp | DissectorTransports.Tcp;

    public override IReadOnlyList<ushort> Protocols { get; } = [NdpiIds.Tftp, NdpiIds.Coap, NdpiIds.WireGuard, NdpiIds.Syslog, NdpiIds.Telegram];

    protected override bool Matches(ref DissectorContext context) => ProtocolOf(ref context) != NdpiIds.Unknown;

    protected override void Report(ref DissectorContext context) => context.Flow.Detect(ProtocolOf(ref context));

    private static ushort ProtocolOf(ref DissectorContext context)
    {
        var p = context.Payload;
        if (OnPort(ref context, 514) && IsSyslog(p))
        {
            return NdpiIds.Syslog;
        }

        if (context.Flow.L4 != 17)
        {
            return NdpiIds.Unknown;
        }

        if (IsTftp(p, context.ServerPort))
        {
            return NdpiIds.Tftp;
        }

        if (OnPort(ref context, 5683) && p.Length >= 4 && (p[0] >> 6) == 1 && (p[0] & 0x0F) <= 8 && (p[1] is <= 31 or (>= 65 and <= 165)))
        {
            return NdpiIds.Coap;
        }

        if (p.Length >= 4 && p[1] == 0 && p[2] == 0 && p[3] == 0
            && ((p[0] == 1 && p.Length == WireGuardInitiation) || (p[0] == 2 && p.Length == WireGuardResponse)))
        {
            return NdpiIds.WireGuard;
        }

        return IsTelegramCall(ref context, p) ? NdpiIds.Telegram : NdpiIds.Unknown;
    }

    /// <summary>
    /// Telegram's UDP calls to its relays use ports 500-599 and open with a run of twelve 0xFF bytes (the relay
    /// protocol's padding), which is what nDPI 4.2 looks for.
    /// </summary>
    private static bool IsTelegramCall(ref DissectorContext context, ReadOnlySpan<byte> p)
    {
        if (p.Length < 40 || !(context.ServerPort is >= 500 and < 600 || context.ClientPort is >= 500 and < 600))
        {
            return false;
        }

        var start = p.IndexOf((byte)0xFF);
        return start >= 0 && start + 12 <= p.Length && p.Slice(start, 12).IndexOfAnyExcept((byte)0xFF) < 0;
    }

    /// <summary>A read or write request (file name, NUL, transfer mode, NUL), or the first data block or its acknowledgement.</summary>
    private static bool IsTftp(ReadOnlySpan<byte> p, ushort serverPort)
    {
        if (p.Length < 4)
        {
            return false;
        }

        var opcode = BinaryPrimitives.ReadUInt16BigEndian(p);
        if (opcode is 3 or 4)
        {
            return BinaryPrimitives.ReadUInt16BigEndian(p[2..]) == 1 && (opcode == 4 ? p.Length == 4 : p.Length <= 4 + 65464);
        }

        if (serverPort != 69 || opcode is not (1 or 2))
        {
            return false;
        }

        var rest = p[2..];
        var nameEnd = rest.IndexOf((byte)0);
        if (nameEnd < 0)
        {
            return false;
        }

        var mode = rest[(nameEnd + 1)..];
        var modeEnd = mode.IndexOf((byte)0);
        if (modeEnd < 4)
        {
            return false;
        }

        Span<byte> lower = stackalloc byte[8];
        var text = mode[..modeEnd];
        if (text.Length > lower.Length)
        {
            return false;
        }

        for (var i = 0; i < text.Length; i++)
        {
            lower[i] = text[i] is >= (byte)'A' and <= (byte)'Z' ? (byte)(text[i] + 32) : text[i];
        }

        return lower[..text.Length].SequenceEqual("octet"u8) || lower[..text.Length].SequenceEqual("netascii"u8) || lower[..text.Length].SequenceEqual("mail"u8);
    }

    private static bool IsSyslog(ReadOnlySpan<byte> p)
    {
        if (p.Length < 4 || p[0] != '<')
        {
            return false;
        }

        var i = 1;
        while (i < p.Length && i <= 4 && p[i] is >= (byte)'0' and <= (byte)'9')
        {
            i++;
        }

        return i is > 1 and <= 4 && i < p.Length && p[i] == '>';
    }
}
