using Flowhive.Shared.Flows;
using Flowhive.Shared.Net;

namespace Flowhive.Collector.Node.Tests.Support;

/// <summary>Flow records as a probe exports them, with only the fields ingest reads, and batches of them.</summary>
public static class Flows
{
    /// <summary>2026-01-01T00:00:00Z in microseconds; whole milliseconds, the TLV wire's resolution.</summary>
    public const long T0 = 1_767_225_600_000_000;

    public static FlowRecord Record(
        string client, ushort clientPort, string server, ushort serverPort, byte protocol,
        ulong inBytes, ulong inPkts, ulong outBytes, ulong outPkts,
        FlowEndReason reason = FlowEndReason.IdleTimeout, long firstUs = T0, long lastUs = T0 + 1_000_000,
        ulong clientMac = 0, ulong serverMac = 0, ushort vlan = 0)
    {
        var src = IpAddr.Parse(client);
        return new FlowRecord
        {
            SrcAddr = src,
            DstAddr = IpAddr.Parse(server),
            SrcPort = clientPort,
            DstPort = serverPort,
            Protocol = protocol,
            IpVersion = (byte)(src.IsV4 ? 4 : 6),
            Vlan = vlan,
            SrcMac = clientMac,
            DstMac = serverMac,
            InBytes = inBytes,
            InPkts = inPkts,
            OutBytes = outBytes,
            OutPkts = outPkts,
            FirstSwitchedUs = firstUs,
            LastSwitchedUs = lastUs,
            EndReason = reason,
        };
    }

    /// <summary>Records in pooled batches of the pool's capacity, in order.</summary>
    public static IEnumerable<FlowBatch> Batches(FlowBatchPool pool, IEnumerable<FlowRecord> records)
    {
        FlowBatch? batch = null;
        foreach (var record in records)
        {
            batch ??= pool.Rent();
            batch.Add(record);
            if (batch.IsFull)
            {
                yield return batch;
                batch = null;
            }
        }

        if (batch is not null)
        {
            yield return batch;
        }
    }
}
