namespace Flowhive.Probe.Engine.Capture;

/// <summary>
/// Several capture files read one after the other as one source: a directory (<c>-i /captures/</c>, every
/// .pcap/.pcapng/.cap in name order) or a playlist (a text file with one capture path per line, as ntopng
/// reads them). Every file is checked when the source is opened, so a bad one is reported before anything
/// runs; a file that breaks off mid-way is reported and the next file is read.
/// </summary>
public sealed class PlaylistSource : CaptureSource, IFileCaptureSource
{
    private readonly string _name;
    private readonly IReadOnlyList<string> _files;
    private readonly long[] _lengths;
    private readonly List<string> _errors = [];
    private PcapFileReader? _current;
    private int _index;
    private long _completedBytes;
    private long _truncated;
    private volatile bool _interrupted;

    public PlaylistSource(string name, IReadOnlyList<string> files)
    {
        if (files.Count == 0)
        {
            throw new CaptureException($"{name}: no capture files");
        }

        _name = name;
        _files = files;
        _lengths = new long[files.Count];
        for (var i = 0; i < files.Count; i++)
        {
            // Opening validates the header and link types; the reader is closed again until its turn.
            using var probe = new PcapFileReader(files[i]);
            _lengths[i] = probe.Length;
        }

        _current = new PcapFileReader(_files[0]);
    }

    public override string Name => _name;

    public override bool IsOffline => true;

    public IReadOnlyList<string> Files => _files;

    public string? Error => _errors.Count == 0 ? null : string.Join("; ", _errors);

    public long TruncatedRecords => _truncated + (_current?.TruncatedRecords ?? 0);

    public long Position => _completedBytes + (_current?.Position ?? 0);

    public long Length => _lengths.Sum();

    /// <summary>Reads a directory or a playlist file into the list of captures it names.</summary>
    public static PlaylistSource Open(string path)
    {
        if (Directory.Exists(path))
        {
            var files = Directory.EnumerateFiles(path)
                .Where(f => f.EndsWith(".pcap", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".pcapng", StringComparison.OrdinalIgnoreCase) ||
                            f.EndsWith(".cap", StringComparison.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal)
                .ToList();
            return files.Count > 0 ? new PlaylistSource(path, files) : throw new CaptureException($"{path}: no .pcap, .pcapng or .cap files in this directory");
        }

        var baseDir = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        var entries = new List<string>();
        var lineNumber = 0;
        foreach (var raw in File.ReadLines(path))
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            if (line.Contains('\0', StringComparison.Ordinal) || line.Length > 4096)
            {
                throw new CaptureException($"{path}: neither a capture file nor a playlist (line {lineNumber} is not a file name)");
            }

            var file = Path.IsPathRooted(line) ? line : Path.Combine(baseDir, line);
            if (!File.Exists(file))
            {
                throw new CaptureException($"{path}:{lineNumber}: {line}: no such capture file");
            }

            entries.Add(file);
        }

        return new PlaylistSource(path, entries);
    }

    public override void Interrupt()
    {
        _interrupted = true;
        _current?.Interrupt();
    }

    public override ReadStatus Read(PacketBatch batch)
    {
        while (true)
        {
            if (_current is null || _interrupted)
            {
                batch.Count = 0;
                return ReadStatus.End;
            }

            var status = _current.Read(batch);
            if (status != ReadStatus.End)
            {
                return status;
            }

            if (_current.Error is { } error)
            {
                _errors.Add(error);
            }

            _truncated += _current.TruncatedRecords;
            _completedBytes += _lengths[_index];
            _current.Dispose();
            _current = ++_index < _files.Count ? new PcapFileReader(_files[_index]) : null;
        }
    }

    public void Rewind()
    {
        _current?.Dispose();
        _index = 0;
        _completedBytes = 0;
        _current = new PcapFileReader(_files[0]);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _current?.Dispose();
            _current = null;
        }
    }
}
