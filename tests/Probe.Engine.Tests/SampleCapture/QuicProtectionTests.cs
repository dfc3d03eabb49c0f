using Flowhive.Tools.SampleCapture.Protocols;

namespace Flowhive.Probe.Engine.Tests.SampleCapture;

/// <summary>The sample's QUIC Initial protection against the test vectors of RFC 9001 appendix A.</summary>
public sealed class QuicProtectionTests
{
    private static readonly byte[] Dcid = Convert.FromHexString("8394c8f03e515708");

    [Fact]
    public void Client_initial_keys_match_appendix_a1()
    {
        var keys = Quic.InitialKeys(Dcid, server: false);

        Assert.Equal("1f369613dd76d5467730efcbe3b1a22d", Convert.ToHexStringLower(keys.Key));
        Assert.Equal("fa044b2f42a3fd3b46fb255c", Convert.ToHexStringLower(keys.Iv));
        Assert.Equal("9f50449e04a0e810283a1e9933adedd2", Convert.ToHexStringLower(keys.HeaderProtection));
    }

    [Fact]
    public void Server_initial_keys_match_appendix_a1()
    {
        var keys = Quic.InitialKeys(Dcid, server: true);

        Assert.Equal("cf3a5331653c364c88f0f379b6067e37", Convert.ToHexStringLower(keys.Key));
        Assert.Equal("0ac1493ca1905853b0bba03e", Convert.ToHexStringLower(keys.Iv));
        Assert.Equal("c206b8d9b9f0f37644430b490eeaa314", Convert.ToHexStringLower(keys.HeaderProtection));
    }

    [Fact]
    public void Header_protection_mask_matches_appendix_a2()
    {
        var keys = Quic.InitialKeys(Dcid, server: false);

        var mask = Quic.HeaderMask(keys.HeaderProtection, Convert.FromHexString("d1b1c98dd7689fb8ec11d242b123dc9b"));

        Assert.Equal("437b9aec36", Convert.ToHexStringLower(mask.AsSpan(0, 5)));
    }
}
