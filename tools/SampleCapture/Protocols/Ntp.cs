namespace Flowhive.Tools.SampleCapture.Protocols;

/// <summary>NTPv4 client and server packets (RFC 5905), 48 bytes, timestamps in NTP era 0 format.</summary>
internal static class Ntp
{
    private const long UnixToNtpSeconds = 2_208_988_800;

    public static byte[] ClientRequest(long transmitUs) => new ByteWriter()
        .U8(0x23) // LI 0, version 4, mode 3 (client)
        .U8(0).U8(6).U8(0xE9) // stratum unspecified, poll 2^6 s, precision 2^-23
        .U32(0).U32(0).U32(0) // root delay, root dispersion, reference id
        .U64(0).U64(0).U64(0) // reference, origin, receive
        .U64(Timestamp(transmitUs))
        .ToArray();

    public static byte[] ServerResponse(long originUs, long receiveUs, long transmitUs, long referenceUs, uint referenceId) => new ByteWriter()
        .U8(0x24) // LI 0, version 4, mode 4 (server)
        .U8(3).U8(6).U8(0xE7) // stratum 3, poll 2^6 s, precision 2^-25
        .U32(0x0000_0A3D) // root delay 0.04 s (16.16 fixed point)
        .U32(0x0000_0148) // root dispersion
        .U32(referenceId)
        .U64(Timestamp(referenceUs))
        .U64(Timestamp(originUs))
        .U64(Timestamp(receiveUs))
        .U64(Timestamp(transmitUs))
        .ToArray();

    /// <summary>Seconds since 1900 in the high 32 bits, the fraction of a second in the low 32 bits.</summary>
    public static ulong Timestamp(long unixUs)
    {
        var seconds = (ulong)((unixUs / 1_000_000) + UnixToNtpSeconds);
        var fraction = (ulong)(unixUs % 1_000_000) * (1UL << 32) / 1_000_000;
        return (seconds << 32) | fraction;
    }
}
