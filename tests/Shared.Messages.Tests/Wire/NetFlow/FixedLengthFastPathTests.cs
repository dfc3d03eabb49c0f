using Flowhive.Shared.Flows;
using Flowhive.Shared.Net;
using Flowhive.Shared.Wire.NetFlow;

namespace Flowhive.Shared.Messages.Tests.Wire.NetFlow;

/// <summary>
/// Templates without variable-length fields are read by a fast path (fields at precomputed offsets, unused ones
/// skipped). The same records behind a template that ends in a variable-length field take the general loop: both
/// must give identical flow records and counters.
/// </summary>
public sealed class FixedLengthFastPathTests
{
    private static readonly NetFlowExporterId Exporter = new(IpAddr.Parse("192.0.2.1"), 4739);

    // (IPFIX id, length): addresses, ports, protocol, TCP flags, octets, packets, start/end ms, then fields Flowhive
    // does not use (ingressInterface, bgpSourceAsNumber, ipClassOfService) and samplingInterval (34).
    private static readonly (int Id, int Length)[] Fields =
        [(8, 4), (12, 4), (7, 2), (11, 2), (4, 1), (6, 1), (1, 8), (2, 4), (152, 8), (153, 8), (10, 4), (16, 4), (5, 1), (34, 4)];

    [Fact]
    public void Fixed_and_variable_length_templates_decode_the_same_records()
    {
        var random = new Random(7);
        var records = Enumerable.Range(0, 2000).Select(_ => RandomRecord(random)).ToList();

        var (fixedRecords, fixedCounters) = DecodeAll(records, variableTail: false);
        var (generalRecords, generalCounters) = DecodeAll(records, variableTail: true);

        Assert.Equal(records.Count, fixedRecords.Count);
        Assert.Equal(generalRecords, fixedRecords);
        Assert.Equal((generalCounters.Records, generalCounters.RecordsDropped, generalCounters[NetFlowDecodeStatus.InvalidValue]),
            (fixedCounters.Records, fixedCounters.RecordsDropped, fixedCounters[NetFlowDecodeStatus.InvalidValue]));
        Assert.Contains(fixedRecords, r => r.InPkts != 0 && r.InPkts % 100 == 0 && r.InBytes % 100 == 0); // sampled ones were scaled
    }

    private static byte[][] RandomRecord(Random random)
    {
        var sampling = random.Next(4) == 0 ? (uint)100 : 0u;
        return
        [
            BigEndian((uint)random.Next(1, int.MaxValue), 4), BigEndian((uint)random.Next(1, int.MaxValue), 4),
            BigEndian((ulong)random.Next(65536), 2), BigEndian((ulong)random.Next(65536), 2),
            [(byte)random.Next(256)], [(byte)random.Next(256)],
            BigEndian((ulong)random.NextInt64(0, long.MaxValue / 1000), 8), BigEndian((ulong)random.Next(), 4),
            BigEndian(1_767_225_600_000UL + (ulong)random.Next(1_000_000), 8), BigEndian(1_767_225_700_000UL + (ulong)random.Next(1_000_000), 8),
            BigEndian((ulong)random.Next(), 4), BigEndian((ulong)random.Next(), 4), [(byte)random.Next(256)], BigEndian(sampling, 4),
        ];
    }

    private static (List<FlowRecord> Records, NetFlowDecodeCounters Counters) DecodeAll(List<byte[][]> records, bool variableTail)
    {
        var decoder = new NetFlowDecoder();
        var decoded = new List<FlowRecord>();
        foreach (var chunk in records.Chunk(20))
        {
            var b = DatagramBuilder.Ipfix();
            var set = b.OpenSet(2);
            b.U16(300).U16(Fields.Length + (variableTail ? 1 : 0));
            foreach (var (id, length) in Fields)
            {
                b.U16(id).U16(length);
            }

            if (variableTail)
            {
                b.U16(82).U16(0xFFFF); // interfaceName, variable length: not used for flows, but it forces the general loop
            }

            b.CloseSet(set);
            set = b.OpenSet(300);
            foreach (var record in chunk)
            {
                foreach (var value in record)
                {
                    b.Bytes(value);
                }

                if (variableTail)
                {
                    b.U8(4).Bytes("eth0"u8.ToArray());
                }
            }

            b.CloseSet(set);
            decoder.Decode(b.FinishIpfix(), Exporter, decoded);
        }

        return (decoded, decoder.Counters);
    }

    private static byte[] BigEndian(ulong value, int length)
    {
        var bytes = new byte[length];
        for (var i = length - 1; i >= 0; i--, value >>= 8)
        {
            bytes[i] = (byte)value;
        }

        return bytes;
    }
}
