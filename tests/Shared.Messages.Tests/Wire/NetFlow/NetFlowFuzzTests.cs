using System.Diagnostics;
using Flowhive.Shared.Flows;
using Flowhive.Shared.Net;
using Flowhive.Shared.Wire.NetFlow;
using Xunit.Abstractions;

namespace Flowhive.Shared.Messages.Tests.Wire.NetFlow;

/// <summary>
/// Seeded mutation fuzzing of the NetFlow/IPFIX decoder: real datagrams from our encoders (templates and data,
/// strings, both IP versions, options templates) mutated byte by byte, cut, extended and with their length fields
/// pushed to extremes. One decoder per version keeps its templates across inputs, so mutated templates meet
/// mutated data. Fixed seeds keep failures reproducible; a failure reports the input in hex.
/// </summary>
public sealed class NetFlowFuzzTests(ITestOutputHelper output)
{
    // 1,000,000 inputs in all; small datagrams (two flows each) keep the Debug-build run short. Measured on the shared 2-core machine in a Debug build: see the output of each test.
    private const int V5Inputs = 300_000;
    private const int V9Inputs = 350_000;
    private const int IpfixInputs = 350_000;

    private static readonly NetFlowExporterId Exporter = new(IpAddr.Parse("198.51.100.7"), 2055);

    /// <summary>Bytes that mean something to the decoder: zero lengths, set ids, the variable-length marker, the enterprise bit.</summary>
    private static readonly byte[] Interesting = [0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x09, 0x0A, 0x7F, 0x80, 0xFE, 0xFF];

    [Fact]
    public void Mutated_v5_datagrams_never_throw_and_stay_bounded() => Fuzz(NetFlowVersion.V5, V5Inputs, 0x5EED_0005);

    [Fact]
    public void Mutated_v9_datagrams_never_throw_and_stay_bounded() => Fuzz(NetFlowVersion.V9, V9Inputs, 0x5EED_0009);

    [Fact]
    public void Mutated_ipfix_datagrams_never_throw_and_stay_bounded() => Fuzz(NetFlowVersion.Ipfix, IpfixInputs, 0x5EED_0010);

    private void Fuzz(NetFlowVersion version, int inputs, int seed)
    {
        var corpus = Corpus(version);
        var random = new Random(seed);
        var decoder = new NetFlowDecoder(maxTemplates: 64);
        var records = new List<FlowRecord>();
        var scratch = new byte[4096];
        var stopwatch = Stopwatch.StartNew();
        long decoded = 0;
        long problems = 0;

        for (var i = 0; i < inputs; i++)
        {
            var source = corpus[random.Next(corpus.Length)];
            var length = Mutate(random, source, scratch);
            var input = scratch.AsSpan(0, length);
            records.Clear();
            NetFlowDecodeResult result;
            try
            {
                result = decoder.Decode(input, Exporter, records, maxRecords: 1000);
            }
            catch (Exception e)
            {
                Assert.Fail($"input {i}: {e.GetType().Name} {e.Message} for {Convert.ToHexString(input)}");
                return;
            }

            // Every record takes at least one byte of a data set; at most the limit is decoded.
            if (result.RecordsDecoded != records.Count || result.RecordsDecoded > Math.Min(length, 1000) || result.RecordsDropped > length
                || decoder.TemplateCount > 64)
            {
                Assert.Fail($"input {i}: unbounded result {result} ({decoder.TemplateCount} templates) for {Convert.ToHexString(input)}");
            }

            foreach (var record in records)
            {
                if (record.Metadata is { } m && (m.DnsQuery?.Length > ushort.MaxValue || m.HttpUserAgent?.Length > ushort.MaxValue))
                {
                    Assert.Fail($"input {i}: string longer than a field can be");
                }
            }

            decoded += result.RecordsDecoded;
            problems += result.Status == NetFlowDecodeStatus.Ok ? 0 : 1;
        }

        output.WriteLine($"{version}: {inputs:N0} inputs in {stopwatch.Elapsed.TotalSeconds:F1} s; {decoded:N0} records decoded, {problems:N0} inputs with a problem");
        output.WriteLine(string.Join(", ", decoder.Counters.Problems.Select(p => $"{p.Status}={p.Count}")));

        // The mutations must reach the decoder's paths: both good records and several kinds of problem.
        Assert.True(decoded > inputs / 20, $"only {decoded} records decoded: the corpus no longer exercises data records");
        Assert.True(decoder.Counters.Problems.Count() >= 3, "mutations hit too few problem kinds");
    }

    /// <summary>Datagrams as our encoders write them, plus a hand-made v9 options template for that version.</summary>
    private static byte[][] Corpus(NetFlowVersion version)
    {
        var corpus = new List<byte[]>();
        var templates = version == NetFlowVersion.V5
            ? [FlowTemplate.NprobeDefault]
            : new[] { FlowTemplate.NprobeDefault, FlowTemplate.Parse("@NTOPNG@ %L7_PROTO_NAME"), FlowTemplate.Parse("%IPV4_SRC_ADDR %IPV4_DST_ADDR %IN_BYTES %L7_INFO %DNS_QUERY") };
        foreach (var template in templates)
        {
            var encoder = NetFlowEncoder.Create(new NetFlowEncoderOptions { Version = version, Template = template, Mtu = 1400 });
            var sink = new DatagramCollector();
            for (var i = 0; i < 12; i++)
            {
                var flow = i % 3 == 0 ? SampleFlows.Ipv6(i) : SampleFlows.Ipv4(i);
                flow.OutBytes = 1000 + (ulong)i;
                if (i % 2 == 0)
                {
                    flow = SampleFlows.WithMetadata(flow);
                }

                encoder.Add(flow, (SampleFlows.StartUs / 1000) + 5000, sink);
                if (i % 2 == 1)
                {
                    encoder.Flush((SampleFlows.StartUs / 1000) + 5000, sink);
                }
            }

            encoder.Flush((SampleFlows.StartUs / 1000) + 5000, sink);
            corpus.AddRange(sink.Datagrams);
        }

        if (version == NetFlowVersion.V9)
        {
            var b = DatagramBuilder.V9();
            var set = b.OpenSet(1);
            b.U16(400).U16(4).U16(8).U16(1).U16(4).U16(34).U16(4).U16(35).U16(1);
            b.CloseSet(set);
            set = b.OpenSet(400);
            b.U32(0).U32(100).U8(2).U32(0).U32(10).U8(1);
            b.CloseSet(set);
            corpus.Add(b.ToArray());
        }

        return [.. corpus];
    }

    /// <summary>One seeded mutation of <paramref name="source"/> into <paramref name="destination"/>; returns its length. Shared with the sFlow fuzz test.</summary>
    internal static int Mutate(Random random, byte[] source, byte[] destination)
    {
        var length = Math.Min(source.Length, destination.Length);
        source.AsSpan(0, length).CopyTo(destination);
        var edits = 1 + random.Next(4);
        for (var e = 0; e < edits; e++)
        {
            switch (random.Next(7))
            {
                case 0: // flip a bit
                    destination[random.Next(length)] ^= (byte)(1 << random.Next(8));
                    break;
                case 1: // an interesting byte
                    destination[random.Next(length)] = Interesting[random.Next(Interesting.Length)];
                    break;
                case 2: // cut the tail
                    length = random.Next(length + 1);
                    break;
                case 3: // random bytes appended
                    var extra = Math.Min(random.Next(64), destination.Length - length);
                    random.NextBytes(destination.AsSpan(length, extra));
                    length += extra;
                    break;
                case 4: // a 16-bit length or count pushed to an extreme, at a 4-byte-aligned offset where sets and fields start
                    if (length >= 4)
                    {
                        var at = random.Next(length / 2) * 2;
                        var value = random.Next(4) switch { 0 => 0, 1 => 0xFFFF, 2 => 4, _ => random.Next(65536) };
                        destination[at] = (byte)(value >> 8);
                        if (at + 1 < length)
                        {
                            destination[at + 1] = (byte)value;
                        }
                    }

                    break;
                case 5: // a chunk duplicated over another place (sets repeated, shifted)
                    if (length > 8)
                    {
                        var from = random.Next(length - 4);
                        var size = Math.Min(random.Next(1, 64), length - from);
                        var to = random.Next(length - size + 1);
                        destination.AsSpan(from, size).ToArray().CopyTo(destination.AsSpan(to));
                    }

                    break;
                default: // random byte
                    destination[random.Next(length == 0 ? 1 : length)] = (byte)random.Next(256);
                    break;
            }

            if (length == 0)
            {
                break;
            }
        }

        return length;
    }
}
