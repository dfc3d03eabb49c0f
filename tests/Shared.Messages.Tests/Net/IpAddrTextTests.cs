using System.Net;
using Flowhive.Shared.Net;

namespace Flowhive.Shared.Messages.Tests.Net;

/// <summary>The allocation-free parser against the OS's (<see cref="IPAddress.TryParse(ReadOnlySpan{char}, out IPAddress?)"/>) as the reference.</summary>
public sealed class IpAddrTextTests
{
    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("93.184.216.34")]
    [InlineData("255.255.255.255")]
    [InlineData("2001:db8::1")]
    [InlineData("::")]
    [InlineData("::1")]
    [InlineData("fe80::")]
    [InlineData("2606:2800:220:1:248:1893:25c8:1946")]
    [InlineData("2001:DB8:0:0:8:800:200C:417A")]
    [InlineData("::ffff:192.0.2.128")]
    [InlineData("64:ff9b::192.0.2.33")]
    [InlineData("1:2:3:4:5:6:7::")]
    [InlineData("::2:3:4:5:6:7:8")]
    [InlineData("1:2:3:4:5:6:1.2.3.4")]
    public void Standard_forms_parse_as_the_os_parses_them(string text)
    {
        Assert.True(IpAddrText.TryParse(text, out var address));
        Assert.Equal(IpAddr.FromIPAddress(IPAddress.Parse(text)), address);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1.2.3")]
    [InlineData("1.2.3.4.5")]
    [InlineData("256.1.1.1")]
    [InlineData("1..2.3")]
    [InlineData("1.2.3.4 ")]
    [InlineData("example.com")]
    [InlineData("1:2:3:4:5:6:7:8:9")]
    [InlineData("1::2::3")]
    [InlineData("12345::")]
    [InlineData("1:2:3:4:5:6:7")]
    [InlineData("1:2:3:4:5:6:7::8")]
    [InlineData("g::1")]
    [InlineData("fe80::1%eth0")]
    [InlineData(":1")]
    [InlineData("1:")]
    [InlineData("::1.2.3.4.5")]
    public void Other_text_is_refused(string text) => Assert.False(IpAddrText.TryParse(text, out _));

    [Fact]
    public void Parsing_allocates_nothing()
    {
        IpAddrText.TryParse("2001:db8::1", out _);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            IpAddrText.TryParse("2001:db8::1", out _);
            IpAddrText.TryParse("192.0.2.1", out _);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
