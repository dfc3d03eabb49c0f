using System.Diagnostics;
using Flowhive.Probe.Engine.Classification;
using Flowhive.Probe.Engine.Classification.Micro;
using Xunit.Abstractions;

namespace Flowhive.Probe.Engine.Tests.Classification.Fuzz;

/// <summary>
/// Every micro-engine parser against a million mutated packets: real conversations from the corpus, mutated by a
/// seeded havoc mutator, fed through the engine as the flow table would (a fresh flow per run, the same packet
/// limit). The bar: no exception escapes (a read past a packet is an IndexOutOfRangeException in managed code, so
/// this is also the over-read check), and allocation stays bounded per flow (strings for metadata only; buffers
/// are pooled and capped).
/// </summary>
public sealed class MicroFuzzTests(ITestOutputHelper output)
{
    private const int MutatedPacketsPerTarget = 1_000_000;

    /// <summary>A flow may allocate its metadata strings and a few small objects; a parser that sized anything by a length field would blow this.</summary>
    private const long MaxBytesPerFlow = 64 * 1024;

    public static TheoryData<string> Targets() => [.. FuzzTarget.All.Keys];

    [Theory]
    [MemberData(nameof(Targets))]
    public void A_million_mutated_packets_raise_no_exception_and_allocate_boundedly(string name)
    {
        var target = FuzzTarget.All[name];
        IReadOnlyList<SeedFlow> seeds = [.. SeedFlows.From(target.Pcaps, target.L4, target.IsServerPort), .. target.Synthetic?.Invoke() ?? []];
        Assert.True(seeds.Count > 0, $"{name}: no seed flow in {string.Join(", ", target.Pcaps)}");

        var mutator = new Mutator(seed: name.GetHashCode(StringComparison.Ordinal) & 0x7FFF_FFFF ^ 0x5EED);
        var random = mutator.Random;
        var engine = new MicroEngine();
        var classifier = engine.CreateClassifier();
        var buffer = new byte[64 * 1024];
        var mutated = 0L;
        var runs = 0L;
        var maxBytes = 0L;
        var stopwatch = Stopwatch.StartNew();
        var totalBytes = GC.GetAllocatedBytesForCurrentThread();
        while (mutated < MutatedPacketsPerTarget)
        {
            var seed = seeds[random.Next(seeds.Count)];
            // Half the runs break the first packet (most flows are decided there); the rest a later one, behind
            // intact packets, to reach the parsers that need a handshake first (certificates, reassembled hellos).
            var forced = random.Next(2) == 0 ? 0 : random.Next(seed.Packets.Count);
            var state = default(FlowClassification);
            var before = GC.GetAllocatedBytesForCurrentThread();
            // From the forced packet on, every packet is mutated, for two more packets: what follows a bad packet is where
            // carried state (reassembly buffers, half-parsed handshakes) bites.
            var end = Math.Min(seed.Packets.Count, forced + 3);
            for (var i = 0; i < end && state.PacketsInspected < classifier.MaxPacketsPerFlow; i++)
            {
                var packet = seed.Packets[i];
                var length = packet.Payload.Length;
                ReadOnlySpan<byte> payload = packet.Payload;
                if (i >= forced || random.Next(4) == 0)
                {
                    length = mutator.Mutate(packet.Payload, buffer);
                    payload = buffer.AsSpan(0, length);
                    mutated++;
                }

                var headers = packet.Headers;
                headers.PayloadLength = length;
                state.PacketsInspected++;
                try
                {
                    if (classifier.Inspect(ref state, headers, payload, packet.FromClient, packet.TimestampUs))
                    {
                        break;
                    }
                }
                catch (Exception e)
                {
                    Assert.Fail($"{name}: {e.GetType().Name} on run {runs}, packet {i} of a {seed.Pcap} flow, input {Convert.ToHexString(payload[..Math.Min(payload.Length, 512)])}\n{e}");
                }
            }

            classifier.Release(ref state);
            maxBytes = Math.Max(maxBytes, GC.GetAllocatedBytesForCurrentThread() - before);
            runs++;
        }

        totalBytes = GC.GetAllocatedBytesForCurrentThread() - totalBytes;
        output.WriteLine($"{name}: {seeds.Count} seed flows, {mutated:N0} mutated packets in {runs:N0} flows, {stopwatch.Elapsed.TotalSeconds:F1} s, " +
                         $"{totalBytes / runs:N0} bytes per flow on average, {maxBytes:N0} at most");
        Assert.True(maxBytes <= MaxBytesPerFlow, $"{name}: a flow allocated {maxBytes:N0} bytes (limit {MaxBytesPerFlow:N0})");
    }
}
