using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Flowhive.Probe.Engine.Classification.Micro.Catalog;
using Flowhive.Probe.Engine.Classification.Micro.Framework;

namespace Flowhive.Probe.Engine.Classification.Micro.Dissectors;

/// <summary>
/// RTP and RTCP (RFC 3550) over UDP, the media of SIP and other VoIP set-ups, by their headers alone (the signalling
/// that announced the ports is another flow). One RTP header proves little (version 2 is two bits), so RTP takes two
/// packets of one direction with a well-formed header, the same SSRC and payload type, and sequence numbers a few
/// apart. An RTCP datagram proves itself: a compound packet that starts with a sender or receiver report and whose
/// packets' lengths add up exactly to the datagram.
/// </summary>
public sealed class RtpDissector : IDissector
{
    private const int RtpHeader = 12;
    private const int RtcpHeader = 4;
    private const byte SenderReport = 200;
    private const byte ReceiverReport = 201;

    /// <summary>RTCP packet types in use: SR, RR, SDES, BYE, APP, RTPFB, PSFB, XR.</summary>
    private const byte LastRtcpType = 207;

    /// <summary>Sequence numbers may skip a few lost or reordered packets between the two that are compared.</summary>
    private const int MaxSequenceGap = 8;

    /// <summary>Payload packets over which the two RTP packets must be seen.</summary>
    private const int PacketsToDecide = 6;

    public string Name => "RTP/RTCP";

    public DissectorTransports Transports => DissectorTransports.Udp;

    public IReadOnlyList<ushort> Protocols { get; } = [NdpiIds.Rtp, NdpiIds.Rtcp];

    public int StateSize => Unsafe.SizeOf<RtpState>();

    /// <summary>Version 2 in the top two bits.</summary>
    public bool MayStartWith(byte firstByte) => (firstByte & 0xC0) == 0x80;

    public Identification Identify(ref DissectorContext context)
    {
        var p = context.Payload;
        ref var state = ref context.State<RtpState>();
        if (IsRtcpCompound(p))
        {
            state.Found = NdpiIds.Rtcp;
            return Identification.Mine;
        }

        if (!IsRtpHeader(p))
        {
            return Identification.NotMine;
        }

        var ssrc = BinaryPrimitives.ReadUInt32BigEndian(p[8..]);
        var sequence = BinaryPrimitives.ReadUInt16BigEndian(p[2..]);
        var payloadType = (byte)(p[1] & 0x7F);
        var direction = context.FromClient ? (byte)1 : (byte)2;
        if (state.Direction == direction && state.Ssrc == ssrc && state.PayloadType == payloadType
            && (ushort)(sequence - state.Sequence) is > 0 and <= MaxSequenceGap)
        {
            state.Found = NdpiIds.Rtp;
            return Identification.Mine;
        }

        state.Direction = direction;
        state.Ssrc = ssrc;
        state.Sequence = sequence;
        state.PayloadType = payloadType;
        var seen = context.Flow.ClientPayloadPackets + context.Flow.ServerPayloadPackets + 1;
        return seen >= PacketsToDecide ? Identification.NotMine : Identification.Unsure;
    }

    public Inspection Inspect(ref DissectorContext context)
    {
        context.Flow.Detect(context.State<RtpState>().Found);
        return Inspection.Done;
    }

    /// <summary>
    /// Version 2, a payload type of the static audio/video range (0-34) or the dynamic one (96-127), and room for
    /// the CSRC list, the header extension and the padding the header announces.
    /// </summary>
    private static bool IsRtpHeader(ReadOnlySpan<byte> p)
    {
        if (p.Length < RtpHeader || (p[0] & 0xC0) != 0x80)
        {
            return false;
        }

        var payloadType = p[1] & 0x7F;
        if (payloadType is > 34 and < 96)
        {
            return false;
        }

        var header = RtpHeader + ((p[0] & 0x0F) * 4);
        if ((p[0] & 0x10) != 0)
        {
            if (p.Length < header + 4)
            {
                return false;
            }

            header += 4 + (BinaryPrimitives.ReadUInt16BigEndian(p[(header + 2)..]) * 4);
        }

        var padding = (p[0] & 0x20) != 0 ? p[^1] : 0;
        return header + padding <= p.Length && ((p[0] & 0x20) == 0 || padding > 0);
    }

    private static bool IsRtcpCompound(ReadOnlySpan<byte> p)
    {
        if (p.Length < RtcpHeader * 2 || p[1] is not (SenderReport or ReceiverReport))
        {
            return false;
        }

        var position = 0;
        while (position < p.Length)
        {
            if (p.Length - position < RtcpHeader || (p[position] & 0xC0) != 0x80 || p[position + 1] is < SenderReport or > LastRtcpType)
            {
                return false;
            }

            position += (BinaryPrimitives.ReadUInt16BigEndian(p[(position + 2)..]) + 1) * 4;
        }

        return position == p.Length;
    }

    private struct RtpState
    {
        public uint Ssrc;
        public ushort Sequence;
        public ushort Found;
        public byte PayloadType;
        public byte Direction;
    }
}
