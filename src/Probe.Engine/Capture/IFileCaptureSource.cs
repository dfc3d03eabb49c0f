namespace Flowhive.Probe.Engine.Capture;

/// <summary>A capture read from files (one file or a playlist): can start over, and knows how far it got.</summary>
public interface IFileCaptureSource
{
    /// <summary>The first problem met while reading (a record that could not be framed), or null.</summary>
    string? Error { get; }

    /// <summary>Records cut short by the end of a file.</summary>
    long TruncatedRecords { get; }

    /// <summary>Bytes consumed so far, over all files.</summary>
    long Position { get; }

    /// <summary>Total bytes, over all files.</summary>
    long Length { get; }

    ReadStatus Read(PacketBatch batch);

    /// <summary>Starts over from the first packet (for <c>--replay-loop</c>).</summary>
    void Rewind();
}
