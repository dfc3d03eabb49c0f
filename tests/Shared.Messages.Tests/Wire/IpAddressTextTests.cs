using System.Net;
using System.Text;
using Flowhive.Shared.Net;
using Flowhive.Shared.Wire;

namespace Flowhive.Shared.Messages.Tests.Wire;

public sealed class IpAddressTextTests
{
    private static string Format(IpAddr address)
    {
        var buffer = new byte[IpAddressText.MaxLength];
        return Encoding.ASCII.GetString(buffer, 0, IpAddressText.Format(address, buffer));
    }

    private static bool TryParse(string text, out IpAddr address) => IpAddressText.TryParse(Encoding.UTF8.GetBytes(text), out address);

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("1.2.3.4")]
    [InlineData("10.0.100.255")]
    [InlineData("255.255.255.255")]
    [InlineData("::")]
    [InlineData("::1")]
    [InlineData("1::")]
    [InlineData("2001:db8::1")]
    [InlineData("2001:db8:0:1:1:1:1:1")]
    [InlineData("2001:0:0:1::1")]
    [InlineData("2001:db8::1:0:0:1")]
    [InlineData("fe80::a:b:c:d")]
    [InlineData("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")]
    public void Formats_in_canonical_form_and_parses_back(string text)
    {
        Assert.True(TryParse(text, out var address));
        Assert.Equal(IpAddr.Parse(text), address);
        Assert.Equal(text, Format(address));
    }

    [Theory]
    [InlineData("2001:0DB8:0000:0000:0000:0000:0000:0001", "2001:db8::1")]
    [InlineData("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1")]
    [InlineData("0:0:0:0:0:0:0:1", "::1")]
    [InlineData("::ffff:1.2.3.4", "1.2.3.4")]
    [InlineData("::ffff:0102:0304", "1.2.3.4")]
    [InlineData("64:ff9b::1.2.3.4", "64:ff9b::102:304")]
    [InlineData("1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0")]
    [InlineData("::2:3:4:5:6:7:8", "0:2:3:4:5:6:7:8")]
    public void Accepts_non_canonical_input(string input, string canonical)
    {
        Assert.True(TryParse(input, out var address));
        Assert.Equal(IpAddr.Parse(input), address);
        Assert.Equal(canonical, Format(address));
    }

    [Theory]
    [InlineData("")]
    [InlineData("1.2.3")]
    [InlineData("1.2.3.4.5")]
    [InlineData("256.1.1.1")]
    [InlineData("01.2.3.4")]
    [InlineData("1.2.3.4 ")]
    [InlineData(" 1.2.3.4")]
    [InlineData("1..2.3")]
    [InlineData("1.2.3.")]
    [InlineData("1234.1.1.1")]
    [InlineData("a.b.c.d")]
    [InlineData("3232235777")]
    [InlineData(":")]
    [InlineData(":::")]
    [InlineData("1:2:3:4:5:6:7")]
    [InlineData("1:2:3:4:5:6:7:8:9")]
    [InlineData("1:2:3:4:5:6:7:8::")]
    [InlineData("1::2::3")]
    [InlineData(":1::")]
    [InlineData("1:")]
    [InlineData("12345::")]
    [InlineData("g::1")]
    [InlineData("::ffff:1.2.3.256")]
    [InlineData("::1.2.3")]
    [InlineData("1:2:3:4:5:6:7:1.2.3.4")]
    [InlineData("fe80::1%eth0")]
    [InlineData("[::1]")]
    [InlineData("0000000000000000000000000000000000000000000000000::1")]
    public void Rejects_malformed_text(string text)
    {
        Assert.False(TryParse(text, out _));
    }

    [Fact]
    public void Agrees_with_the_framework_on_random_addresses()
    {
        var random = new Random(20261122);
        var bytes = new byte[16];
        for (var i = 0; i < 20_000; i++)
        {
            random.NextBytes(bytes);

            // Zero runs are what makes IPv6 formatting interesting: blank a random stretch of groups.
            var start = random.Next(8);
            var length = random.Next(9 - start);
            Array.Clear(bytes, start * 2, length * 2);
            var address = IpAddr.FromV6Bytes(bytes);
            if (i % 4 == 0)
            {
                address = IpAddr.FromV4((uint)random.NextInt64(0, 1L << 32));
            }

            var text = Format(address);
            Assert.Equal(address, IpAddr.FromIPAddress(IPAddress.Parse(text)));
            Assert.True(TryParse(text, out var parsed), text);
            Assert.Equal(address, parsed);
            Assert.True(TryParse(address.ToString(), out var fromFramework), address.ToString());
            Assert.Equal(address, fromFramework);
        }
    }
}
