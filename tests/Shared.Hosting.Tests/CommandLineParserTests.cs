using Flowhive.Hosting;

namespace Flowhive.Shared.Hosting.Tests;

public sealed class CommandLineParserTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("flowhive-cli-").FullName;

    private static CommandLineParser Parser() => new("tool", "test tool",
    [
        new OptionSpec("interface", 'i', "source") { ValueName = "if", Repeatable = true },
        new OptionSpec("zmq", null, "endpoint") { ValueName = "endpoint" },
        new OptionSpec("probe-mode", null, "flag"),
        new OptionSpec("idle", 'd', "idle") { ValueName = "seconds", Default = "30" },
        new OptionSpec("labels", null, "optional value") { ValueOptional = true },
    ]);

    [Theory]
    [InlineData("-i", "eth0")]
    [InlineData("-ieth0")]
    [InlineData("-i=eth0")]
    [InlineData("--interface", "eth0")]
    [InlineData("--interface=eth0")]
    public void Accepts_every_getopt_spelling(params string[] args) => Assert.Equal("eth0", Parser().Parse(args).Get("interface"));

    [Fact]
    public void Repeatable_options_keep_every_value_in_order()
    {
        var o = Parser().Parse(["-i", "eth0", "-i", "eth1", "--interface=x.pcap"]);
        Assert.Equal(["eth0", "eth1", "x.pcap"], o.GetAll("interface"));
    }

    [Fact]
    public void A_later_value_of_a_single_option_wins() => Assert.Equal("b", Parser().Parse(["--zmq", "a", "--zmq=b"]).Get("zmq"));

    [Fact]
    public void Flags_take_no_value_but_optional_value_flags_may()
    {
        var o = Parser().Parse(["--probe-mode", "--labels=1"]);
        Assert.True(o.GetFlag("probe-mode"));
        Assert.True(o.GetFlag("labels"));
        Assert.Throws<CommandLineException>(() => Parser().Parse(["--probe-mode=1"]));
    }

    [Theory]
    [InlineData("unknown option --nope", "--nope")]
    [InlineData("unknown option -x", "-x", "1")]
    [InlineData("needs a value", "--zmq")]
    [InlineData("unexpected argument", "-i", "eth0", "stray")]
    public void Bad_command_lines_get_a_one_line_error_naming_the_problem(string expected, params string[] args)
    {
        var e = Assert.Throws<CommandLineException>(() => Parser().Parse(args));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Reads_a_config_file_the_way_ntopng_does_and_the_command_line_wins()
    {
        var path = Path.Combine(_dir, "probe.conf");
        File.WriteAllLines(path,
        [
            "# comment",
            "",
            "-i=eth1",
            "  --zmq=tcp://*:5556  ",
            "\"--interface=eth2\"",
            "--idle 45",
            "--probe-mode",
            "x",
        ]);
        var o = Parser().Parse([path, "--zmq", "tcp://*:6000"]);
        Assert.Equal(["eth1", "eth2"], o.GetAll("interface"));
        Assert.Equal("tcp://*:6000", o.Get("zmq"));
        Assert.Equal("45", o.Get("idle"));
        Assert.True(o.GetFlag("probe-mode"));
    }

    [Fact]
    public void A_quoted_value_after_the_equals_sign_loses_its_quotes()
    {
        var path = Path.Combine(_dir, "quoted.conf");
        File.WriteAllLines(path, ["--zmq=\"tcp://*:5556\"", "-i='eth 1'", "  \"--interface=eth2\"  "]);
        var o = Parser().Parse([path]);
        Assert.Equal("tcp://*:5556", o.Get("zmq"));
        Assert.Equal(["eth 1", "eth2"], o.GetAll("interface"));
    }

    [Fact]
    public void A_config_file_line_that_is_not_an_option_names_the_file_and_line()
    {
        var path = Path.Combine(_dir, "bad.conf");
        File.WriteAllLines(path, ["-i=eth0", "interface eth1"]);
        var e = Assert.Throws<CommandLineException>(() => Parser().Parse([path]));
        Assert.Contains($"{path}:2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_config_file_is_a_clear_error()
    {
        var e = Assert.Throws<CommandLineException>(() => Parser().Parse([Path.Combine(_dir, "absent.conf")]));
        Assert.Contains("cannot read config file", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Help_lists_every_option_with_its_default()
    {
        var help = Parser().Help();
        Assert.Contains("-i, --interface <if>", help, StringComparison.Ordinal);
        Assert.Contains("[default: 30]", help, StringComparison.Ordinal);
        Assert.Contains("--probe-mode", help, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("30", 30)]
    [InlineData("1.5", 1.5)]
    [InlineData("500ms", 0.5)]
    [InlineData("2m", 120)]
    [InlineData("1h", 3600)]
    public void Durations_are_seconds_or_carry_a_unit(string text, double seconds)
    {
        var o = Parser().Parse(["--idle", text]);
        Assert.Equal(TimeSpan.FromSeconds(seconds), o.GetDuration("idle", TimeSpan.Zero, TimeSpan.Zero, TimeSpan.FromDays(1)));
    }

    [Theory]
    [InlineData("-5")]
    [InlineData("abc")]
    [InlineData("NaN")]
    [InlineData("99999999999999999999")]
    public void Bad_durations_are_refused(string text)
    {
        var o = Parser().Parse(["--idle", text]);
        Assert.Throws<CommandLineException>(() => o.GetDuration("idle", TimeSpan.Zero, TimeSpan.Zero, TimeSpan.FromDays(1)));
    }

    [Fact]
    public void Numbers_out_of_range_are_refused_with_the_range()
    {
        var o = Parser().Parse(["--zmq", "70000"]);
        var e = Assert.Throws<CommandLineException>(() => o.GetInt("zmq", 0, 1, 65535));
        Assert.Contains("between 1 and 65535", e.Message, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
