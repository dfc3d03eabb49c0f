using System.Formats.Asn1;

namespace Flowhive.Tools.SampleCapture.Protocols;

/// <summary>
/// Structurally valid X.509 v3 certificates (RFC 5280, DER) with a chosen subject, issuer and DNS names, so
/// that TLS 1.2 analyzers find a common name and SANs. Key and signature are random bytes: they parse, they
/// do not verify. Built by hand because library certificate creation signs with non-deterministic keys.
/// </summary>
internal static class FakeCertificate
{
    private const string Sha256WithRsa = "1.2.840.113549.1.1.11";
    private const string RsaEncryption = "1.2.840.113549.1.1.1";
    private const string CommonName = "2.5.4.3";
    private const string Organization = "2.5.4.10";
    private const string Country = "2.5.4.6";
    private const string SubjectAltName = "2.5.29.17";
    private const string BasicConstraints = "2.5.29.19";

    public static byte[] Create(Random random, string subjectCn, string issuerCn, string issuerOrganization, IReadOnlyList<string> dnsNames, DateTimeOffset notBefore, bool isCa = false)
    {
        var serial = new byte[16];
        random.NextBytes(serial);
        serial[0] &= 0x7F; // positive

        var tbs = new AsnWriter(AsnEncodingRules.DER);
        using (tbs.PushSequence())
        {
            using (tbs.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0)))
            {
                tbs.WriteInteger(2); // v3
            }

            tbs.WriteIntegerUnsigned(serial);
            AlgorithmIdentifier(tbs, Sha256WithRsa);
            Name(tbs, issuerCn, issuerOrganization);
            using (tbs.PushSequence())
            {
                tbs.WriteUtcTime(notBefore);
                tbs.WriteUtcTime(notBefore.AddDays(90));
            }

            Name(tbs, subjectCn, null);
            using (tbs.PushSequence())
            {
                AlgorithmIdentifier(tbs, RsaEncryption);
                var key = new AsnWriter(AsnEncodingRules.DER);
                using (key.PushSequence())
                {
                    var modulus = new byte[256];
                    random.NextBytes(modulus);
                    modulus[0] |= 0x80;
                    key.WriteIntegerUnsigned(modulus);
                    key.WriteInteger(65537);
                }

                tbs.WriteBitString(key.Encode());
            }

            using (tbs.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 3)))
            using (tbs.PushSequence())
            {
                Extension(tbs, BasicConstraints, critical: true, value =>
                {
                    using (value.PushSequence())
                    {
                        if (isCa)
                        {
                            value.WriteBoolean(true);
                        }
                    }
                });
                if (dnsNames.Count > 0)
                {
                    Extension(tbs, SubjectAltName, critical: false, value =>
                    {
                        using (value.PushSequence())
                        {
                            foreach (var dns in dnsNames)
                            {
                                value.WriteCharacterString(UniversalTagNumber.IA5String, dns, new Asn1Tag(TagClass.ContextSpecific, 2));
                            }
                        }
                    });
                }
            }
        }

        var certificate = new AsnWriter(AsnEncodingRules.DER);
        using (certificate.PushSequence())
        {
            certificate.WriteEncodedValue(tbs.Encode());
            AlgorithmIdentifier(certificate, Sha256WithRsa);
            var signature = new byte[256];
            random.NextBytes(signature);
            certificate.WriteBitString(signature);
        }

        return certificate.Encode();
    }

    private static void AlgorithmIdentifier(AsnWriter w, string oid)
    {
        using (w.PushSequence())
        {
            w.WriteObjectIdentifier(oid);
            w.WriteNull();
        }
    }

    private static void Name(AsnWriter w, string commonName, string? organization)
    {
        using (w.PushSequence())
        {
            if (organization is not null)
            {
                Attribute(w, Country, "US", UniversalTagNumber.PrintableString);
                Attribute(w, Organization, organization, UniversalTagNumber.UTF8String);
            }

            Attribute(w, CommonName, commonName, UniversalTagNumber.UTF8String);
        }
    }

    private static void Attribute(AsnWriter w, string oid, string value, UniversalTagNumber type)
    {
        using (w.PushSetOf())
        using (w.PushSequence())
        {
            w.WriteObjectIdentifier(oid);
            w.WriteCharacterString(type, value);
        }
    }

    private static void Extension(AsnWriter w, string oid, bool critical, Action<AsnWriter> value)
    {
        using (w.PushSequence())
        {
            w.WriteObjectIdentifier(oid);
            if (critical)
            {
                w.WriteBoolean(true);
            }

            var inner = new AsnWriter(AsnEncodingRules.DER);
            value(inner);
            w.WriteOctetString(inner.Encode());
        }
    }
}
