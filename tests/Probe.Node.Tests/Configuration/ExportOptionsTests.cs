using System.Globalization;
using Flowhive.Hosting;
using Flowhive.Probe.Configuration;
using Flowhive.Probe.Node.Tests.Support;

namespace Flowhive.Probe.Node.Tests.Configuration;

/// <summary>The JSON dump and syslog flags: defaults as --help shows them, accepted forms, one-line errors.</summary>
public sealed class ExportOptionsTests : IDisposable
{
    private readonly CommandLineParser _parser = ProbeCommandLine.Create();
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private DumpExportOptions? Dump(params string[] args) => DumpExportOptions.From(_parser.Parse(["-i", "eth0", .. args]));

    private SyslogExportOptions? Syslog(params string[] args) => SyslogExportOptions.From(_parser.Parse(["-i", "eth0", .. args]));

    private string DefaultOf(string longName) =>
        _parser.Options.Single(o => o.LongName == longName).Default ?? throw new InvalidOperationException($"--{longName} shows no default");

    [Fact]
    public void Nothing_is_configured_unless_asked_for()
    {
        Assert.Null(Dump());
        Assert.Null(Syslog());
    }

    [Fact]
    public void Defaults_are_the_ones_help_shows()
    {
        var help = _parser.Help();
        foreach (var name in new[] { "dump-frequency", "dump-format", "syslog-facility", "syslog-severity", "syslog-max-message" })
        {
            Assert.Contains($"[default: {DefaultOf(name)}]", help, StringComparison.Ordinal);
        }

        var dump = Dump("-P", _dir.Path)!;
        Assert.Equal(TimeSpan.FromSeconds(int.Parse(DefaultOf("dump-frequency"), CultureInfo.InvariantCulture)), dump.Frequency);
        Assert.True(dump.NestDirectories);

        var syslog = Syslog("--syslog-flows", "udp://192.0.2.1")!;
        var named = Syslog("--syslog-flows", "udp://192.0.2.1", "--syslog-facility", DefaultOf("syslog-facility"), "--syslog-severity", DefaultOf("syslog-severity"))!;
        Assert.Equal((named.Facility, named.Severity), (syslog.Facility, syslog.Severity));
        Assert.Equal(int.Parse(DefaultOf("syslog-max-message"), CultureInfo.InvariantCulture), syslog.MaxMessageBytes);
    }

    [Fact]
    public void The_dump_directory_is_created_like_nprobe_does_and_kept_absolute()
    {
        var nested = Path.Combine(_dir.Path, "a", "b", "flows");
        var dump = Dump("--dump-path", nested, "-F", "300", "--dont-nest-dump-dirs")!;

        Assert.True(Directory.Exists(nested));
        Assert.Equal(nested, dump.Path);
        Assert.False(dump.ToStdout);
        Assert.Equal(TimeSpan.FromSeconds(300), dump.Frequency);
        Assert.False(dump.NestDirectories);
        Assert.Empty(Directory.EnumerateFileSystemEntries(nested));
    }

    [Fact]
    public void A_dash_means_stdout()
    {
        var dump = Dump("-P", "-")!;
        Assert.True(dump.ToStdout);
    }

    [Fact]
    public void A_dump_path_that_cannot_be_a_directory_is_one_line_naming_the_flag()
    {
        var file = _dir.File("plain-file");
        File.WriteAllText(file, "x");

        var error = Assert.Throws<CommandLineException>(() => Dump("-P", Path.Combine(file, "flows")));
        Assert.StartsWith("--dump-path", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Theory]
    [InlineData("--dump-frequency", "-P", "-", "-F", "0")]
    [InlineData("--dump-frequency", "-P", "-", "-F", "86401")]
    [InlineData("--dump-frequency", "-P", "-", "--dump-frequency", "1m")]
    [InlineData("--dump-format", "-P", "-", "-D", "t")]
    [InlineData("--dump-path", "--dump-path=")]
    public void Bad_dump_values_fail_with_one_line_naming_the_flag(string flag, params string[] args)
    {
        var error = Assert.Throws<CommandLineException>(() => Dump(args));
        Assert.Contains(flag, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Theory]
    [InlineData("udp://syslog.example", SyslogTransport.Udp, "syslog.example", 514)]
    [InlineData("udp://192.0.2.7:1514", SyslogTransport.Udp, "192.0.2.7", 1514)]
    [InlineData("tcp://[2001:db8::7]:601", SyslogTransport.Tcp, "2001:db8::7", 601)]
    [InlineData("tcp://[::1]", SyslogTransport.Tcp, "::1", 514)]
    [InlineData("unix:///run/systemd/journal/syslog", SyslogTransport.Unix, "/run/systemd/journal/syslog", 0)]
    public void Syslog_targets_parse(string text, SyslogTransport transport, string host, int port)
    {
        var target = Syslog("--syslog-flows", text)!.Target;
        Assert.Equal(new SyslogTarget(transport, host, port), target);
        Assert.True(SyslogTarget.TryParse(target.ToString(), out var again));
        Assert.Equal(target, again);
    }

    [Fact]
    public void Json_to_syslog_is_nprobes_flag_for_the_local_daemon()
    {
        Assert.Equal(SyslogTarget.LocalDaemon, Syslog("--json-to-syslog")!.Target);
        Assert.Equal("unix:///dev/log", SyslogTarget.LocalDaemon.ToString());
        var error = Assert.Throws<CommandLineException>(() => Syslog("--json-to-syslog", "--syslog-flows", "udp://192.0.2.1"));
        Assert.Contains("--json-to-syslog", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("local7", "debug", 23, 7)]
    [InlineData("user", "warning", 1, 4)]
    [InlineData("daemon", "error", 3, 3)]
    [InlineData("LOCAL0", "Informational", 16, 6)]
    [InlineData("4", "2", 4, 2)]
    public void Facilities_and_severities_take_names_or_numbers(string facility, string severity, int facilityCode, int severityCode)
    {
        var options = Syslog("--syslog-flows", "udp://192.0.2.1", "--syslog-facility", facility, "--syslog-severity", severity)!;
        Assert.Equal((facilityCode, severityCode), (options.Facility, options.Severity));
    }

    [Theory]
    [InlineData("--syslog-flows", "--syslog-flows", "syslog.example:514")]
    [InlineData("--syslog-flows", "--syslog-flows", "udp://")]
    [InlineData("--syslog-flows", "--syslog-flows", "udp://host:0")]
    [InlineData("--syslog-flows", "--syslog-flows", "udp://host:x")]
    [InlineData("--syslog-flows", "--syslog-flows", "tcp://2001:db8::1:514")]
    [InlineData("--syslog-flows", "--syslog-flows", "unix://relative/path")]
    [InlineData("--syslog-facility", "--syslog-flows", "udp://h", "--syslog-facility", "24")]
    [InlineData("--syslog-facility", "--syslog-flows", "udp://h", "--syslog-facility", "local8")]
    [InlineData("--syslog-severity", "--syslog-flows", "udp://h", "--syslog-severity", "loud")]
    [InlineData("--syslog-max-message", "--syslog-flows", "udp://h", "--syslog-max-message", "100")]
    public void Bad_syslog_values_fail_with_one_line_naming_the_flag(string flag, params string[] args)
    {
        var error = Assert.Throws<CommandLineException>(() => Syslog(args));
        Assert.Contains(flag, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }
}
