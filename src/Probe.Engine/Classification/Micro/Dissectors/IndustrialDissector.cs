using System.Buffers.Binary;
using Flowhive.Probe.Engine.Classification.Micro.Catalog;
using Flowhive.Probe.Engine.Classification.Micro.Framework;

namespace Flowhive.Probe.Engine.Classification.Micro.Dissectors;

/// <summary>
/// Industrial and IoT protocols with a fixed header: Modbus/TCP (port 502, MBAP protocol id 0 and a length that is
/// the rest of the segment), DNP3 (start bytes 0x05 0x64), IEC 60870-5-104 (port 2404, start byte 0x68 and an APDU
/// length), MQTT (a CONNECT naming "MQTT" or "MQIsdp") and BGP (the 16-byte all-ones marker on port 179).
/// </summary>
public sealed class IndustrialDissector : SignatureDissector
{
    public override string Name => "Industrial";

    public override DissectorTransports Transports => DissectorTransports.Tcp;

    public override IReadOnlyList<ushort> Protocols { get; } = [NdpiIds.Modbus, NdpiIds.Dnp3, NdpiIds.Iec60870, NdpiIds.Mqtt, NdpiIds.Bgp];

    protected override int PacketsToDecide => 3;

    protected override bool Matches(ref DissectorContext context) => ProtocolOf(ref context) != NdpiIds.Unknown;

    protected override void Report(ref DissectorContext context) => context.Flow.Detect(ProtocolOf(ref context));

    private static ushort ProtocolOf(ref DissectorContext context)
    {
        var p = context.Payload;
        if (OnPort(ref context, 502) && p.Length >= 8 && BinaryPrimitives.ReadUInt16BigEndian(p[2..]) == 0
            && BinaryPrimitives.ReadUInt16BigEndian(p[4..]) == p.Length - 6)
        {
            return NdpiIds.Modbus;
        }

        if (p.Length >= 10 && p[0] == 0x05 && p[1] == 0x64 && p[2] >= 5)
        {
            return NdpiIds.Dnp3;
        }

        if (OnPort(ref context, 2404) && p.Length >= 6 && p[0] == 0x68 && p[1] >= 4 && p[1] + 2 <= p.Length)
        {
            return NdpiIds.Iec60870;
        }

        if (OnPort(ref context, 179) && p.Length >= 19 && p[..16].IndexOfAnyExcept((byte)0xFF) < 0)
        {
            return NdpiIds.Bgp;
        }

        return IsMqttConnect(p) ? NdpiIds.Mqtt : NdpiIds.Unknown;
    }

    private static bool IsMqttConnect(ReadOnlySpan<byte> p)
    {
        if (p.Length < 12 || p[0] != 0x10)
        {
            return false;
        }

        // Remaining length: up to four 7-bit groups.
        var offset = 1;
        while (offset < 5 && offset < p.Length && (p[offset] & 0x80) != 0)
        {
            offset++;
        }

        offset++;
        return offset + 8 <= p.Length && (p[offset..].StartsWith("\0\u0004MQTT"u8) || p[offset..].StartsWith("\0\u0006MQIsdp"u8));
    }
}
