namespace Flowhive.Probe.Engine.Classification.Micro.Parsers;

/// <summary>What the metadata shows of a server certificate: names as nDPI prints them ("C=US, O=..., CN=..."), validity, self-signed.</summary>
public sealed record CertificateSummary(string Subject, string Issuer, long NotBeforeUnix, long NotAfterUnix)
{
    /// <summary>nDPI's test: the issuer's name is the subject's name.</summary>
    public bool SelfSigned => Subject.Length > 0 && Subject == Issuer;
}
