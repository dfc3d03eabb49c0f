namespace Flowhive.Collector.Ingest;

/// <summary>
/// Names the wire formats a ZeroMQ message can arrive in, for per-format counters: the header's version byte (0 to 4),
/// TLV or JSON, plain or zlib. Index arithmetic instead of string keys so that counting allocates nothing.
/// </summary>
internal static class MessageFormats
{
    private const int Versions = 5;

    public const int Count = Versions * 4;

    public static int Index(byte version, bool tlv, bool compressed) =>
        (Math.Min(version, (byte)(Versions - 1)) * 4) + (tlv ? 0 : 2) + (compressed ? 1 : 0);

    public static string Name(int index) =>
        $"v{index / 4} {((index & 2) == 0 ? "tlv" : "json")}{((index & 1) == 0 ? string.Empty : " zlib")}";
}
