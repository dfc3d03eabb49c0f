using System.Buffers.Binary;

namespace Flowhive.Shared.Wire.NetFlow;

/// <summary>
/// What NetFlow v9 and IPFIX share: two templates (IPv4 flows on <see cref="NetFlowEncoderOptions.TemplateId"/>,
/// IPv6 flows on the next id), sent in the first datagram, again every <see cref="NetFlowEncoderOptions.TemplateRefreshPackets"/>
/// datagrams or <see cref="NetFlowEncoderOptions.TemplateRefreshInterval"/>, and after the v9 clock moved; data
/// records grouped in one set per run of the same template. Each record is encoded into a scratch buffer first,
/// so its exact size is known before it is placed (IPFIX strings vary in length).
/// </summary>
public abstract class TemplateEncoder : NetFlowEncoder
{
    private protected const int SetHeaderLength = 4;

    private readonly TemplateLayout _ipv4;
    private readonly TemplateLayout _ipv6;
    private readonly TemplateLayout[] _layouts;
    private readonly byte[] _scratch;
    private readonly long _refreshMs;
    private bool _templatesDue = true;
    private int _datagramsSinceTemplates;
    private long _templatesSentMs;
    private bool _templatesEverSent;
    private int _setStart = -1;
    private ushort _setId;

    private protected TemplateEncoder(NetFlowEncoderOptions options, SysUptimeClock? clock)
        : base(options, clock)
    {
        _ipv4 = new TemplateLayout(options.Template.ForFamily(4, options.Version), options.TemplateId, 4, options.Version);
        _ipv6 = new TemplateLayout(options.Template.ForFamily(6, options.Version), (ushort)(options.TemplateId + 1), 6, options.Version);
        _layouts = [_ipv4, _ipv6];
        _refreshMs = (long)options.TemplateRefreshInterval.TotalMilliseconds;
        if (options.TemplateId < 256 || options.TemplateId == ushort.MaxValue)
        {
            throw new ArgumentException($"template id {options.TemplateId} is reserved: data templates use 256 to 65534");
        }

        var recordRoom = options.Mtu - HeaderLength - SetHeaderLength - (PadSets ? 3 : 0);
        var templateRoom = options.Mtu - HeaderLength - SetHeaderLength;
        foreach (var layout in _layouts)
        {
            if (layout.MaxRecordLength > recordRoom)
            {
                throw new ArgumentException(
                    $"an IPv{layout.Family} record of this template takes up to {layout.MaxRecordLength} bytes, more than a {options.Mtu}-byte datagram holds ({recordRoom})");
            }

            if (layout.TemplateRecordLength > templateRoom)
            {
                throw new ArgumentException($"the IPv{layout.Family} template ({layout.Elements.Length} fields) does not fit in a {options.Mtu}-byte datagram");
            }
        }

        _scratch = new byte[Math.Max(_ipv4.MaxRecordLength, _ipv6.MaxRecordLength)];
    }

    /// <summary>Fields of the template of IPv4 (4) or IPv6 (6) flows, as sent.</summary>
    public IReadOnlyList<InformationElement> TemplateFields(int family) => Layout(family).Elements;

    /// <summary>Template id of IPv4 (4) or IPv6 (6) flows.</summary>
    public ushort TemplateIdOf(int family) => Layout(family).TemplateId;

    private protected abstract int HeaderLength { get; }

    private protected abstract ushort TemplateSetId { get; }

    /// <summary>NetFlow v9 pads every flowset to 4 bytes (RFC 3954 §5.3); IPFIX does not need to.</summary>
    private protected abstract bool PadSets { get; }

    private protected override bool IsBidirectional => Options.Template.IsBidirectional;

    /// <summary>A template that keeps no field for a family (only IPv4-only fields, say) sends no flows of it.</summary>
    private protected override bool CanCarry(int family) => Layout(family).Elements.Length > 0;

    private protected override (ulong Bytes, ulong Packets) Capacity(int family)
    {
        var layout = Layout(family);
        return (layout.MaxBytes, layout.MaxPackets);
    }

    /// <summary>Records in the open datagram, template records included (the v9 header's count).</summary>
    private protected int RecordsInDatagram { get; private set; }

    /// <summary>Writes one field specifier; returns its length.</summary>
    private protected abstract int WriteFieldSpecifier(Span<byte> destination, InformationElement element, bool variableLength);

    private protected abstract void WriteHeader(Span<byte> header, long nowMs);

    public override void Tick(long nowMs, INetFlowDatagramSink sink)
    {
        base.Tick(nowMs, sink);
        if (!_templatesEverSent || nowMs - _templatesSentMs >= _refreshMs)
        {
            // Templates on their own: a collector that restarted gets them within the interval even when no flow comes.
            Flush(nowMs, sink);
            _templatesDue = true;
            BeginDatagram(nowMs, sink);
            SendDatagram(nowMs, sink);
        }
    }

    private protected override void AppendRecord(scoped in DirectionalFlow flow, long nowMs, INetFlowDatagramSink sink)
    {
        var layout = Layout(flow.Family);
        var state = State;
        var length = 0;
        for (var i = 0; i < layout.Elements.Length; i++)
        {
            length += ElementWriter.Write(layout.Elements[i], layout.Variable[i], flow, state, _scratch.AsSpan(length));
        }

        // At most three rounds: a datagram with records, then one whose templates leave no room, then an empty one.
        while (true)
        {
            if (Length == 0)
            {
                BeginDatagram(nowMs, sink);
            }

            var setOverhead = IsSetOpen(layout.TemplateId) ? 0 : SetHeaderLength + ClosingPadding();
            if (Length + setOverhead + length + (PadSets ? 3 : 0) <= Options.Mtu)
            {
                break;
            }

            SendDatagram(nowMs, sink);
        }

        if (!IsSetOpen(layout.TemplateId))
        {
            CloseSet();
            OpenSet(layout.TemplateId);
        }

        _scratch.AsSpan(0, length).CopyTo(Datagram.AsSpan(Length));
        Length += length;
        RecordsInDatagram++;
        RecordWritten(flow, nowMs);
    }

    private protected override void FinishDatagram(long nowMs)
    {
        CloseSet();
        WriteHeader(Datagram.AsSpan(0, HeaderLength), nowMs);
    }

    private protected override void OnSent(int dataRecords)
    {
        RecordsInDatagram = 0;
        if (++_datagramsSinceTemplates >= Options.TemplateRefreshPackets)
        {
            _templatesDue = true;
        }
    }

    /// <summary>A collector may take a sysUptime that went back for an exporter restart and forget its templates.</summary>
    private protected override void OnClockRebased() => _templatesDue = true;

    private TemplateLayout Layout(int family) => family == 6 ? _ipv6 : _ipv4;

    private void BeginDatagram(long nowMs, INetFlowDatagramSink sink)
    {
        Length = HeaderLength;
        RecordsInDatagram = 0;
        if (_templatesDue)
        {
            WriteTemplates(nowMs, sink);
        }
    }

    private void WriteTemplates(long nowMs, INetFlowDatagramSink sink)
    {
        foreach (var layout in _layouts)
        {
            if (layout.Elements.Length == 0)
            {
                continue; // an IPFIX template with no field would withdraw the id
            }

            var setOverhead = IsSetOpen(TemplateSetId) ? 0 : SetHeaderLength + ClosingPadding();
            if (Length + setOverhead + layout.TemplateRecordLength > Options.Mtu)
            {
                SendDatagram(nowMs, sink);
                Length = HeaderLength;
            }

            if (!IsSetOpen(TemplateSetId))
            {
                CloseSet();
                OpenSet(TemplateSetId);
            }

            var record = Datagram.AsSpan(Length);
            BinaryPrimitives.WriteUInt16BigEndian(record, layout.TemplateId);
            BinaryPrimitives.WriteUInt16BigEndian(record[2..], (ushort)layout.Elements.Length);
            var position = 4;
            for (var i = 0; i < layout.Elements.Length; i++)
            {
                position += WriteFieldSpecifier(record[position..], layout.Elements[i], layout.Variable[i]);
            }

            Length += position;
            RecordsInDatagram++;
            Counters.TemplatesSent++;
        }

        _templatesDue = false;
        _templatesEverSent = true;
        _templatesSentMs = nowMs;
        _datagramsSinceTemplates = 0;
    }

    /// <summary>Whether the set being written has this id (v9 template flowsets are id 0, so the id alone cannot say).</summary>
    private bool IsSetOpen(ushort id) => _setStart >= 0 && _setId == id;

    private void OpenSet(ushort id)
    {
        _setStart = Length;
        _setId = id;
        BinaryPrimitives.WriteUInt16BigEndian(Datagram.AsSpan(Length), id);
        Length += SetHeaderLength;
    }

    private int ClosingPadding() => PadSets && _setStart >= 0 ? (4 - ((Length - _setStart) % 4)) % 4 : 0;

    private void CloseSet()
    {
        if (_setStart < 0)
        {
            return;
        }

        var padding = ClosingPadding();
        Datagram.AsSpan(Length, padding).Clear();
        Length += padding;
        BinaryPrimitives.WriteUInt16BigEndian(Datagram.AsSpan(_setStart + 2), (ushort)(Length - _setStart));
        _setStart = -1;
        _setId = 0;
    }
}
