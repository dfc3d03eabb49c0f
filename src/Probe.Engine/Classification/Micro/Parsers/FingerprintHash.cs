using Flowhive.Probe.Engine.Classification.Micro.Crypto;

namespace Flowhive.Probe.Engine.Classification.Micro.Parsers;

/// <summary>The digest the Salesforce fingerprints (JA3, JA3S, HASSH, HASSHServer) are defined with.</summary>
public static class FingerprintHash
{
    /// <summary>MD5 of <paramref name="text"/> as 32 lowercase hex digits: the one string a fingerprint allocates.</summary>
    public static string Md5Hex(ReadOnlySpan<byte> text)
    {
        Span<byte> hash = stackalloc byte[16];
        Md5.HashData(text, hash); // JA3 and HASSH are defined as MD5: fingerprints, not security controls
        return Convert.ToHexStringLower(hash);
    }
}
