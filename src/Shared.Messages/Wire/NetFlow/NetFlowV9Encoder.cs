using System.Buffers.Binary;

namespace Flowhive.Shared.Wire.NetFlow;

/// <summary>
/// NetFlow v9 (RFC 3954): a 20-byte header (count of all records, sysUptime, unix seconds, a sequence number
/// counting datagrams, source id), template flowsets (id 0) and data flowsets padded to 4 bytes. Strings have
/// nProbe's fixed lengths, zero-padded. FIRST_SWITCHED/LAST_SWITCHED are sysUptime milliseconds (see
/// <see cref="SysUptimeClock"/> for how replays of old captures keep their real times).
/// </summary>
public sealed class NetFlowV9Encoder : TemplateEncoder
{
    public const int V9HeaderLength = 20;

    /// <summary>Datagrams sent before the open one.</summary>
    private uint _sequence;

    internal NetFlowV9Encoder(NetFlowEncoderOptions options)
        : base(options, new SysUptimeClock((long)options.BootMargin.TotalMilliseconds))
    {
    }

    private protected override int HeaderLength => V9HeaderLength;

    private protected override ushort TemplateSetId => 0;

    private protected override bool PadSets => true;

    private protected override int WriteFieldSpecifier(Span<byte> destination, InformationElement element, bool variableLength)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, element.V9Id);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], element.Length);
        return 4;
    }

    private protected override void WriteHeader(Span<byte> header, long nowMs)
    {
        // A datagram with templates only, before any flow set the clock, says "just booted".
        var clock = Clock!;
        var time = clock.IsSet ? clock.HeaderTimeMs(nowMs, NewestMsInDatagram) : nowMs;
        BinaryPrimitives.WriteUInt16BigEndian(header, (ushort)NetFlowVersion.V9);
        BinaryPrimitives.WriteUInt16BigEndian(header[2..], (ushort)RecordsInDatagram);
        BinaryPrimitives.WriteUInt32BigEndian(header[4..], clock.IsSet ? clock.Uptime(time) : 0);
        BinaryPrimitives.WriteUInt32BigEndian(header[8..], (uint)(time / 1000));
        BinaryPrimitives.WriteUInt32BigEndian(header[12..], _sequence);
        BinaryPrimitives.WriteUInt32BigEndian(header[16..], Options.SourceId);
    }

    private protected override void OnSent(int dataRecords)
    {
        _sequence++;
        base.OnSent(dataRecords);
    }
}
