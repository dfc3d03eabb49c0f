using System.Buffers.Binary;

namespace Flowhive.Shared.Wire.NetFlow;

/// <summary>
/// Cisco NetFlow v5: a 24-byte header and fixed 48-byte IPv4 records, at most 30 per datagram (fewer when the
/// MTU is smaller: 28 at 1400 bytes). The template is ignored. IPv6 flows cannot be expressed and are counted
/// in <see cref="NetFlowEncoderCounters.SkippedFlows"/>. SNMP indexes, next hop, TOS, AS numbers and masks are 0,
/// as nProbe sends them without routing data.
/// </summary>
public sealed class NetFlowV5Encoder : NetFlowEncoder
{
    public const int HeaderLength = 24;
    public const int RecordLength = 48;

    /// <summary>Cisco's limit per datagram; collectors reject more.</summary>
    public const int MaxRecordsPerDatagram = 30;

    private readonly int _maxRecords;

    /// <summary>flow_sequence: records sent before the current datagram.</summary>
    private uint _flowSequence;

    internal NetFlowV5Encoder(NetFlowEncoderOptions options)
        : base(options, new SysUptimeClock((long)options.BootMargin.TotalMilliseconds))
    {
        _maxRecords = Math.Min(MaxRecordsPerDatagram, (options.Mtu - HeaderLength) / RecordLength);
        if (_maxRecords < 1)
        {
            throw new ArgumentException($"a {options.Mtu}-byte datagram cannot hold one NetFlow v5 record ({HeaderLength + RecordLength} bytes)");
        }
    }

    private protected override bool IsBidirectional => false;

    private protected override bool CanCarry(int family) => family == 4;

    private protected override (ulong Bytes, ulong Packets) Capacity(int family) => (uint.MaxValue, uint.MaxValue);

    private protected override void AppendRecord(scoped in DirectionalFlow flow, long nowMs, INetFlowDatagramSink sink)
    {
        if (DataRecordsInDatagram == _maxRecords)
        {
            SendDatagram(nowMs, sink);
        }

        if (Length == 0)
        {
            Length = HeaderLength;
        }

        var r = Datagram.AsSpan(Length, RecordLength);
        r.Clear();
        BinaryPrimitives.WriteUInt32BigEndian(r, flow.SrcAddr.V4);
        BinaryPrimitives.WriteUInt32BigEndian(r[4..], flow.DstAddr.V4);

        // nexthop (8), input (12) and output (14) SNMP indexes stay 0.
        ElementWriter.WriteUnsigned(r.Slice(16, 4), flow.Packets);
        ElementWriter.WriteUnsigned(r.Slice(20, 4), flow.Bytes);
        BinaryPrimitives.WriteUInt32BigEndian(r[24..], Clock!.Uptime(flow.FirstMs));
        BinaryPrimitives.WriteUInt32BigEndian(r[28..], Clock.Uptime(flow.LastMs));
        BinaryPrimitives.WriteUInt16BigEndian(r[32..], flow.SrcPort);
        BinaryPrimitives.WriteUInt16BigEndian(r[34..], flow.DstPort);
        r[37] = flow.TcpFlags;
        r[38] = flow.Record.Protocol;

        // tos (39), src_as/dst_as (40, 42), masks (44, 45) and padding stay 0.
        Length += RecordLength;
        RecordWritten(flow, nowMs);
    }

    private protected override void FinishDatagram(long nowMs)
    {
        var header = Datagram.AsSpan(0, HeaderLength);
        var time = Clock!.IsSet ? Clock.HeaderTimeMs(nowMs, NewestMsInDatagram) : nowMs;
        BinaryPrimitives.WriteUInt16BigEndian(header, (ushort)NetFlowVersion.V5);
        BinaryPrimitives.WriteUInt16BigEndian(header[2..], (ushort)DataRecordsInDatagram);
        BinaryPrimitives.WriteUInt32BigEndian(header[4..], Clock.Uptime(time));
        BinaryPrimitives.WriteUInt32BigEndian(header[8..], (uint)(time / 1000));
        BinaryPrimitives.WriteUInt32BigEndian(header[12..], 0); // header times are whole seconds
        BinaryPrimitives.WriteUInt32BigEndian(header[16..], _flowSequence);
        header[20] = 0; // engine_type
        header[21] = (byte)Options.SourceId;
        BinaryPrimitives.WriteUInt16BigEndian(header[22..], 0); // not sampled
    }

    private protected override void OnSent(int dataRecords) => _flowSequence += (uint)dataRecords;
}
