using System.Buffers;
using System.Text;
using System.Text.Json;
using Flowhive.Shared.Net;
using Flowhive.Shared.Wire.SFlow;

namespace Flowhive.Shared.Messages.Tests.Wire.SFlow;

public sealed class InterfaceCounterJsonTests
{
    private static readonly SFlowInterfaceCounters Sample = new(IpAddr.Parse("192.0.2.7"), 12, 6, 10_000_000_000, 1_234_567_890_123, 9_876_543,
        4, 5, 987_654_321, 123_456, 6, 7, 3_600_000);

    private static byte[] Encode(in SFlowInterfaceCounters c)
    {
        var buffer = new ArrayBufferWriter<byte>();
        InterfaceCounterJson.Write(buffer, c);
        return buffer.WrittenSpan.ToArray();
    }

    [Fact]
    public void Writes_the_names_ntopng_reads_with_device_ip_as_an_integer_and_reads_them_back()
    {
        var payload = Encode(Sample);

        using var document = JsonDocument.Parse(payload);
        var root = document.RootElement;
        Assert.Equal((192u << 24) | (2 << 8) | 7, root.GetProperty("deviceIP").GetUInt32());
        Assert.Equal(12u, root.GetProperty("ifIndex").GetUInt32());
        Assert.Equal(1_234_567_890_123ul, root.GetProperty("ifInOctets").GetUInt64());
        Assert.Equal(123_456ul, root.GetProperty("ifOutPackets").GetUInt64());
        Assert.True(InterfaceCounterJson.TryRead(payload, out var back));
        Assert.Equal(Sample, back);
    }

    [Fact]
    public void Reads_ntopngs_numeric_keys_and_an_ipv6_agent_as_text()
    {
        var agent = IpAddr.Parse("2001:db8::1");
        Assert.True(InterfaceCounterJson.TryRead(Encode(Sample with { Agent = agent }), out var v6));
        Assert.Equal(agent, v6.Agent);

        var numeric = """{"0": 3232235777, "2": 3, "5": 1000000000, "9": 500, "10": 5, "11": 1, "12": 700, "13": 7, "14": 2}"""u8;
        Assert.True(InterfaceCounterJson.TryRead(numeric, out var c));
        Assert.Equal((IpAddr.Parse("192.168.1.1"), 3u, 1_000_000_000ul, 500ul, 5ul, 1u, 700ul, 7ul, 2u),
            (c.Agent, c.IfIndex, c.IfSpeed, c.InOctets, c.InPackets, c.InErrors, c.OutOctets, c.OutPackets, c.OutErrors));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[1,2,3]")]
    [InlineData("""{"ifIndex": 3}""")]
    [InlineData("""{"deviceIP": 1}""")]
    [InlineData("""{"deviceIP": -1, "ifIndex": 3}""")]
    [InlineData("""{"deviceIP": "not an address", "ifIndex": 3}""")]
    [InlineData("""{"deviceIP": 1, "ifIndex": "3"}""")]
    [InlineData("""{"deviceIP": 1, "ifIndex": 3""")]
    public void Anything_but_a_counter_object_with_device_and_index_is_refused_without_throwing(string payload) =>
        Assert.False(InterfaceCounterJson.TryRead(Encoding.UTF8.GetBytes(payload), out _));

    [Fact]
    public void A_million_mutated_payloads_never_throw()
    {
        var random = new Random(7);
        var original = Encode(Sample);
        var accepted = 0;
        for (var i = 0; i < 1_000_000; i++)
        {
            var mutated = (byte[])original.Clone();
            for (var flips = random.Next(1, 4); flips > 0; flips--)
            {
                mutated[random.Next(mutated.Length)] = (byte)random.Next(256);
            }

            var length = random.Next(4) == 0 ? random.Next(mutated.Length) : mutated.Length;
            if (InterfaceCounterJson.TryRead(mutated.AsSpan(0, length), out _))
            {
                accepted++;
            }
        }

        Assert.InRange(accepted, 1, 999_999); // some mutations keep a valid object, most do not
    }
}
