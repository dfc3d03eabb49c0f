using Flowhive.Shared.Flows;
using Flowhive.Shared.Net;

namespace Flowhive.Shared.Wire.NetFlow;

/// <summary>
/// One exported record's view of a bidirectional flow: its direction, and, when its counters do not fit the
/// template's field widths, which of <see cref="Parts"/> equal slices it is (byte and packet counters are shared
/// out so that the slices add up to the flow; counts that fit are sent with the first slice only).
/// </summary>
internal readonly ref struct DirectionalFlow
{
    public readonly ref readonly FlowRecord Record;
    public readonly FlowDirection Direction;
    public readonly uint Part;
    public readonly uint Parts;

    public DirectionalFlow(ref readonly FlowRecord record, FlowDirection direction, uint part = 0, uint parts = 1)
    {
        Record = ref record;
        Direction = direction;
        Part = part;
        Parts = parts;
    }

    private bool IsReverse => Direction == FlowDirection.Reverse;

    private bool IsFirstPart => Part == 0;

    public int Family => Record.IpVersion is 4 or 6 ? Record.IpVersion : Record.SrcAddr.IsV4 ? 4 : 6;

    public ulong Bytes => Share(IsReverse ? Record.OutBytes : Record.InBytes);

    public ulong Packets => Share(IsReverse ? Record.OutPkts : Record.InPkts);

    /// <summary>The other direction's bytes: only a bidirectional record carries them, a split record leaves them to its twin.</summary>
    public ulong ReverseBytes => Direction == FlowDirection.Both ? Share(Record.OutBytes) : 0;

    public ulong ReversePackets => Direction == FlowDirection.Both ? Share(Record.OutPkts) : 0;

    public IpAddr SrcAddr => IsReverse ? Record.DstAddr : Record.SrcAddr;

    public IpAddr DstAddr => IsReverse ? Record.SrcAddr : Record.DstAddr;

    public ushort SrcPort => IsReverse ? Record.DstPort : Record.SrcPort;

    public ushort DstPort => IsReverse ? Record.SrcPort : Record.DstPort;

    public ulong SrcMac => IsReverse ? Record.DstMac : Record.SrcMac;

    public ulong DstMac => IsReverse ? Record.SrcMac : Record.DstMac;

    public byte TcpFlags => Direction switch
    {
        FlowDirection.Forward => Record.ClientTcpFlags,
        FlowDirection.Reverse => Record.ServerTcpFlags,
        _ => (byte)(Record.ClientTcpFlags | Record.ServerTcpFlags),
    };

    public uint RetransmittedPackets => IsFirstPart ? (IsReverse ? Record.RetransmittedOutPkts : Record.RetransmittedInPkts) : 0;

    public uint ReverseRetransmittedPackets => IsFirstPart && Direction == FlowDirection.Both ? Record.RetransmittedOutPkts : 0;

    public uint OutOfOrderPackets => IsFirstPart ? (IsReverse ? Record.OutOfOrderOutPkts : Record.OutOfOrderInPkts) : 0;

    public uint ReverseOutOfOrderPackets => IsFirstPart && Direction == FlowDirection.Both ? Record.OutOfOrderOutPkts : 0;

    public long FirstMs => Math.Max(Record.FirstSwitchedUs, 0) / 1000;

    /// <summary>Never before the first packet, whatever the record says.</summary>
    public long LastMs => Math.Max(Math.Max(Record.LastSwitchedUs, 0) / 1000, FirstMs);

    /// <summary>Slice <see cref="Part"/> of a counter: the remainder goes to the first slices, so the slices sum to the whole.</summary>
    private ulong Share(ulong total) => Parts == 1 ? total : (total / Parts) + (Part < total % Parts ? 1UL : 0UL);
}
