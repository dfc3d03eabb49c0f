namespace Flowhive.Probe.Engine.Classification.Micro.Parsers;

/// <summary>
/// HASSH and HASSHServer SSH fingerprints (Salesforce's specification): the MD5 of
/// "kex_algorithms;encryption;mac;compression" from a side's KEXINIT, where a client's fingerprint takes the
/// client-to-server lists and a server's the server-to-client lists. The name-lists are used as sent.
/// </summary>
public static class Hassh
{
    /// <summary>HASSH of a client's KEXINIT; null when the text does not fit <paramref name="scratch"/>.</summary>
    public static string? Client(in SshKexInit kex, Span<byte> scratch) =>
        Fingerprint(kex.KexAlgorithms, kex.EncryptionClientToServer, kex.MacClientToServer, kex.CompressionClientToServer, scratch);

    /// <summary>HASSHServer of a server's KEXINIT; null when the text does not fit <paramref name="scratch"/>.</summary>
    public static string? Server(in SshKexInit kex, Span<byte> scratch) =>
        Fingerprint(kex.KexAlgorithms, kex.EncryptionServerToClient, kex.MacServerToClient, kex.CompressionServerToClient, scratch);

    private static string? Fingerprint(ReadOnlySpan<byte> kex, ReadOnlySpan<byte> encryption, ReadOnlySpan<byte> mac, ReadOnlySpan<byte> compression, Span<byte> scratch)
    {
        var w = new AsciiWriter(scratch);
        w.Append(kex);
        w.Append(';');
        w.Append(encryption);
        w.Append(';');
        w.Append(mac);
        w.Append(';');
        w.Append(compression);
        return w.Overflowed ? null : FingerprintHash.Md5Hex(w.Written);
    }
}
