using System.Diagnostics;
using Flowhive.Shared.Flows;
using Flowhive.Shared.Wire;
using Xunit.Abstractions;

namespace Flowhive.Shared.Messages.Tests.Wire;

/// <summary>
/// Seeded mutation fuzzing of everything that parses bytes from the network: the ZMQ header parser, the TLV
/// reader and flow decoder, the JSON flow decoder. Fixed seeds keep failures reproducible; a failure reports the
/// input in hex. One test class per parser so that xunit runs the three in parallel.
/// </summary>
public sealed class TlvFuzzTests(ITestOutputHelper output)
{
    [Fact]
    public void Mutated_tlv_payloads_never_throw_and_stay_bounded() => WireFuzz.Tlv(output);
}

public sealed class ZmqHeaderFuzzTests(ITestOutputHelper output)
{
    [Fact]
    public void Mutated_header_frames_never_throw() => WireFuzz.Headers(output);
}

public sealed class JsonFuzzTests(ITestOutputHelper output)
{
    [Fact]
    public void Mutated_json_payloads_never_throw_and_stay_bounded() => WireFuzz.Json(output);
}

internal static class WireFuzz
{
    // A million mutated inputs per decoder. Timings are in the report of each run (test output).
    private const int TlvInputs = 1_000_000;
    private const int HeaderInputs = 1_000_000;
    private const int JsonInputs = 1_000_000;

    /// <summary>Bytes that mean something to the parsers: end/zero markers, type bytes, length extremes.</summary>
    private static readonly byte[] Interesting = [0x00, 0x01, 0x02, 0x04, 0x05, 0x0B, 0x10, 0x22, 0x2B, 0xBB, 0xC2, 0x2C, 0x7F, 0x80, 0xFF];

    public static void Tlv(ITestOutputHelper output)
    {
        var corpus = TlvCorpus();
        var random = new Random(0x5EED_2026);
        var scratch = new byte[8 * 1024];
        var records = new List<FlowRecord>();
        var stopwatch = Stopwatch.StartNew();
        long decoded = 0;

        for (var i = 0; i < TlvInputs; i++)
        {
            var seed = corpus[random.Next(corpus.Length)];
            var length = Mutate(random, seed, scratch);
            var input = scratch.AsSpan(0, length);
            try
            {
                records.Clear();
                var result = FlowRecordTlv.Decode(input, records);
                decoded += result.RecordsDecoded;

                // A record needs at least two 3-byte address items, so output is bounded by input size.
                if (result.RecordsDecoded != records.Count
                    || result.RecordsDecoded > length / 6
                    || result.BytesRead < 0 || result.BytesRead > length
                    || result.UnknownFields + result.InvalidValues > length / 3
                    || result.RecordsDropped > length / 3)
                {
                    Assert.Fail($"input {i}: unbounded result {result} for {Convert.ToHexString(input)}");
                }

                foreach (var record in records)
                {
                    if (record.Metadata?.HttpUrl is { Length: > FlowRecordTlv.MaxStringBytes })
                    {
                        Assert.Fail($"input {i}: string over the limit");
                    }
                }

                var reader = new TlvReader(input);
                var steps = 0;
                TlvReadStatus status;
                while ((status = reader.Read()) is TlvReadStatus.Item or TlvReadStatus.EndOfRecord)
                {
                    if (++steps > length || reader.Position > length)
                    {
                        Assert.Fail($"input {i}: reader ran past the input: {Convert.ToHexString(input)}");
                    }
                }

                if (reader.Read() != status)
                {
                    Assert.Fail($"input {i}: terminal status did not stick");
                }
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException)
            {
                Assert.Fail($"input {i}: {e.GetType().Name}: {e.Message} for {Convert.ToHexString(input)}");
            }
        }

        output.WriteLine($"{TlvInputs} TLV inputs, {decoded} records decoded, {stopwatch.ElapsedMilliseconds} ms");
        Assert.True(decoded > 0, "the mutator never produced a decodable payload");
    }

    public static void Headers(ITestOutputHelper output)
    {
        var corpus = HeaderCorpus();
        var random = new Random(0x4EAD_2026);
        var scratch = new byte[128];
        var stopwatch = Stopwatch.StartNew();
        var accepted = 0;

        for (var i = 0; i < HeaderInputs; i++)
        {
            var length = Mutate(random, corpus[random.Next(corpus.Length)], scratch);
            var frame = scratch.AsSpan(0, length);
            try
            {
                var status = ZmqHeaderCodec.TryParse(frame, out var header);
                if (status != ZmqHeaderStatus.Ok)
                {
                    continue;
                }

                accepted++;
                if (header.HeaderLength != length
                    || length is not (24 or 28 or 36 or 40)
                    || header.Version > ZmqHeaderCodec.CurrentVersion
                    || (header.Flags != ZmqHeaderFlags.None && length != 36))
                {
                    Assert.Fail($"frame {i}: inconsistent header for {Convert.ToHexString(frame)}");
                }

                _ = header.IsTlv;
                _ = header.IsPayloadCompressed(frame[..random.Next(length)]);
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException)
            {
                Assert.Fail($"frame {i}: {e.GetType().Name}: {e.Message} for {Convert.ToHexString(frame)}");
            }
        }

        output.WriteLine($"{HeaderInputs} header frames, {accepted} accepted, {stopwatch.ElapsedMilliseconds} ms");
        Assert.True(accepted > 0);
    }

    public static void Json(ITestOutputHelper output)
    {
        var corpus = JsonCorpus();
        var random = new Random(0x750_2026);
        var scratch = new byte[8 * 1024];
        var records = new List<FlowRecord>();
        var stopwatch = Stopwatch.StartNew();
        long decoded = 0;

        for (var i = 0; i < JsonInputs; i++)
        {
            var length = Mutate(random, corpus[random.Next(corpus.Length)], scratch);
            var input = scratch.AsSpan(0, length);
            try
            {
                records.Clear();
                var result = FlowRecordJson.Decode(input, records);
                decoded += result.RecordsDecoded;

                // The shortest flow object with both addresses, {"8":1,"12":2}, is 14 bytes.
                if (result.RecordsDecoded != records.Count
                    || result.RecordsDecoded > length / 14
                    || result.BytesRead < 0 || result.BytesRead > length)
                {
                    Assert.Fail($"input {i}: unbounded result {result} for {Convert.ToHexString(input)}");
                }
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException)
            {
                Assert.Fail($"input {i}: {e.GetType().Name}: {e.Message} for {Convert.ToHexString(input)}");
            }
        }

        output.WriteLine($"{JsonInputs} JSON inputs, {decoded} records decoded, {stopwatch.ElapsedMilliseconds} ms");
        Assert.True(decoded > 0, "the mutator never produced a decodable document");
    }

    /// <summary>Applies one to three mutations of <paramref name="seed"/> into <paramref name="scratch"/>; returns the length.</summary>
    private static int Mutate(Random random, byte[] seed, byte[] scratch)
    {
        var length = Math.Min(seed.Length, scratch.Length);
        seed.AsSpan(0, length).CopyTo(scratch);
        var rounds = random.Next(1, 4);
        for (var round = 0; round < rounds; round++)
        {
            length = MutateOnce(random, scratch, length);
        }

        return length;
    }

    private static int MutateOnce(Random random, byte[] buffer, int length) => random.Next(8) switch
    {
        0 => FlipBits(random, buffer, length),
        1 => PlantInteresting(random, buffer, length),
        2 => random.Next(length + 1), // truncate
        3 => InsertRandom(random, buffer, length),
        4 => DeleteRange(random, buffer, length),
        5 => WriteLengthField(random, buffer, length),
        6 => DuplicateChunk(random, buffer, length),
        _ => RandomBytes(random, buffer),
    };

    private static int FlipBits(Random random, byte[] buffer, int length)
    {
        for (var n = random.Next(1, 9); n > 0 && length > 0; n--)
        {
            buffer[random.Next(length)] ^= (byte)random.Next(1, 256);
        }

        return length;
    }

    private static int PlantInteresting(Random random, byte[] buffer, int length)
    {
        for (var n = random.Next(1, 5); n > 0 && length > 0; n--)
        {
            buffer[random.Next(length)] = Interesting[random.Next(Interesting.Length)];
        }

        return length;
    }

    private static int InsertRandom(Random random, byte[] buffer, int length)
    {
        var count = Math.Min(random.Next(1, 17), buffer.Length - length);
        var at = random.Next(length + 1);
        buffer.AsSpan(at, length - at).CopyTo(buffer.AsSpan(at + count));
        random.NextBytes(buffer.AsSpan(at, count));
        return length + count;
    }

    private static int DeleteRange(Random random, byte[] buffer, int length)
    {
        if (length == 0)
        {
            return 0;
        }

        var at = random.Next(length);
        var count = random.Next(1, Math.Min(32, length - at) + 1);
        buffer.AsSpan(at + count, length - at - count).CopyTo(buffer.AsSpan(at));
        return length - count;
    }

    /// <summary>Overwrites two bytes with a random or extreme big-endian length, where string lengths live.</summary>
    private static int WriteLengthField(Random random, byte[] buffer, int length)
    {
        if (length < 2)
        {
            return length;
        }

        var at = random.Next(length - 1);
        var value = random.Next(9) switch
        {
            0 => 0,
            1 => 1,
            2 => 0x7FFF,
            3 => 0x8000,
            4 => 0xFFFF,
            5 => length,
            6 => length - at,
            7 => length - at - 1,
            _ => random.Next(0x10000),
        };
        buffer[at] = (byte)(value >> 8);
        buffer[at + 1] = (byte)value;
        return length;
    }

    private static int DuplicateChunk(Random random, byte[] buffer, int length)
    {
        if (length == 0)
        {
            return 0;
        }

        var from = random.Next(length);
        var count = Math.Min(random.Next(1, 64), Math.Min(length - from, buffer.Length - length));
        Span<byte> chunk = stackalloc byte[64];
        buffer.AsSpan(from, count).CopyTo(chunk);
        var at = random.Next(length + 1);
        buffer.AsSpan(at, length - at).CopyTo(buffer.AsSpan(at + count));
        chunk[..count].CopyTo(buffer.AsSpan(at));
        return length + count;
    }

    /// <summary>Random bytes, half the time behind a valid TLV header so the item parser sees them.</summary>
    private static int RandomBytes(Random random, byte[] buffer)
    {
        var count = random.Next(0, 65);
        random.NextBytes(buffer.AsSpan(0, count));
        if (count >= 2 && random.Next(2) == 0)
        {
            buffer[0] = 1;
            buffer[1] = 1;
        }

        return count;
    }

    private static byte[][] TlvCorpus()
    {
        var buffer = new byte[16 * 1024];
        byte[] Encode(params FlowRecord[] records)
        {
            var result = FlowRecordTlv.Encode(records, buffer);
            return buffer[..result.BytesWritten];
        }

        var labelled = new byte[512];
        var writer = new TlvWriter(labelled);
        writer.TryWriteHeader();
        writer.TryWriteString("IPV4_SRC_ADDR"u8, "10.0.0.1"u8);
        writer.TryWriteUInt("IPV4_DST_ADDR"u8, 0x0A000002);
        writer.TryWriteInt("0.7"u8, 1234);
        writer.TryWriteString("35632.118"u8, "7.126"u8);
        writer.TryWriteFloat("35632.123"u8, 1.5f);
        writer.TryWriteString("57652"u8, "/index.html"u8);
        writer.TryWriteInt(NtopFieldId.FlowStartMilliseconds, 1_700_000_000_000);
        writer.TryWriteEndOfRecord();
        writer.TryWriteUInt(NtopFieldId.Ipv4SrcAddr, 1);
        writer.TryWriteUInt(NtopFieldId.Ipv4DstAddr, 2);
        writer.TryWriteEndOfRecord();

        return
        [
            Encode(SampleFlows.Ipv4(1)),
            Encode(SampleFlows.Ipv4(1), SampleFlows.Ipv6(2), SampleFlows.Ipv4(3)),
            Encode(SampleFlows.WithMetadata(SampleFlows.Ipv6(4))),
            Encode(SampleFlows.WithMetadata(SampleFlows.Ipv4(5)), SampleFlows.Ipv4(6)),
            labelled[..writer.Position],
            [0x01, 0x01],
        ];
    }

    private static byte[][] JsonCorpus()
    {
        byte[] Encode(FlowJsonKeys keys, params FlowRecord[] records)
        {
            var buffer = new System.Buffers.ArrayBufferWriter<byte>();
            using var writer = new System.Text.Json.Utf8JsonWriter(buffer);
            FlowRecordJson.Encode(records, writer, keys);
            writer.Flush();
            return buffer.WrittenSpan.ToArray();
        }

        return
        [
            Encode(FlowJsonKeys.Numeric, SampleFlows.Ipv4(1), SampleFlows.Ipv6(2)),
            Encode(FlowJsonKeys.Labels, SampleFlows.WithMetadata(SampleFlows.Ipv4(3))),
            """{"8":"1.1.1.1","12":3232235778,"HTTP\u005fURL":"/a\"b\u00e9","x":{"y":[1,2.5,true,null]},"57595":1e3}"""u8.ToArray(),
            """[{"8":1,"12":2},{"8":1,"12":2}]"""u8.ToArray(),
            """{"IPV4_SRC_ADDR":"10.0.0.1","IPV4_DST_ADDR":"10.0.0.2","L4_SRC_PORT":40000,"L4_DST_PORT":80,"PROTOCOL":6,"L7_PROTO":"7.126","35632.123":0.5,"IN_BYTES":"12"}"""u8.ToArray(),
        ];
    }

    private static byte[][] HeaderCorpus()
    {
        var v2 = new byte[28];
        ZmqHeaderCodec.WriteV2(v2, ZmqTopic.Flow, 7, 9, 1000);
        var json = new byte[28];
        ZmqHeaderCodec.WriteV2(json, ZmqTopic.Event, 7, 9, 1000, ZmqPayloadFormat.Json);
        var v3 = new byte[36];
        ZmqHeaderCodec.WriteV3(v3, ZmqTopic.Counter, ZmqHeaderFlags.Tlv | ZmqHeaderFlags.Compressed, 7, 9, 5000);
        var v4Json = new byte[36];
        ZmqHeaderCodec.WriteV3(v4Json, ZmqTopic.Flow, ZmqHeaderFlags.None, 0xFFFF_FFFF, 0, 70_000);
        var v1 = new byte[24];
        "flow"u8.CopyTo(v1);
        v1[16] = 1;
        var v0 = new byte[40];
        "flow"u8.CopyTo(v0);
        v0[32] = 3;
        return [v2, json, v3, v4Json, v1, v0];
    }
}
