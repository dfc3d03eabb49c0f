using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Flowhive.Probe.Configuration;
using Flowhive.Shared.Flows;
using Flowhive.Shared.Wire;
using Microsoft.Extensions.Logging;

namespace Flowhive.Probe.Export;

/// <summary>
/// Writes finished flows as JSON lines, one object per flow keyed by nProbe labels (<c>IPV4_SRC_ADDR</c>,
/// <c>IN_BYTES</c>...), the way nProbe <c>-P dir -D j</c> dumps them: into <c>dir/YYYY/MM/DD/HH/MM.flows</c>, one
/// file per <c>--dump-frequency</c> period (aligned to the epoch, named in local time), first written as
/// <c>MM.flows.temp</c> and renamed when the period ends or the probe stops, so that a reader never sees half a
/// file. Files are created only when a flow arrives. With <c>-P -</c> the lines go to stdout, flushed per batch.
/// A failing destination never throws: flows that could not be written are counted in
/// <see cref="ExporterCounters.SendFailures"/>, the error is logged, and the next period tries again.
/// </summary>
public sealed partial class JsonDumpExporter : IFlowExporter
{
    public const string FileExtension = ".flows";

    /// <summary>nProbe's suffix for a dump file still being written (TEMP_PREFIX in its source).</summary>
    public const string TempExtension = ".temp";

    /// <summary>Names tried for one period before giving up (a restart within a period finds its earlier file).</summary>
    private const int MaxNameAttempts = 1000;

    private readonly DumpExportOptions _options;
    private readonly ILogger _log;
    private readonly TimeZoneInfo _zone;
    private readonly long _frequencySeconds;
    private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024);

    /// <summary>One record's JSON before it joins the batch: a record the writer refuses halfway leaves nothing behind.</summary>
    private readonly ArrayBufferWriter<byte> _line = new(4096);
    private readonly Utf8JsonWriter _writer;
    private Stream? _stdout;
    private FileStream? _file;
    private string _tempPath = string.Empty;
    private string _finalPath = string.Empty;
    private string _fileDirectory = string.Empty;
    private string _fileStem = string.Empty;
    private int _fileAttempt;
    private long _fileFlows;
    private long _fileBytes;
    private long _closeAtSeconds;
    private long _retryAtSeconds;
    private DateTimeOffset _now;
    private ErrorThrottle _errors;

    public JsonDumpExporter(DumpExportOptions options, ILogger log)
        : this(options, log, stdout: null, TimeZoneInfo.Local)
    {
    }

    /// <summary>For tests: a stream standing in for stdout, and the zone file names are written in.</summary>
    internal JsonDumpExporter(DumpExportOptions options, ILogger log, Stream? stdout, TimeZoneInfo zone)
    {
        _options = options;
        _log = log;
        _stdout = stdout;
        _zone = zone;
        _frequencySeconds = (long)options.Frequency.TotalSeconds;

        // Relaxed escaping keeps names, URLs and non-ASCII text readable; these lines are never embedded in HTML.
        _writer = new Utf8JsonWriter(_line, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    public string Name => _options.ToStdout ? "json stdout" : "json " + _options.Path;

    public ExporterCounters Counters { get; } = new();

    /// <summary>Dump files completed (renamed to their final name).</summary>
    public long FilesCompleted;

    /// <summary>Flows that could not be written as JSON (a NaN or infinite number); also counted as send failures.</summary>
    public long Unencodable;

    /// <summary>Files only appear when flows arrive; there is no peer to wait for.</summary>
    public bool ReadyForReplay => true;

    public void Open()
    {
        _now = DateTimeOffset.UtcNow;
        if (_options.ToStdout)
        {
            _stdout ??= Console.OpenStandardOutput();
            LogStartedStdout(_log);
            return;
        }

        try
        {
            Directory.CreateDirectory(_options.Path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"--dump-path {_options.Path}: cannot create the directory: {e.Message}", e);
        }

        LogStarted(_log, _options.Path, _options.Frequency.TotalSeconds);
    }

    public void Export(ReadOnlySpan<FlowRecord> flows)
    {
        if (flows.IsEmpty)
        {
            return;
        }

        var lines = Encode(flows);
        if (lines == 0)
        {
            return;
        }

        if (_stdout is not null)
        {
            WriteStdout(lines);
        }
        else
        {
            WriteFile(lines);
        }
    }

    public void Tick(DateTimeOffset now)
    {
        _now = now;
        if (_file is not null && now.ToUnixTimeSeconds() >= _closeAtSeconds)
        {
            CloseFile();
        }
    }

    /// <summary>Completes the current file (renamed to its final name); the next flow starts a new one.</summary>
    public void Flush()
    {
        CloseFile();
        _stdout?.Flush();
    }

    public void Dispose()
    {
        CloseFile();
        _writer.Dispose();
    }

    /// <summary>The batch as JSON lines in <see cref="_buffer"/>; returns the number of lines.</summary>
    private int Encode(ReadOnlySpan<FlowRecord> flows)
    {
        _buffer.ResetWrittenCount();
        var lines = 0;
        foreach (ref readonly var record in flows)
        {
            _line.ResetWrittenCount();
            try
            {
                FlowRecordJson.EncodeObject(record, _writer, FlowJsonKeys.Labels);
                _writer.Flush();
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException)
            {
                // A value JSON cannot represent (a NaN or infinite latency): skip this record, keep the batch.
                Interlocked.Increment(ref Unencodable);
                Interlocked.Increment(ref Counters.SendFailures);
                if (_errors.ShouldLog(_now, out var suppressed))
                {
                    LogUnencodable(_log, e.Message, suppressed);
                }

                continue;
            }
            finally
            {
                _writer.Reset();
            }

            var length = _line.WrittenCount;
            var destination = _buffer.GetSpan(length + 1);
            _line.WrittenSpan.CopyTo(destination);
            destination[length] = (byte)'\n';
            _buffer.Advance(length + 1);
            lines++;
        }

        return lines;
    }

    private void WriteStdout(int lines)
    {
        try
        {
            _stdout!.Write(_buffer.WrittenSpan);
            _stdout.Flush();
            Interlocked.Add(ref Counters.Flows, lines);
            Interlocked.Add(ref Counters.Messages, lines);
            Interlocked.Add(ref Counters.Bytes, _buffer.WrittenCount);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or NotSupportedException)
        {
            // A closed pipe (the reader went away): count what is lost and keep the probe running.
            Interlocked.Add(ref Counters.SendFailures, lines);
            if (_errors.ShouldLog(_now, out var suppressed))
            {
                LogStdoutFailed(_log, e.Message, suppressed);
            }
        }
    }

    private void WriteFile(int lines)
    {
        var nowSeconds = _now.ToUnixTimeSeconds();
        if (_file is not null && nowSeconds >= _closeAtSeconds)
        {
            CloseFile();
        }

        if (_file is null && (nowSeconds < _retryAtSeconds || !TryOpenFile(nowSeconds)))
        {
            // The destination failed in this period: these flows are lost (counted); the next period tries again.
            Interlocked.Add(ref Counters.SendFailures, lines);
            return;
        }

        try
        {
            _file!.Write(_buffer.WrittenSpan);
            _fileBytes += _buffer.WrittenCount;
            _fileFlows += lines;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Interlocked.Add(ref Counters.SendFailures, lines);
            if (_errors.ShouldLog(_now, out var suppressed))
            {
                LogWriteFailed(_log, _tempPath, e.Message, _closeAtSeconds - nowSeconds, suppressed);
            }

            // Keep the complete lines written before (cut what this batch may have left half-written) and stop
            // until the next period, rather than retrying a full disk on every batch.
            _retryAtSeconds = _closeAtSeconds;
            try
            {
                _file!.SetLength(_fileBytes);
            }
            catch (Exception cut) when (cut is IOException or UnauthorizedAccessException)
            {
                DiscardFile();
                return;
            }

            CloseFile();
        }
    }

    private bool TryOpenFile(long nowSeconds)
    {
        var start = nowSeconds - (nowSeconds % _frequencySeconds);
        _closeAtSeconds = start + _frequencySeconds;
        var (directory, stem) = FileName(start);
        try
        {
            Directory.CreateDirectory(directory);
            for (var attempt = 0; attempt < MaxNameAttempts; attempt++)
            {
                var final = Path.Combine(directory, Suffixed(stem, attempt) + FileExtension);
                var temp = final + TempExtension;
                if (File.Exists(final) || File.Exists(temp))
                {
                    // A file of this period from an earlier run, or another writer's: never overwrite it.
                    continue;
                }

                try
                {
                    // Unbuffered: each batch is one write, so a failure leaves at most that batch to cut off.
                    _file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.Read, bufferSize: 0);
                }
                catch (IOException) when (File.Exists(temp))
                {
                    continue;
                }

                _tempPath = temp;
                _finalPath = final;
                _fileDirectory = directory;
                _fileStem = stem;
                _fileAttempt = attempt;
                _fileFlows = 0;
                _fileBytes = 0;
                return true;
            }

            throw new IOException($"{MaxNameAttempts} files of this period already exist");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _retryAtSeconds = _closeAtSeconds;
            if (_errors.ShouldLog(_now, out var suppressed))
            {
                LogOpenFailed(_log, Path.Combine(directory, stem + FileExtension), e.Message, _closeAtSeconds - nowSeconds, suppressed);
            }

            return false;
        }
    }

    /// <summary>nProbe's layout: YYYY/MM/DD/HH/MM in local time, or YYYYMMDD_HHMMSS in the base directory without nesting.</summary>
    private (string Directory, string Stem) FileName(long periodStartSeconds)
    {
        var local = TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeSeconds(periodStartSeconds), _zone);
        if (!_options.NestDirectories)
        {
            return (_options.Path, local.ToString("yyyyMMdd_HHmmss", CultureInfo.InvariantCulture));
        }

        var directory = Path.Combine(_options.Path, local.ToString("yyyy", CultureInfo.InvariantCulture), local.ToString("MM", CultureInfo.InvariantCulture),
            local.ToString("dd", CultureInfo.InvariantCulture), local.ToString("HH", CultureInfo.InvariantCulture));

        // A period that does not start on a whole minute (frequencies that are not whole minutes) also needs its
        // seconds, or two periods of one minute would share a name.
        var stem = local.Second == 0
            ? local.ToString("mm", CultureInfo.InvariantCulture)
            : local.ToString("mm'-'ss", CultureInfo.InvariantCulture);
        return (directory, stem);
    }

    private static string Suffixed(string stem, int attempt) =>
        attempt == 0 ? stem : stem + "_" + attempt.ToString(CultureInfo.InvariantCulture);

    private void CloseFile()
    {
        if (_file is not { } file)
        {
            return;
        }

        _file = null;
        try
        {
            file.Dispose();
            MoveToFinalName();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The directory was removed or the file system went away: what the file held is lost.
            Interlocked.Add(ref Counters.SendFailures, _fileFlows);
            if (_errors.ShouldLog(_now, out var suppressed))
            {
                LogCompleteFailed(_log, _finalPath, e.Message, _fileFlows, suppressed);
            }

            return;
        }

        Interlocked.Add(ref Counters.Flows, _fileFlows);
        Interlocked.Add(ref Counters.Messages, _fileFlows);
        Interlocked.Add(ref Counters.Bytes, _fileBytes);
        Interlocked.Increment(ref FilesCompleted);
        _errors.Recovered();
        LogFileAvailable(_log, _finalPath, _fileFlows);
    }

    private void MoveToFinalName()
    {
        if (_fileFlows == 0)
        {
            // Every batch of this file failed: an empty file would only look like a quiet period.
            File.Delete(_tempPath);
            return;
        }

        var final = _finalPath;
        for (var attempt = _fileAttempt + 1; File.Exists(final); attempt++)
        {
            // Someone created the final name while this file was written: keep both.
            final = Path.Combine(_fileDirectory, Suffixed(_fileStem, attempt) + FileExtension);
        }

        File.Move(_tempPath, final, overwrite: false);
        _finalPath = final;
    }

    /// <summary>The file could not even be cut back to its complete lines: delete it and count everything in it as lost.</summary>
    private void DiscardFile()
    {
        var file = _file!;
        _file = null;
        Interlocked.Add(ref Counters.SendFailures, _fileFlows);
        try
        {
            file.Dispose();
            File.Delete(_tempPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Nothing more can be done about a file system that refuses even this; the loss is already counted.
        }
    }

    [LoggerMessage(EventId = 140, Level = LogLevel.Information, Message = "JSON dump: writing flows to {Destination}, a file every {Seconds} s")]
    private static partial void LogStarted(ILogger log, string destination, double seconds);

    [LoggerMessage(EventId = 147, Level = LogLevel.Information, Message = "JSON dump: writing flows to stdout, one line each; logs go to stderr")]
    private static partial void LogStartedStdout(ILogger log);

    [LoggerMessage(EventId = 141, Level = LogLevel.Information, Message = "JSON dump: flow file '{Path}' is now available ({Flows} flows)")]
    private static partial void LogFileAvailable(ILogger log, string path, long flows);

    [LoggerMessage(EventId = 142, Level = LogLevel.Error, Message = "JSON dump: cannot create {Path}: {Reason}; flows are counted as lost until the next file in {Seconds} s ({Suppressed} similar errors not logged)")]
    private static partial void LogOpenFailed(ILogger log, string path, string reason, long seconds, long suppressed);

    [LoggerMessage(EventId = 143, Level = LogLevel.Error, Message = "JSON dump: writing {Path} failed: {Reason}; the file keeps the flows written before, the next file starts in {Seconds} s ({Suppressed} similar errors not logged)")]
    private static partial void LogWriteFailed(ILogger log, string path, string reason, long seconds, long suppressed);

    [LoggerMessage(EventId = 144, Level = LogLevel.Error, Message = "JSON dump: cannot complete {Path}: {Reason}; its {Flows} flows are lost ({Suppressed} similar errors not logged)")]
    private static partial void LogCompleteFailed(ILogger log, string path, string reason, long flows, long suppressed);

    [LoggerMessage(EventId = 145, Level = LogLevel.Error, Message = "JSON dump: writing to stdout failed: {Reason}; flows are counted as lost ({Suppressed} similar errors not logged)")]
    private static partial void LogStdoutFailed(ILogger log, string reason, long suppressed);

    [LoggerMessage(EventId = 146, Level = LogLevel.Error, Message = "JSON dump: a flow could not be written as JSON and was skipped: {Reason} ({Suppressed} similar errors not logged)")]
    private static partial void LogUnencodable(ILogger log, string reason, long suppressed);
}
