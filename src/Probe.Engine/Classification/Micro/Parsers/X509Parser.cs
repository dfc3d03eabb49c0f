using System.Text;

namespace Flowhive.Probe.Engine.Classification.Micro.Parsers;

/// <summary>
/// Reads the subject, issuer and validity of a DER X.509 certificate (RFC 5280 section 4.1) without trusting any
/// length in it: the target of nDPI's certificate-parsing CVEs (over-reads in RDN walking), so every step goes
/// through <see cref="DerReader"/> and names are built only from attributes that fit their parents.
/// </summary>
public static class X509Parser
{
    /// <summary>Longest name text kept (a name is for display; a certificate may carry kilobytes of attributes).</summary>
    public const int MaxNameLength = 512;

    public static CertificateSummary? TryParse(ReadOnlySpan<byte> der)
    {
        var outer = new DerReader(der);
        if (!outer.TryRead(DerReader.Sequence, out var certificate))
        {
            return null;
        }

        var cert = new DerReader(certificate);
        if (!cert.TryRead(DerReader.Sequence, out var tbs))
        {
            return null;
        }

        var t = new DerReader(tbs);
        if (t.PeekTag(0xA0) && !t.TryRead(0xA0, out _))
        {
            return null; // [0] EXPLICIT version
        }

        if (!t.TryRead(DerReader.Integer, out _) || !t.TryRead(DerReader.Sequence, out _) ||
            !t.TryRead(DerReader.Sequence, out var issuer) || !t.TryRead(DerReader.Sequence, out var validity) ||
            !t.TryRead(DerReader.Sequence, out var subject))
        {
            return null;
        }

        var v = new DerReader(validity);
        if (!v.TryRead(out var notBeforeTag, out var notBefore) || !v.TryRead(out var notAfterTag, out var notAfter))
        {
            return null;
        }

        return new CertificateSummary(
            FormatName(subject),
            FormatName(issuer),
            ParseTime(notBeforeTag, notBefore),
            ParseTime(notAfterTag, notAfter));
    }

    /// <summary>
    /// "C=US, O=DigiCert Inc, CN=..." in certificate order, with the attributes nDPI shows (country, state,
    /// locality, organisation, unit, common name); other attributes are skipped.
    /// </summary>
    private static string FormatName(ReadOnlySpan<byte> rdnSequence)
    {
        var text = new StringBuilder();
        var rdns = new DerReader(rdnSequence);
        while (rdns.TryRead(DerReader.Set, out var rdn))
        {
            var attributes = new DerReader(rdn);
            while (attributes.TryRead(DerReader.Sequence, out var attribute))
            {
                var a = new DerReader(attribute);
                if (!a.TryRead(DerReader.ObjectIdentifier, out var oid) || !a.TryRead(out var valueTag, out var value))
                {
                    continue;
                }

                var label = LabelOf(oid);
                if (label is null || !IsStringTag(valueTag))
                {
                    continue;
                }

                if (text.Length > 0)
                {
                    text.Append(", ");
                }

                text.Append(label).Append('=');
                AppendPrintable(text, value, valueTag);
                if (text.Length >= MaxNameLength)
                {
                    text.Length = MaxNameLength;
                    return text.ToString();
                }
            }
        }

        return text.ToString();
    }

    /// <summary>The X.520 attributes 2.5.4.{3,6,7,8,10,11}.</summary>
    private static string? LabelOf(ReadOnlySpan<byte> oid) =>
        oid.Length == 3 && oid[0] == 0x55 && oid[1] == 0x04
            ? oid[2] switch
            {
                0x03 => "CN",
                0x06 => "C",
                0x07 => "L",
                0x08 => "ST",
                0x0A => "O",
                0x0B => "OU",
                _ => null,
            }
            : null;

    /// <summary>UTF8String, PrintableString, T61String, IA5String, BMPString, UniversalString.</summary>
    private static bool IsStringTag(byte tag) => tag is 0x0C or 0x13 or 0x14 or 0x16 or 0x1E or 0x1C;

    private static void AppendPrintable(StringBuilder text, ReadOnlySpan<byte> value, byte tag)
    {
        if (tag == 0x0C)
        {
            // UTF-8 names keep their letters; control characters become '?', as a display string should.
            var decoded = Encoding.UTF8.GetString(value[..Math.Min(value.Length, MaxNameLength)]);
            foreach (var c in decoded)
            {
                text.Append(char.IsControl(c) ? '?' : c);
            }

            return;
        }

        if (tag == 0x1E)
        {
            // BMPString: UTF-16BE; keep the ASCII range.
            for (var i = 0; i + 1 < value.Length && i < 2 * MaxNameLength; i += 2)
            {
                var c = (char)((value[i] << 8) | value[i + 1]);
                text.Append(c is >= ' ' and < (char)0x7F ? c : '?');
            }

            return;
        }

        foreach (var b in value[..Math.Min(value.Length, MaxNameLength)])
        {
            text.Append(b is >= 0x20 and < 0x7F ? (char)b : '?');
        }
    }

    /// <summary>UTCTime (YYMMDDHHMMSSZ, years 1950-2049) or GeneralizedTime (YYYYMMDDHHMMSSZ) as Unix seconds; 0 when malformed.</summary>
    private static long ParseTime(byte tag, ReadOnlySpan<byte> value)
    {
        int year;
        ReadOnlySpan<byte> rest;
        if (tag == DerReader.UtcTime && value.Length >= 12)
        {
            if (!TwoDigits(value, 0, out var yy))
            {
                return 0;
            }

            year = yy < 50 ? 2000 + yy : 1900 + yy;
            rest = value[2..];
        }
        else if (tag == DerReader.GeneralizedTime && value.Length >= 14)
        {
            if (!TwoDigits(value, 0, out var century) || !TwoDigits(value, 2, out var yy))
            {
                return 0;
            }

            year = (century * 100) + yy;
            rest = value[4..];
        }
        else
        {
            return 0;
        }

        if (!TwoDigits(rest, 0, out var month) || !TwoDigits(rest, 2, out var day) || !TwoDigits(rest, 4, out var hour) ||
            !TwoDigits(rest, 6, out var minute) || !TwoDigits(rest, 8, out var second) ||
            year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 60)
        {
            return 0;
        }

        var time = new DateTime(year, month, day, hour, minute, Math.Min(second, 59), DateTimeKind.Utc);
        return new DateTimeOffset(time).ToUnixTimeSeconds();
    }

    private static bool TwoDigits(ReadOnlySpan<byte> s, int at, out int value)
    {
        value = 0;
        if (s.Length < at + 2 || s[at] is < (byte)'0' or > (byte)'9' || s[at + 1] is < (byte)'0' or > (byte)'9')
        {
            return false;
        }

        value = ((s[at] - '0') * 10) + (s[at + 1] - '0');
        return true;
    }
}
