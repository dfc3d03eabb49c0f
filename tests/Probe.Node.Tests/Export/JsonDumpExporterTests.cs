using System.Globalization;
using System.Text;
using System.Text.Json;
using Flowhive.Probe.Configuration;
using Flowhive.Probe.Export;
using Flowhive.Probe.Node.Tests.Support;
using Flowhive.Shared.Flows;

namespace Flowhive.Probe.Node.Tests.Export;

/// <summary>The JSON-lines dump against real files in a temporary directory, with time driven through Tick.</summary>
public sealed class JsonDumpExporterTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 10, 15, 20, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();
    private readonly ListLogger _log = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>Record 1 is IPv4, 3 IPv4 with metadata, 5 IPv6, 15 IPv6 with metadata (see <see cref="SampleFlows"/>).</summary>
    private static readonly FlowRecord[] Mixed = [SampleFlows.Record(1), SampleFlows.Record(3), SampleFlows.Record(5), SampleFlows.Record(15)];

    private static DumpExportOptions Options(string path, params string[] more) =>
        DumpExportOptions.From(ProbeCommandLine.Create().Parse(["-i", "test0", "-P", path, .. more]))!;

    private string DumpDir => Path.Combine(_dir.Path, "dump");

    private JsonDumpExporter Files(TimeZoneInfo? zone = null, params string[] more) =>
        new(Options(DumpDir, more), _log, stdout: null, zone ?? TimeZoneInfo.Utc);

    private static string[] Lines(string path) => File.ReadAllLines(path);

    private string[] AllFiles() =>
        [.. Directory.EnumerateFiles(DumpDir, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(DumpDir, f)).Order(StringComparer.Ordinal)];

    /// <summary>The nested path nProbe uses for a period that starts at <paramref name="start"/> (already in the zone's local time).</summary>
    private static string Nested(DateTimeOffset start) =>
        Path.Combine(start.ToString("yyyy", CultureInfo.InvariantCulture), start.ToString("MM", CultureInfo.InvariantCulture),
            start.ToString("dd", CultureInfo.InvariantCulture), start.ToString("HH", CultureInfo.InvariantCulture), start.ToString("mm", CultureInfo.InvariantCulture)) + ".flows";

    private static DateTimeOffset MinuteOf(DateTimeOffset t) => new(t.Year, t.Month, t.Day, t.Hour, t.Minute, 0, t.Offset);

    [Fact]
    public void Each_flow_is_one_json_object_per_line_keyed_by_nprobe_labels_with_its_values()
    {
        using var stdout = new FlushCountingStream();
        using var dump = new JsonDumpExporter(Options("-"), _log, stdout, TimeZoneInfo.Utc);
        dump.Open();
        dump.Tick(T0);
        dump.Export(Mixed);

        var lines = Encoding.UTF8.GetString(stdout.ToArray()).Split('\n');
        Assert.Equal(Mixed.Length + 1, lines.Length);
        Assert.Equal(string.Empty, lines[^1]);
        for (var i = 0; i < Mixed.Length; i++)
        {
            using var json = JsonDocument.Parse(lines[i]);
            FlowJsonAssert.Matches(Mixed[i], json.RootElement);
        }

        // Flushed per batch, so a reader of the pipe sees every finished flow without waiting for more.
        Assert.Equal(1, stdout.Flushes);
        dump.Export(Mixed.AsSpan(0, 1));
        Assert.Equal(2, stdout.Flushes);
        Assert.Equal(Mixed.Length + 1, dump.Counters.Flows);
        Assert.Equal(0, dump.Counters.SendFailures);
    }

    [Fact]
    public void Files_rotate_each_period_under_their_final_names_and_flush_completes_the_last()
    {
        using var dump = Files();
        dump.Open();
        dump.Tick(T0);
        dump.Export(Mixed);

        // While the period runs, only the temporary name exists: a reader globbing *.flows never sees half a file.
        var first = Nested(MinuteOf(T0));
        Assert.Equal([first + ".temp"], AllFiles());

        dump.Tick(T0.AddSeconds(30));
        Assert.Equal([first + ".temp"], AllFiles());

        var next = MinuteOf(T0).AddMinutes(1);
        dump.Tick(next);
        Assert.Equal([first], AllFiles());
        Assert.Equal(Mixed.Length, Lines(Path.Combine(DumpDir, first)).Length);

        dump.Export(Mixed.AsSpan(0, 2));
        var second = Nested(next);
        Assert.Equal([first, second + ".temp"], AllFiles());

        dump.Flush();
        Assert.Equal([first, second], AllFiles());
        var lines = Lines(Path.Combine(DumpDir, second));
        Assert.Equal(2, lines.Length);
        for (var i = 0; i < lines.Length; i++)
        {
            using var json = JsonDocument.Parse(lines[i]);
            FlowJsonAssert.Matches(Mixed[i], json.RootElement);
        }

        Assert.Equal(2, dump.FilesCompleted);
        Assert.Equal(Mixed.Length + 2, dump.Counters.Flows);
        Assert.Equal(0, dump.Counters.SendFailures);
        Assert.Empty(_log.Errors);

        // After a flush the exporter goes on: the next flow starts a new file.
        dump.Export(Mixed.AsSpan(0, 1));
        dump.Flush();
        Assert.Equal(3, AllFiles().Length);
    }

    [Fact]
    public void Periods_are_aligned_to_the_frequency_and_quiet_periods_leave_no_file()
    {
        using var dump = Files(null, "-F", "300");
        dump.Open();
        dump.Tick(T0);
        dump.Export(Mixed);
        dump.Tick(T0.AddMinutes(20));
        dump.Export(Mixed);
        dump.Flush();

        // 10:15:20 falls in the 5-minute period that starts at 10:15, 10:35:20 in the one at 10:35; nothing in between.
        var start = MinuteOf(T0);
        Assert.Equal([Nested(start), Nested(start.AddMinutes(20))], AllFiles());
    }

    [Fact]
    public void Names_use_local_time_like_nprobe_and_without_nesting_go_straight_into_the_directory()
    {
        var zone = TimeZoneInfo.CreateCustomTimeZone("test+05:30", TimeSpan.FromMinutes(330), "test+05:30", "test+05:30");
        using (var nested = Files(zone))
        {
            nested.Open();
            nested.Tick(T0);
            nested.Export(Mixed);
            nested.Flush();
        }

        var local = MinuteOf(T0.ToOffset(TimeSpan.FromMinutes(330)));
        Assert.Equal([Nested(local)], AllFiles());

        Directory.Delete(DumpDir, recursive: true);
        using (var flat = Files(zone, "--dont-nest-dump-dirs"))
        {
            flat.Open();
            flat.Tick(T0);
            flat.Export(Mixed);
            flat.Flush();
        }

        Assert.Equal([local.ToString("yyyyMMdd_HHmmss", CultureInfo.InvariantCulture) + ".flows"], AllFiles());
    }

    [Fact]
    public void Sub_minute_frequencies_add_the_seconds_so_two_periods_never_share_a_name()
    {
        using var dump = Files(null, "-F", "15");
        dump.Open();
        dump.Tick(T0);
        dump.Export(Mixed);
        dump.Tick(T0.AddSeconds(15));
        dump.Export(Mixed);
        dump.Flush();

        // 10:15:20 is in the period starting 10:15:15, 10:15:35 in the one starting 10:15:30.
        var directory = Path.GetDirectoryName(Nested(T0))!;
        Assert.Equal([Path.Combine(directory, "15-15.flows"), Path.Combine(directory, "15-30.flows")], AllFiles());
    }

    [Fact]
    public void A_file_of_the_same_period_from_an_earlier_run_is_never_overwritten()
    {
        var earlier = Path.Combine(DumpDir, Nested(MinuteOf(T0)));
        Directory.CreateDirectory(Path.GetDirectoryName(earlier)!);
        File.WriteAllText(earlier, "earlier run\n");

        using var dump = Files();
        dump.Open();
        dump.Tick(T0);
        dump.Export(Mixed);
        dump.Flush();

        Assert.Equal("earlier run\n", File.ReadAllText(earlier));
        var second = Path.Combine(Path.GetDirectoryName(earlier)!, MinuteOf(T0).ToString("mm", CultureInfo.InvariantCulture) + "_1.flows");
        Assert.Equal(Mixed.Length, Lines(second).Length);
    }

    [Fact]
    public void An_unwritable_directory_is_counted_and_logged_not_thrown_and_the_next_period_tries_again()
    {
        using var dump = Files();
        dump.Open();

        // The dump directory becomes a plain file: nothing can be created under it (even as root).
        Directory.Delete(DumpDir);
        File.WriteAllText(DumpDir, "not a directory");
        dump.Tick(T0);
        dump.Export(Mixed);
        dump.Export(Mixed.AsSpan(0, 1));

        Assert.Equal(Mixed.Length + 1, dump.Counters.SendFailures);
        Assert.Equal(0, dump.Counters.Flows);
        var error = Assert.Single(_log.Errors);
        Assert.Contains(DumpDir, error, StringComparison.Ordinal);

        // Repaired: the next period writes again.
        File.Delete(DumpDir);
        var next = MinuteOf(T0).AddMinutes(1);
        dump.Tick(next);
        dump.Export(Mixed.AsSpan(0, 2));
        dump.Flush();
        Assert.Equal([Nested(next)], AllFiles());
        Assert.Equal(2, dump.Counters.Flows);
    }

    [Fact]
    public void A_directory_removed_under_an_open_file_loses_that_file_counted_and_the_next_period_recovers()
    {
        using var dump = Files();
        dump.Open();
        dump.Tick(T0);
        dump.Export(Mixed);
        Directory.Delete(DumpDir, recursive: true);

        var next = MinuteOf(T0).AddMinutes(1);
        dump.Tick(next);
        Assert.Equal(Mixed.Length, dump.Counters.SendFailures);
        Assert.Contains(_log.Errors, e => e.Contains("cannot complete", StringComparison.Ordinal));

        dump.Export(Mixed.AsSpan(0, 1));
        dump.Flush();
        Assert.Equal([Nested(next)], AllFiles());
        Assert.Equal(1, dump.Counters.Flows);
    }

    [Fact]
    public void A_flow_json_cannot_represent_skips_that_flow_only()
    {
        var bad = SampleFlows.Record(3);
        bad.ClientNwLatencyMs = float.NaN;
        using var stdout = new FlushCountingStream();
        using var dump = new JsonDumpExporter(Options("-"), _log, stdout, TimeZoneInfo.Utc);
        dump.Open();
        dump.Export([Mixed[0], bad, Mixed[2]]);

        var lines = Encoding.UTF8.GetString(stdout.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        using (var first = JsonDocument.Parse(lines[0]))
        {
            FlowJsonAssert.Matches(Mixed[0], first.RootElement);
        }

        using (var second = JsonDocument.Parse(lines[1]))
        {
            FlowJsonAssert.Matches(Mixed[2], second.RootElement);
        }

        Assert.Equal(1, dump.Unencodable);
        Assert.Equal(1, dump.Counters.SendFailures);
        Assert.Single(_log.Errors);
    }

    [Fact]
    public void A_closed_stdout_is_counted_and_logged_not_thrown()
    {
        var stdout = new FlushCountingStream();
        stdout.Dispose();
        using var dump = new JsonDumpExporter(Options("-"), _log, stdout, TimeZoneInfo.Utc);
        dump.Open();
        dump.Export(Mixed);

        Assert.Equal(Mixed.Length, dump.Counters.SendFailures);
        Assert.Single(_log.Errors);
    }

    /// <summary>A memory stream that counts flushes, standing in for stdout.</summary>
    private sealed class FlushCountingStream : MemoryStream
    {
        public int Flushes { get; private set; }

        public override void Flush()
        {
            base.Flush();
            Flushes++;
        }
    }
}
