using System.Buffers.Binary;

namespace Flowhive.Shared.Wire.NetFlow;

/// <summary>
/// IPFIX (RFC 7011): a 16-byte header (length, export time, a sequence number counting data records, observation
/// domain id), template sets (id 2) whose ntop fields carry the enterprise bit and PEN 35632, and data sets.
/// Strings use the variable-length encoding (at most nProbe's length); times are absolute milliseconds
/// (flowStart/EndMilliseconds), so no clock arithmetic is needed.
/// </summary>
public sealed class IpfixEncoder : TemplateEncoder
{
    public const int IpfixHeaderLength = 16;

    private const ushort EnterpriseBit = 0x8000;
    private const ushort VariableLength = 0xFFFF;

    /// <summary>Data records sent before the open message (RFC 7011 §3.1).</summary>
    private uint _sequence;

    internal IpfixEncoder(NetFlowEncoderOptions options)
        : base(options, clock: null)
    {
    }

    private protected override int HeaderLength => IpfixHeaderLength;

    private protected override ushort TemplateSetId => 2;

    private protected override bool PadSets => false;

    private protected override int WriteFieldSpecifier(Span<byte> destination, InformationElement element, bool variableLength)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)(element.IpfixId | (element.IsEnterprise ? EnterpriseBit : 0)));
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], variableLength ? VariableLength : element.Length);
        if (!element.IsEnterprise)
        {
            return 4;
        }

        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], element.Enterprise);
        return 8;
    }

    private protected override void WriteHeader(Span<byte> header, long nowMs)
    {
        BinaryPrimitives.WriteUInt16BigEndian(header, (ushort)NetFlowVersion.Ipfix);
        BinaryPrimitives.WriteUInt16BigEndian(header[2..], (ushort)Length);
        BinaryPrimitives.WriteUInt32BigEndian(header[4..], (uint)(Math.Max(nowMs, 0) / 1000));
        BinaryPrimitives.WriteUInt32BigEndian(header[8..], _sequence);
        BinaryPrimitives.WriteUInt32BigEndian(header[12..], Options.SourceId);
    }

    private protected override void OnSent(int dataRecords)
    {
        _sequence += (uint)dataRecords;
        base.OnSent(dataRecords);
    }
}
