using System.Globalization;
using Flowhive.Hosting;
using Flowhive.Probe.Configuration;
using Flowhive.Probe.Engine.Capture;
using Flowhive.Probe.Node.Tests.Support;

namespace Flowhive.Probe.Node.Tests.Configuration;

public sealed class ProbeOptionsTests : IDisposable
{
    private readonly CommandLineParser _parser = ProbeCommandLine.Create();
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private ProbeOptions Parse(params string[] args) => ProbeOptions.From(_parser.Parse(args));

    private string DefaultOf(string longName) =>
        _parser.Options.Single(o => o.LongName == longName).Default ?? throw new InvalidOperationException($"--{longName} shows no default");

    private int IntDefault(string longName) => int.Parse(DefaultOf(longName), NumberStyles.Integer, CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("2055", "udp://*:2055")]
    [InlineData("127.0.0.1:2055", "udp://127.0.0.1:2055")]
    [InlineData("udp://[::1]:9995", "udp://[::1]:9995")]
    public void Collector_port_takes_nprobes_bare_port_or_an_address_to_bind(string value, string endpoint)
    {
        var options = Parse("-3", value, "-i", "none", "--zmq", "tcp://*:5556");

        Assert.Equal(endpoint, options.CollectorPort?.ToString());
        Assert.Empty(options.Interfaces);
        Assert.Equal(endpoint, Parse("--collector-port", value, "--zmq", "tcp://*:5556").CollectorPort?.ToString());
    }

    [Fact]
    public void Defaults_are_the_ones_help_shows()
    {
        var options = Parse("-i", "eth0", "--zmq", "tcp://*:5556");
        var help = _parser.Help();

        // Every default the options carry is read from the same text --help prints.
        foreach (var name in new[] { "idle-timeout", "lifetime-timeout", "max-num-flows", "snaplen", "capture-buffer", "replay-speed", "replay-loop",
                     "zmq-wait-collector", "zmq-send-hwm", "verbose", "collector" })
        {
            Assert.Contains($"[default: {DefaultOf(name)}]", help, StringComparison.Ordinal);
        }

        Assert.Equal(TimeSpan.FromSeconds(IntDefault("idle-timeout")), options.FlowTable.IdleTimeout);
        Assert.Equal(TimeSpan.FromSeconds(IntDefault("lifetime-timeout")), options.FlowTable.Lifetime);
        Assert.Equal(IntDefault("max-num-flows"), options.FlowTable.MaxFlows);
        Assert.Equal(IntDefault("snaplen"), options.Live.Snaplen);
        Assert.Equal(IntDefault("capture-buffer") * 1024 * 1024, options.Live.BufferSize);
        Assert.True(options.Live.Promiscuous);
        Assert.Null(options.Live.Filter);
        Assert.True(ReplayOptions.TryParseSpeed(DefaultOf("replay-speed"), out var speed));
        Assert.Equal(speed, options.Replay.Speed);
        Assert.Equal(IntDefault("replay-loop"), options.Replay.Loops);
        Assert.Equal(TimeSpan.FromSeconds(IntDefault("zmq-wait-collector")), options.WaitForCollector);
        Assert.Equal(IntDefault("zmq-send-hwm"), options.ZmqSendHighWatermark);
        Assert.Equal(IntDefault("verbose"), options.Verbosity);
        Assert.Equal("host name", DefaultOf("instance-name"));
        Assert.Equal(Environment.MachineName, options.InstanceName);
        Assert.False(options.ZmqProbeMode);
        Assert.Equal(["eth0"], options.Interfaces);
        Assert.Equal(["tcp://*:5556"], options.ZmqEndpoints);
    }

    [Theory]
    [InlineData("-i", "--zmq", "tcp://*:5556")]
    [InlineData("--zmq udp://*:5556", "-i", "eth0", "--zmq", "udp://*:5556")]
    [InlineData("--zmq http://collector:5556", "-i", "eth0", "--zmq", "http://collector:5556")]
    [InlineData("--zmq tcp://*:0", "-i", "eth0", "--zmq", "tcp://*:0")]
    [InlineData("--zmq tcp://*:70000", "-i", "eth0", "--zmq", "tcp://*:70000")]
    [InlineData("--zmq tcp://collector", "-i", "eth0", "--zmq", "tcp://collector")]
    [InlineData("--zmq tcp://*:5556", "-i", "eth0", "--zmq", "tcp://*:5556", "--zmq-probe-mode")]
    [InlineData("--replay-speed", "-i", "a.pcap", "--zmq", "tcp://*:5556", "--replay-speed", "fast")]
    [InlineData("--replay-speed", "-i", "a.pcap", "--zmq", "tcp://*:5556", "--replay-speed", "0x")]
    [InlineData("--idle-timeout", "-i", "eth0", "--zmq", "tcp://*:5556", "-d", "0")]
    [InlineData("--lifetime-timeout", "-i", "eth0", "--zmq", "tcp://*:5556", "-t", "0")]
    [InlineData("--max-num-flows", "-i", "eth0", "--zmq", "tcp://*:5556", "--max-num-flows", "10")]
    [InlineData("--source-id", "-i", "eth0", "--zmq", "tcp://*:5556", "--source-id", "-1")]
    [InlineData("--verbose", "-i", "eth0", "--zmq", "tcp://*:5556", "-b", "3")]
    [InlineData("--zmq-endpoint", "-i", "eth0", "--zmq", "tcp://*:5556", "--zmq-endpoint", "x")]
    [InlineData("--zmq-probe-mode", "-i", "eth0", "--zmq", "tcp://10.0.0.1:5556", "--zmq-probe-mode=maybe")]
    [InlineData("-3 abc", "-3", "abc", "--zmq", "tcp://*:5556")]
    [InlineData("-3 70000", "-3", "70000", "--zmq", "tcp://*:5556")]
    [InlineData("-3 router:2055", "-3", "router:2055", "--zmq", "tcp://*:5556")]
    [InlineData("-3 udp://*:0", "-i", "none", "-3", "udp://*:0", "--zmq", "tcp://*:5556")]
    [InlineData("-i <interface|file.pcap> or -3", "-i", "none", "--zmq", "tcp://*:5556")]
    [InlineData("--collector-templates-dir needs -3", "-i", "eth0", "--zmq", "tcp://*:5556", "--collector-templates-dir", "templates")]
    public void Bad_values_fail_with_one_line_naming_the_flag(string flag, params string[] args)
    {
        var error = Assert.Throws<CommandLineException>(() => Parse(args));

        Assert.DoesNotContain('\n', error.Message);
        Assert.Contains(flag, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Zmq_takes_comma_lists_and_repeats_in_order()
    {
        var options = Parse("-i", "eth0", "--zmq", "tcp://10.0.0.1:5556, tcp://10.0.0.2:5556", "--zmq", "ipc:///tmp/flows", "--zmq-probe-mode");

        Assert.Equal(["tcp://10.0.0.1:5556", "tcp://10.0.0.2:5556", "ipc:///tmp/flows"], options.ZmqEndpoints);
        Assert.True(options.ZmqProbeMode);
    }

    [Fact]
    public void A_config_file_in_nprobe_syntax_works_and_the_command_line_wins()
    {
        var path = _dir.File("nprobe.conf");
        File.WriteAllLines(path,
        [
            "# nProbe configuration, one option per line",
            "-i=eth1",
            "-i=/var/tmp/capture.pcap",
            "--zmq=\"tcp://*:5556\"",
            "-n=none",
            "-t=300",
            "--idle-timeout 15",
            "--max-num-flows=65536",
            "  -f=\"tcp port 443\"  ",
            "--no-promisc",
            "--instance-name='edge probe'",
            "",
            "#--zmq=tcp://*:9999",
        ]);

        var options = Parse(path, "-t", "90", "--source-id", "42");

        Assert.Equal(["eth1", "/var/tmp/capture.pcap"], options.Interfaces);
        Assert.Equal(["tcp://*:5556"], options.ZmqEndpoints);
        Assert.Equal(TimeSpan.FromSeconds(90), options.FlowTable.Lifetime);
        Assert.Equal(TimeSpan.FromSeconds(15), options.FlowTable.IdleTimeout);
        Assert.Equal(65536, options.FlowTable.MaxFlows);
        Assert.Equal("tcp port 443", options.Live.Filter);
        Assert.False(options.Live.Promiscuous);
        Assert.Equal("edge probe", options.InstanceName);
        Assert.Equal(42u, options.SourceId);
    }

    [Fact]
    public void A_bad_value_in_a_config_file_is_reported_like_one_on_the_command_line()
    {
        var path = _dir.File("bad.conf");
        File.WriteAllLines(path, ["-i=eth0", "--zmq=tcp://*:5556", "--max-num-flows=10"]);

        var error = Assert.Throws<CommandLineException>(() => Parse(path));

        Assert.Contains("max-num-flows", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Source_id_default_is_stable_across_parses_and_follows_the_identity()
    {
        string[] args = ["-i", "eth0", "--zmq", "tcp://*:5556", "--instance-name", "probe-a"];

        var first = Parse(args).SourceId;
        var second = Parse(args).SourceId;
        var otherEndpoint = Parse("-i", "eth0", "--zmq", "tcp://*:5557", "--instance-name", "probe-a").SourceId;
        var otherInstance = Parse("-i", "eth0", "--zmq", "tcp://*:5556", "--instance-name", "probe-b").SourceId;

        Assert.Equal(first, second);
        Assert.NotEqual(first, otherEndpoint);
        Assert.NotEqual(first, otherInstance);
        Assert.Equal(7u, Parse([.. args, "--source-id", "7"]).SourceId);
    }
}
