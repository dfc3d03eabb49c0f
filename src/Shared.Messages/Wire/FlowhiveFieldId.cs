namespace Flowhive.Shared.Wire;

/// <summary>
/// Flowhive's own flow fields: what the probe knows and nProbe's templates have no field for. They travel under
/// an enterprise number as "PEN.field" string keys in TLV and JSON (labels with <c>--json-labels</c>), the key
/// form nProbe uses for other vendors' fields; ntopng keeps unknown keys aside instead of failing the record.
/// Inside Flowhive each is a <c>uint</c> id above every NFv9 id, so the field code handles them like nProbe's.
/// </summary>
public static class FlowhiveFieldId
{
    /// <summary>
    /// IANA's enterprise number for documentation (RFC 5612): Flowhive has no registered number yet. Probe and
    /// collector change together when it gets one; nothing else depends on the value.
    /// </summary>
    public const uint Pen = 32473;

    /// <summary>Internal ids are <see cref="Base"/> + the field number under <see cref="Pen"/>.</summary>
    public const uint Base = 0xFFFF_0000;

    /// <summary>Tunnel id the inner packet came from (VXLAN VNI, GTP TEID, GRE key).</summary>
    public const uint TunnelId = Base + 1;

    /// <summary>nDPI category id (<c>ndpi_protocol_category_t</c>), custom category rules applied.</summary>
    public const uint L7Category = Base + 2;

    // Metadata ntopng's flow pages show that nProbe's templates have no field for (text unless said).
    public const uint SshClientBanner = Base + 3;
    public const uint SshServerBanner = Base + 4;
    public const uint SshHasshClient = Base + 5;
    public const uint SshHasshServer = Base + 6;
    public const uint TlsAlpn = Base + 7;
    public const uint TlsCertificateSubject = Base + 8;
    public const uint TlsCertificateIssuer = Base + 9;

    /// <summary>TLS version as on the wire (0x0303 = TLS 1.2), a number.</summary>
    public const uint TlsVersion = Base + 10;

    public const uint HttpContentType = Base + 11;

    /// <summary>DHCP client host name, NetBIOS/mDNS/LLMNR names.</summary>
    public const uint HostName = Base + 12;

    public const uint DhcpVendor = Base + 13;

    /// <summary>Addresses a DNS response gave, comma-separated.</summary>
    public const uint DnsAnswers = Base + 14;

    private const uint LastField = 14;

    /// <summary>"32473.n" for n = 1..<see cref="LastField"/>, made once.</summary>
    private static readonly byte[][] Keys =
        [.. Enumerable.Range(0, (int)LastField + 1).Select(n => System.Text.Encoding.ASCII.GetBytes($"{Pen}.{n}"))];

    public static bool IsFlowhive(uint id) => id > Base;

    /// <summary>The internal id of field <paramref name="field"/> under <see cref="Pen"/>, or false for one Flowhive does not define.</summary>
    public static bool TryFromPen(uint field, out uint id)
    {
        id = Base + field;
        return field is >= 1 and <= LastField;
    }

    /// <summary>The field's "PEN.field" key as UTF-8, written without allocating.</summary>
    public static ReadOnlySpan<byte> Key(uint id) =>
        id > Base && id - Base <= LastField ? Keys[id - Base] : throw new ArgumentOutOfRangeException(nameof(id), id, "not a Flowhive field");
}
