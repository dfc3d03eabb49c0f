namespace Flowhive.Probe.Engine.Classification.Micro.Parsers;

/// <summary>TLS extension numbers and GREASE (RFC 8701) values the parsers need.</summary>
public static class TlsExtensions
{
    public const ushort ServerName = 0;
    public const ushort SupportedGroups = 10;
    public const ushort EcPointFormats = 11;
    public const ushort SignatureAlgorithms = 13;
    public const ushort Alpn = 16;
    public const ushort SupportedVersions = 43;
    public const ushort QuicTransportParameters = 57;

    /// <summary>GREASE values: 0x?A?A with both bytes equal, reserved so that peers must ignore them (JA3/JA4 drop them).</summary>
    public static bool IsGrease(ushort value) => (value & 0x0F0F) == 0x0A0A && (value >> 8) == (value & 0xFF);
}
