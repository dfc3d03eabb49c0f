using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Flowhive.Probe.Engine.Classification.Micro.Catalog;
using Flowhive.Probe.Engine.Classification.Micro.Framework;

namespace Flowhive.Probe.Engine.Classification.Micro.Dissectors;

/// <summary>
/// OpenVPN in TLS mode, as nDPI 4.2 finds it: a client's P_CONTROL_HARD_RESET_CLIENT (V1 or V2) with its 8-byte
/// session id and a first packet id of 1 behind a 16 or 20-byte HMAC, answered by the server's HARD_RESET_SERVER
/// whose acknowledgement names that same session id. Over TCP each packet follows a 2-byte length. Like nDPI 4.2,
/// a UDP flow whose first datagram has one of the sizes and opcodes of OpenVPN's obfuscated variants is taken too.
/// </summary>
public sealed class OpenVpnDissector : IDissector
{
    private const byte OpcodeMask = 0xF8;
    private const byte HardResetClientV1 = 1 << 3;
    private const byte HardResetServerV1 = 2 << 3;
    private const byte HardResetClientV2 = 7 << 3;
    private const byte HardResetServerV2 = 8 << 3;

    /// <summary>Shorter packets are not looked at (nDPI's threshold, before the TCP length is taken off).</summary>
    private const int MinPacket = 40;

    /// <summary>Packets over which the two resets must be seen.</summary>
    private const int MaxResetPackets = 5;

    private const int SessionIdLength = 8;

    public string Name => "OpenVPN";

    public DissectorTransports Transports => DissectorTransports.Tcp | DissectorTransports.Udp;

    public IReadOnlyList<ushort> Protocols { get; } = [NdpiIds.OpenVpn];

    public int StateSize => Unsafe.SizeOf<OpenVpnState>();

    public bool MayStartWith(byte firstByte) => true;

    public Identification Identify(ref DissectorContext context)
    {
        var flow = context.Flow;
        var seen = flow.ClientPayloadPackets + flow.ServerPayloadPackets;
        var p = context.Payload;
        if (p.Length < MinPacket)
        {
            return seen >= MaxResetPackets ? Identification.NotMine : Identification.Unsure;
        }

        if (flow.L4 == 6)
        {
            if (BinaryPrimitives.ReadUInt16BigEndian(p) > p.Length - 2)
            {
                return Identification.NotMine;
            }

            p = p[2..];
        }
        else if (seen == 0 && IsObfuscatedFirstDatagram(p))
        {
            return Identification.Mine;
        }

        ref var state = ref context.State<OpenVpnState>();
        var opcode = (byte)(p[0] & OpcodeMask);
        var resets = state.Packets++;
        if (resets < MaxResetPackets && opcode is HardResetClientV1 or HardResetClientV2)
        {
            if (HmacSize(p) > 0)
            {
                state.ClientSession = BinaryPrimitives.ReadUInt64BigEndian(p[1..]);
                state.SawClientReset = 1;
            }

            return Identification.Unsure;
        }

        if (resets is >= 1 and <= MaxResetPackets && state.SawClientReset != 0 && opcode is HardResetServerV1 or HardResetServerV2
            && AcknowledgedSession(p, out var session) && session == state.ClientSession)
        {
            return Identification.Mine;
        }

        return Identification.NotMine;
    }

    public Inspection Inspect(ref DissectorContext context)
    {
        context.Flow.Detect(NdpiIds.OpenVpn);
        return Inspection.Done;
    }

    /// <summary>nDPI 4.2 takes these first datagrams (exact sizes, opcodes outside the plain protocol's) as OpenVPN.</summary>
    private static bool IsObfuscatedFirstDatagram(ReadOnlySpan<byte> p)
    {
        var opcode = p[0] & OpcodeMask;
        return (p.Length == 112 && opcode is 168 or 192) || (p.Length == 80 && opcode is 184 or 88 or 160 or 168 or 200);
    }

    /// <summary>The HMAC size (20 for SHA-1, 16 for MD5) at which the packet id that follows is 1, the first control packet's; 0 for neither.</summary>
    private static int HmacSize(ReadOnlySpan<byte> p)
    {
        foreach (var size in (ReadOnlySpan<int>)[20, 16])
        {
            var at = 1 + SessionIdLength + size;
            if (p.Length >= at + 4 && BinaryPrimitives.ReadUInt32BigEndian(p[at..]) == 1)
            {
                return size;
            }
        }

        return 0;
    }

    /// <summary>
    /// The remote session id of a server reset: after opcode, session id, HMAC, packet id and time comes the
    /// acknowledgement array (a count, that many packet ids) and then the session id being acknowledged.
    /// </summary>
    private static bool AcknowledgedSession(ReadOnlySpan<byte> p, out ulong session)
    {
        session = 0;
        var hmac = HmacSize(p);
        var offset = 1 + SessionIdLength + hmac + 8;
        if (hmac == 0 || offset >= p.Length || p[offset] == 0)
        {
            return false;
        }

        offset += 1 + (p[offset] * 4);
        if (offset + SessionIdLength > p.Length)
        {
            return false;
        }

        session = BinaryPrimitives.ReadUInt64BigEndian(p[offset..]);
        return true;
    }

    private struct OpenVpnState
    {
        public ulong ClientSession;
        public byte Packets;
        public byte SawClientReset;
    }
}
