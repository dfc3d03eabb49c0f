using Flowhive.Shared.Flows;

namespace Flowhive.Shared.Wire.NetFlow;

/// <summary>
/// Turns bidirectional flow records into NetFlow v5, v9 or IPFIX datagrams of at most <see cref="NetFlowEncoderOptions.Mtu"/>
/// bytes, handed to a sink as they fill up. One encoder per collector: sequence numbers and template refreshes are
/// per stream. Not thread-safe; allocates nothing per flow.
/// <para>
/// Directions: NetFlow v5, and any template without OUT_BYTES/OUT_PKTS, describe one direction per record, so a
/// flow becomes two records, client to server (In* counters) and server to client (Out* counters, with addresses,
/// ports and MACs swapped); a direction without packets is not sent. A template with OUT_BYTES or OUT_PKTS gets one
/// record per flow carrying both directions, as nProbe's @NTOPNG@ template does.
/// </para>
/// <para>
/// Counters wider than their fields (a 4-byte IN_BYTES, a v5 dOctets) are not cut: the flow is sent as several
/// records that share its bytes and packets out, so collector totals stay right (<see cref="NetFlowEncoderCounters.ExtraSlices"/>).
/// </para>
/// </summary>
public abstract class NetFlowEncoder
{
    /// <summary>Bound on the slices of one record: beyond it counters saturate (a single flow of 4 TiB).</summary>
    private const uint MaxSlices = 1024;

    private readonly long _maxDelayMs;
    private long _datagramStartedMs;

    private protected NetFlowEncoder(NetFlowEncoderOptions options, SysUptimeClock? clock)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        Clock = clock;
        Datagram = new byte[options.Mtu];
        _maxDelayMs = (long)options.MaxDelay.TotalMilliseconds;
    }

    public NetFlowEncoderOptions Options { get; }

    public NetFlowEncoderCounters Counters { get; } = new();

    public NetFlowVersion Version => Options.Version;

    /// <summary>Whether a datagram with data records is waiting to be sent.</summary>
    public bool HasPendingRecords => DataRecordsInDatagram > 0;

    private protected SysUptimeClock? Clock { get; }

    private protected byte[] Datagram { get; }

    /// <summary>Bytes of the datagram being built; 0 when none is open.</summary>
    private protected int Length { get; set; }

    private protected int DataRecordsInDatagram { get; set; }

    /// <summary>Latest LAST_SWITCHED in the open datagram, for header times (v5/v9).</summary>
    private protected long NewestMsInDatagram { get; private set; } = long.MinValue;

    private protected EncodeState State => new(Options, Clock, Counters.Records);

    /// <summary>Builds the encoder for <see cref="NetFlowEncoderOptions.Version"/>; throws <see cref="ArgumentException"/> when the template cannot fit a datagram.</summary>
    public static NetFlowEncoder Create(NetFlowEncoderOptions options) => options.Version switch
    {
        NetFlowVersion.V5 => new NetFlowV5Encoder(options),
        NetFlowVersion.V9 => new NetFlowV9Encoder(options),
        NetFlowVersion.Ipfix => new IpfixEncoder(options),
        _ => throw new ArgumentOutOfRangeException(nameof(options), options.Version, "NetFlow version must be 5, 9 or 10"),
    };

    /// <summary>Encodes one flow (one or more records); full datagrams go to <paramref name="sink"/> on the way.</summary>
    public void Add(in FlowRecord record, long nowMs, INetFlowDatagramSink sink)
    {
        Counters.Flows++;
        var family = record.IpVersion is 4 or 6 ? record.IpVersion : record.SrcAddr.IsV4 ? 4 : 6;
        if (!CanCarry(family))
        {
            Counters.SkippedFlows++;
            return;
        }

        if (record.InPkts == 0 && record.OutPkts == 0)
        {
            Counters.EmptyFlows++;
            return;
        }

        if (IsBidirectional)
        {
            Emit(record, FlowDirection.Both, family, nowMs, sink);
            return;
        }

        if (record.InPkts > 0)
        {
            Emit(record, FlowDirection.Forward, family, nowMs, sink);
        }

        if (record.OutPkts > 0)
        {
            Emit(record, FlowDirection.Reverse, family, nowMs, sink);
        }
    }

    /// <summary>Time-based work: sends a datagram whose first record has waited <see cref="NetFlowEncoderOptions.MaxDelay"/>.</summary>
    public virtual void Tick(long nowMs, INetFlowDatagramSink sink)
    {
        if (DataRecordsInDatagram > 0 && nowMs - _datagramStartedMs >= _maxDelayMs)
        {
            SendDatagram(nowMs, sink);
        }
    }

    /// <summary>Sends whatever is in the open datagram.</summary>
    public void Flush(long nowMs, INetFlowDatagramSink sink)
    {
        if (Length > 0)
        {
            SendDatagram(nowMs, sink);
        }
    }

    /// <summary>Whether one record describes both directions.</summary>
    private protected abstract bool IsBidirectional { get; }

    private protected abstract bool CanCarry(int family);

    /// <summary>Largest byte and packet counts one record of this family holds.</summary>
    private protected abstract (ulong Bytes, ulong Packets) Capacity(int family);

    /// <summary>Writes one record into the open datagram, sending and opening datagrams as needed.</summary>
    private protected abstract void AppendRecord(scoped in DirectionalFlow flow, long nowMs, INetFlowDatagramSink sink);

    /// <summary>Writes the header and closes open sets; <see cref="Length"/> is then the datagram's size.</summary>
    private protected abstract void FinishDatagram(long nowMs);

    /// <summary>After a datagram went out (sequence numbers, template refresh counts).</summary>
    private protected virtual void OnSent(int dataRecords)
    {
    }

    /// <summary>After the v5/v9 boot time moved (not when the first flow sets it).</summary>
    private protected virtual void OnClockRebased()
    {
    }

    /// <summary>Notes a record written into the open datagram.</summary>
    private protected void RecordWritten(scoped in DirectionalFlow flow, long nowMs)
    {
        if (DataRecordsInDatagram == 0)
        {
            _datagramStartedMs = nowMs;
        }

        DataRecordsInDatagram++;
        Counters.Records++;
        NewestMsInDatagram = Math.Max(NewestMsInDatagram, flow.LastMs);
    }

    private protected void SendDatagram(long nowMs, INetFlowDatagramSink sink)
    {
        FinishDatagram(nowMs);
        sink.Send(Datagram.AsSpan(0, Length));
        Counters.Datagrams++;
        Counters.Bytes += Length;
        var dataRecords = DataRecordsInDatagram;
        Length = 0;
        DataRecordsInDatagram = 0;
        NewestMsInDatagram = long.MinValue;
        OnSent(dataRecords);
    }

    private void Emit(in FlowRecord record, FlowDirection direction, int family, long nowMs, INetFlowDatagramSink sink)
    {
        var (maxBytes, maxPackets) = Capacity(family);
        var whole = new DirectionalFlow(in record, direction);
        var bytes = Math.Max(whole.Bytes, whole.ReverseBytes);
        var packets = Math.Max(whole.Packets, whole.ReversePackets);
        var slices = (uint)Math.Min(Math.Max(Slices(bytes, maxBytes), Slices(packets, maxPackets)), MaxSlices);
        Counters.ExtraSlices += slices - 1;

        if (Clock is { } clock && !clock.Fits(whole.FirstMs, whole.LastMs))
        {
            // Records in the open datagram were written against the old boot time: they leave first.
            if (Length > 0)
            {
                SendDatagram(nowMs, sink);
            }

            var moved = clock.IsSet;
            clock.Rebase(whole.FirstMs, nowMs);
            if (moved)
            {
                Counters.ClockRebases++;
                OnClockRebased();
            }
        }

        for (var slice = 0u; slice < slices; slice++)
        {
            AppendRecord(new DirectionalFlow(in record, direction, slice, slices), nowMs, sink);
        }
    }

    private static ulong Slices(ulong value, ulong capacity) => value <= capacity ? 1 : (value / capacity) + (value % capacity == 0 ? 0UL : 1UL);
}
