using Flowhive.Hosting;
using Flowhive.Probe.Configuration;
using Flowhive.Shared.Wire.NetFlow;

namespace Flowhive.Probe.Node.Tests.Configuration;

public sealed class NetFlowExportOptionsTests
{
    private readonly CommandLineParser _parser = ProbeCommandLine.Create();

    private NetFlowExportOptions? Parse(params string[] args) => NetFlowExportOptions.From(_parser.Parse(["-i", "eth0", .. args]));

    [Fact]
    public void Without_a_collector_there_is_no_netflow_export()
    {
        Assert.Null(Parse());
        Assert.Null(Parse("-n", "none"));
        Assert.Null(Parse("-n", "none", "-V", "10", "-T", "%IN_BYTES"));
    }

    [Fact]
    public void Defaults_are_nprobes_version_9_and_default_template_as_help_shows()
    {
        var options = Parse("-n", "127.0.0.1:2055")!;
        var help = _parser.Help();

        Assert.Equal([new NetFlowCollector("127.0.0.1", 2055)], options.Collectors);
        Assert.Equal(NetFlowVersion.V9, options.Encoder.Version);
        Assert.Same(FlowTemplate.NprobeDefault, options.Encoder.Template);
        Assert.Equal(NetFlowEncoderOptions.DefaultMtu, options.Encoder.Mtu);
        Assert.Contains("[default: 9]", help, StringComparison.Ordinal);
        Assert.Contains($"[default: {FlowTemplate.NprobeDefaultText}]", help, StringComparison.Ordinal);
        Assert.Contains($"[default: {NetFlowEncoderOptions.DefaultMtu}]", help, StringComparison.Ordinal);
    }

    [Fact]
    public void Collectors_come_repeated_comma_separated_with_udp_prefixes_and_ipv6_brackets_in_order()
    {
        var options = Parse("-n", "udp://10.0.0.1:2055, collector.example:9995", "--collector", "[2001:db8::7]:4739", "-n", "none")!;

        Assert.Equal(
            [new NetFlowCollector("10.0.0.1", 2055), new NetFlowCollector("collector.example", 9995), new NetFlowCollector("2001:db8::7", 4739)],
            options.Collectors);
        Assert.Equal("[2001:db8::7]:4739", options.Collectors[2].ToString());
    }

    [Theory]
    [InlineData("5", NetFlowVersion.V5)]
    [InlineData("9", NetFlowVersion.V9)]
    [InlineData("10", NetFlowVersion.Ipfix)]
    public void V_selects_the_version(string version, NetFlowVersion expected) =>
        Assert.Equal(expected, Parse("-n", "127.0.0.1:2055", "-V", version)!.Encoder.Version);

    [Fact]
    public void T_takes_nprobe_templates()
    {
        var options = Parse("-n", "127.0.0.1:2055", "-T", "%IPV4_SRC_ADDR %IPV4_DST_ADDR %IN_PKTS %IN_BYTES %OUT_BYTES")!;

        Assert.Equal(["IPV4_SRC_ADDR", "IPV4_DST_ADDR", "IN_PKTS", "IN_BYTES", "OUT_BYTES"], options.Encoder.Template.Elements.Select(e => e.Name));
        Assert.True(options.Encoder.Template.IsBidirectional);
    }

    [Theory]
    [InlineData("-n 127.0.0.1: needs a port (host:port, e.g. 127.0.0.1:2055)", "-n", "127.0.0.1")]
    [InlineData("-n host:70000: '70000' is not a port between 1 and 65535", "-n", "host:70000")]
    [InlineData("-n host:0: '0' is not a port", "-n", "host:0")]
    [InlineData("-n :2055: needs a host", "-n", ":2055")]
    [InlineData("-n tcp://10.0.0.1:2055: only UDP export is supported", "-n", "tcp://10.0.0.1:2055")]
    [InlineData("-n 2001:db8::1:2055: write an IPv6 collector in brackets", "-n", "2001:db8::1:2055")]
    [InlineData("-n [2001:db8::1]: needs a port after the IPv6 address", "-n", "[2001:db8::1]")]
    [InlineData("-V 7: NetFlow version must be 5, 9 or 10 (IPFIX)", "-n", "127.0.0.1:2055", "-V", "7")]
    [InlineData("-V 7: NetFlow version must be 5, 9 or 10 (IPFIX)", "-V", "7")]
    [InlineData("-T: unknown field %NOT_A_FIELD (nearest known: %", "-n", "127.0.0.1:2055", "-T", "%NOT_A_FIELD")]
    [InlineData("-T/--netflow-mtu: an IPv4 record of this template takes up to", "-n", "127.0.0.1:2055", "-T", "@NTOPNG@", "--netflow-mtu", "512")]
    [InlineData("--netflow-mtu: '100' is not a number between 256 and 65507", "-n", "127.0.0.1:2055", "--netflow-mtu", "100")]
    public void Bad_values_fail_with_one_line_naming_the_flag(string expected, params string[] args)
    {
        var error = Assert.Throws<CommandLineException>(() => Parse(args));

        Assert.DoesNotContain('\n', error.Message);
        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Dash_v_shows_the_version_now_that_dash_capital_v_is_the_flow_version()
    {
        Assert.True(_parser.Parse(["-v"]).Has("version"));
        Assert.Equal("10", _parser.Parse(["-V", "10"]).Get("flow-version"));
    }
}
