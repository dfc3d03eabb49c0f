using System.Buffers.Binary;
using System.Diagnostics;
using Flowhive.Probe.Engine.Capture;
using Flowhive.Probe.Engine.Classification.Ndpi;
using Flowhive.Probe.Engine.Decode;
using Flowhive.Probe.Engine.Flows;
using Flowhive.Probe.Engine.Tests.Fuzz;
using Flowhive.Shared.Flows;
using Xunit.Abstractions;

namespace Flowhive.Probe.Engine.Tests.Classification;

/// <summary>
/// Bad input through the nDPI engine: real packets of the labelled corpus (TLS hellos, DNS, HTTP, QUIC, SMB... the
/// bytes nDPI's dissectors parse deepest), cut short and mutated, decoded and fed through a bounded flow table.
/// Nothing may crash or throw, every flow's nDPI state must be released, and packets the capture cut short (or whose
/// IP header claims more than was captured) must never reach nDPI.
/// </summary>
public sealed class NdpiBadInputTests(ITestOutputHelper output)
{
    private const int MutatedFrames = 1_000_000;

    [Fact]
    public void Mutated_corpus_packets_never_crash_ndpi_and_every_flow_state_is_released()
    {
        var corpus = CorpusFrames();
        var mutator = new FrameMutator([.. corpus.Select(c => c.Frame)], seed: 4242);
        using var engine = Engine();
        using var classifier = engine.CreateClassifier();
        var sink = new CountingSink();
        var table = new FlowTable(new FlowTableOptions
        {
            MaxFlows = 1024,
            IdleTimeout = TimeSpan.FromSeconds(5),
            Lifetime = TimeSpan.FromSeconds(20),
            TcpCloseGrace = TimeSpan.FromSeconds(1),
        }, sink, classifier);
        var buffer = new byte[FrameMutator.MaxFrame];
        var decoded = default(DecodedPacket);
        var now = 1_700_000_000_000_000L;
        long ok = 0;
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < MutatedFrames; i++)
        {
            var length = mutator.Next(buffer, out var source);
            var frame = buffer.AsSpan(0, length);
            now += 500;
            try
            {
                if (PacketDecoder.Decode(frame, (int)corpus[source].Link, ref decoded) == DecodeStatus.Ok)
                {
                    ok++;
                    table.Process(ref decoded, now, frame);
                }
            }
            catch (Exception e)
            {
                throw new InvalidOperationException($"frame {i} threw: {Convert.ToHexString(frame)}", e);
            }
        }

        table.ExportAll();
        watch.Stop();

        Assert.Equal(0, classifier.ActiveFlows);
        Assert.True(classifier.PacketsProcessed > MutatedFrames / 4, $"only {classifier.PacketsProcessed} packets reached nDPI: the fuzz is not exercising it");
        Assert.True(sink.Classified > 0, "no mutated flow was classified at all: the corpus frames did not reach the dissectors");
        output.WriteLine($"{MutatedFrames:N0} mutated frames from {corpus.Count:N0} corpus frames in {watch.Elapsed.TotalSeconds:F1} s: " +
                         $"{ok:N0} decoded, {classifier.PacketsProcessed:N0} given to nDPI, {sink.Records:N0} flows, {sink.Classified:N0} classified");
    }

    [Fact]
    public void Packets_cut_short_by_the_capture_or_claiming_more_than_captured_never_reach_ndpi()
    {
        using var engine = Engine();
        using var classifier = engine.CreateClassifier();
        var table = new FlowTable(new FlowTableOptions(), new CountingSink(), classifier);
        var decoded = default(DecodedPacket);
        var checkedFrames = 0;
        foreach (var (frame, link) in CorpusFrames().Where(c => c.Link == LinkType.Ethernet).Take(2000))
        {
            // Every cut of an IPv4 TCP/UDP packet after the IP header, and the same packet with its total length raised.
            // (Tunnels are left out: there nDPI reads the inner packet, whose own header may well be honest.)
            if (frame.Length < 14 + 20 + 8 || BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(12)) != 0x0800 || frame[14 + 9] is not (6 or 17))
            {
                continue;
            }

            var before = classifier.PacketsProcessed;
            for (var cut = 14 + 20; cut < frame.Length; cut += 7)
            {
                var truncated = frame.AsSpan(0, cut);
                if (PacketDecoder.Decode(truncated, (int)link, ref decoded) == DecodeStatus.Ok &&
                    14 + BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(16)) > cut)
                {
                    table.Process(ref decoded, 1_000_000, truncated);
                }
            }

            var liar = frame.ToArray();
            BinaryPrimitives.WriteUInt16BigEndian(liar.AsSpan(16), (ushort)Math.Min(ushort.MaxValue, frame.Length - 14 + 1000));
            if (PacketDecoder.Decode(liar, (int)link, ref decoded) == DecodeStatus.Ok)
            {
                table.Process(ref decoded, 1_000_000, liar);
            }

            Assert.True(before == classifier.PacketsProcessed, $"a cut or lying copy of this frame reached nDPI: {Convert.ToHexString(frame)}");
            checkedFrames++;
        }

        table.ExportAll();
        Assert.True(checkedFrames > 500, $"only {checkedFrames} IPv4 frames checked");
        Assert.Equal(0, classifier.ActiveFlows);
    }

    private static NdpiEngine Engine()
    {
        Assert.True(NdpiEngine.TryCreate(new NdpiOptions(), out var engine, out var reason), $"nDPI engine unavailable: {reason}");
        return engine;
    }

    /// <summary>Every frame of the dev corpus that fits the mutator's buffer, with its link type.</summary>
    private static List<(byte[] Frame, LinkType Link)> CorpusFrames()
    {
        var frames = new List<(byte[], LinkType)>();
        var batch = new PacketBatch();
        foreach (var pcap in Directory.GetFiles(Path.Combine(NdpiAccuracyTests.CorpusDirectory(), "pcap")).Order(StringComparer.Ordinal))
        {
            using var reader = new PcapFileReader(pcap);
            while (reader.Read(batch) == ReadStatus.Packets)
            {
                for (var i = 0; i < batch.Count; i++)
                {
                    if (batch.CapturedLengths[i] <= FrameMutator.MaxFrame - 64)
                    {
                        frames.Add((batch.Buffer.AsSpan(batch.Offsets[i], batch.CapturedLengths[i]).ToArray(), (LinkType)batch.LinkTypes[i]));
                    }
                }
            }
        }

        Assert.True(frames.Count > 10_000, $"only {frames.Count} corpus frames");
        return frames;
    }

    private sealed class CountingSink : IFlowSink
    {
        public long Records { get; private set; }

        public long Classified { get; private set; }

        public void Export(in FlowRecord record)
        {
            Records++;
            if (record.L7App != 0)
            {
                Classified++;
            }
        }

        public void Flush()
        {
        }
    }
}
