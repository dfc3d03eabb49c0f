using Flowhive.Shared.Wire;

namespace Flowhive.Shared.Messages.Tests.Wire;

public sealed class CurveKeyTests
{
    [Fact]
    public void Z85_matches_the_specification_example()
    {
        byte[] data = [0x86, 0x4F, 0xD2, 0x6F, 0xB5, 0x59, 0xF7, 0x5B];
        Assert.Equal("HelloWorld", Z85.Encode(data));
        Assert.True(Z85.TryDecode("HelloWorld", out var back));
        Assert.Equal(data, back);
    }

    [Theory]
    [InlineData("Hell")]
    [InlineData("Hello World")]
    [InlineData("Hel\"oWorld")]
    [InlineData("%%%%%")] // 5 digits above 2^32
    public void Bad_z85_is_refused(string text) => Assert.False(Z85.TryDecode(text, out _));

    [Fact]
    public void A_key_parses_from_z85_hex_of_z85_and_raw_hex_to_the_same_bytes()
    {
        var key = Enumerable.Range(0, 32).Select(i => (byte)(i * 7 + 3)).ToArray();
        var z85 = Z85.Encode(key);
        var hexOfZ85 = CurveKey.ToHexOfZ85(key);
        var rawHex = Convert.ToHexString(key);

        Assert.Equal(40, z85.Length);
        Assert.Equal(80, hexOfZ85.Length);
        foreach (var text in new[] { z85, hexOfZ85, hexOfZ85.ToUpperInvariant(), rawHex, $"  {z85}\n" })
        {
            Assert.True(CurveKey.TryParse(text, out var parsed), text);
            Assert.Equal(key, parsed);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("short")]
    [InlineData("0123456789012345678901234567890123456789012345678901234567890123456789012345678z")]
    [InlineData("Hel\"oWorldHel\"oWorldHel\"oWorldHel\"oWorld")]
    public void Anything_else_is_not_a_key(string text) => Assert.False(CurveKey.TryParse(text, out _));
}
