using Flowhive.Probe.Engine.Capture;
using Flowhive.Probe.Engine.Decode;
using Flowhive.Probe.Engine.Tests.Classification.Corpus;

namespace Flowhive.Probe.Engine.Tests.Classification.Fuzz;

/// <summary>Real conversations from the labelled corpus, cut into payload packets, for the fuzzers to mutate.</summary>
public static class SeedFlows
{
    /// <summary>Payload packets kept per flow: enough for a handshake and a certificate flight.</summary>
    public const int MaxPacketsPerFlow = 12;

    /// <summary>The flows of <paramref name="pcaps"/> (corpus file names) whose server port (the first packet's destination) <paramref name="isServerPort"/> accepts.</summary>
    public static IReadOnlyList<SeedFlow> From(IEnumerable<string> pcaps, byte l4, Func<ushort, bool> isServerPort)
    {
        var flows = new List<SeedFlow>();
        foreach (var pcap in pcaps)
        {
            var byKey = new Dictionary<string, (DecodedPacket First, List<SeedPacket> Packets)>(StringComparer.Ordinal);
            using var reader = new PcapFileReader(DevCorpus.PcapPath(pcap));
            var batch = new PacketBatch();
            while (reader.Read(batch) == ReadStatus.Packets)
            {
                for (var i = 0; i < batch.Count; i++)
                {
                    var frame = batch.Packet(i);
                    var p = default(DecodedPacket);
                    if (PacketDecoder.Decode(frame, batch.LinkTypes[i], ref p) != DecodeStatus.Ok || p.Protocol != l4 || p.PayloadLength <= 0 || p.IsLaterFragment)
                    {
                        continue;
                    }

                    var key = CorpusRun.Key(p.Protocol, p.Src.ToString(), p.SrcPort, p.Dst.ToString(), p.DstPort, p.Vlan);
                    if (!byKey.TryGetValue(key, out var flow))
                    {
                        flow = (p, []);
                        byKey[key] = flow;
                    }

                    if (flow.Packets.Count < MaxPacketsPerFlow)
                    {
                        var fromClient = p.Src == flow.First.Src && p.SrcPort == flow.First.SrcPort;
                        var payload = frame.Slice(p.PayloadOffset, Math.Min(p.PayloadLength, frame.Length - p.PayloadOffset)).ToArray();
                        flow.Packets.Add(new SeedPacket(p, payload, fromClient, batch.TimestampsUs[i]));
                    }
                }
            }

            flows.AddRange(byKey.Values.Where(f => isServerPort(f.First.DstPort) || isServerPort(f.First.SrcPort)).Select(f => new SeedFlow(pcap, f.Packets)));
        }

        return flows;
    }
}
