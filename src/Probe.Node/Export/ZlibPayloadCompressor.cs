using System.IO.Compression;

namespace Flowhive.Probe.Export;

/// <summary>
/// zlib (RFC 1950, what ntopng's <c>uncompress()</c> reads; not raw deflate) into one reused buffer. Works per message,
/// not per packet: the deflater a <see cref="ZLibStream"/> sets up is the only allocation.
/// </summary>
internal sealed class ZlibPayloadCompressor
{
    private readonly MemoryStream _output = new(64 * 1024);

    /// <summary>
    /// Compresses <paramref name="payload"/>; with <paramref name="zeroMarker"/> the result starts with the 0x00 byte that
    /// tells pre-version-4 readers the rest is zlib. The span is valid until the next call.
    /// </summary>
    public ReadOnlySpan<byte> Compress(ReadOnlySpan<byte> payload, bool zeroMarker)
    {
        _output.SetLength(0);
        if (zeroMarker)
        {
            _output.WriteByte(0);
        }

        using (var zlib = new ZLibStream(_output, CompressionLevel.Fastest, leaveOpen: true))
        {
            zlib.Write(payload);
        }

        return _output.GetBuffer().AsSpan(0, (int)_output.Length);
    }
}
