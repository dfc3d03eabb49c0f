using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Flowhive.Probe.Configuration;
using Flowhive.Probe.Export;
using Flowhive.Probe.Node.Tests.Support;
using Flowhive.Shared.Flows;

namespace Flowhive.Probe.Node.Tests.Export;

/// <summary>The syslog exporter against real sockets on loopback: a UDP receiver, a TCP server and a Unix datagram socket.</summary>
public sealed partial class SyslogExporterTests : IDisposable
{
    private const string HostName = "probe-7.example.org";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private static readonly FlowRecord[] Mixed = [SampleFlows.Record(1), SampleFlows.Record(3), SampleFlows.Record(5), SampleFlows.Record(15)];
    private readonly TempDirectory _dir = new();
    private readonly ListLogger _log = new();

    public void Dispose() => _dir.Dispose();

    // RFC 5424 §6: HEADER SP STRUCTURED-DATA [SP MSG], HEADER = PRI VERSION SP TIMESTAMP SP HOSTNAME SP APP-NAME SP PROCID SP MSGID.
    [GeneratedRegex(@"^<(?<pri>\d{1,3})>(?<version>[1-9]\d{0,2}) (?<timestamp>\S+) (?<host>[!-~]{1,255}) (?<app>[!-~]{1,48}) (?<procid>[!-~]{1,128}) (?<msgid>[!-~]{1,32}) (?<sd>-|\[.*?\]) (?<msg>.*)$", RegexOptions.Singleline)]
    private static partial Regex Rfc5424();

    // What syslog(3) writes to /dev/log: <PRI>Mmm dd hh:mm:ss TAG[PID]: MSG.
    [GeneratedRegex(@"^<(?<pri>\d{1,3})>(?<timestamp>[A-Z][a-z]{2} [ 1-3]\d \d\d:\d\d:\d\d) (?<tag>[!-~]+)\[(?<pid>\d+)\]: (?<msg>.*)$", RegexOptions.Singleline)]
    private static partial Regex LocalFormat();

    private static SyslogExportOptions Options(params string[] args) =>
        SyslogExportOptions.From(ProbeCommandLine.Create().Parse(["-i", "test0", .. args]))!;

    private SyslogExporter Exporter(SyslogExportOptions options) => new(options, _log, HostName, TimeZoneInfo.Utc);

    /// <summary>Checks one RFC 5424 message and returns its MSG as JSON.</summary>
    private static JsonDocument ParseRfc5424(string message, int expectedPri, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        var match = Rfc5424().Match(message);
        Assert.True(match.Success, "not RFC 5424: " + message);
        Assert.Equal(expectedPri, int.Parse(match.Groups["pri"].Value, CultureInfo.InvariantCulture));
        Assert.Equal("1", match.Groups["version"].Value);
        var timestamp = DateTimeOffset.Parse(match.Groups["timestamp"].Value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
        Assert.InRange(timestamp, notBefore.AddSeconds(-1), notAfter.AddSeconds(1));
        Assert.Equal(HostName, match.Groups["host"].Value);
        Assert.Equal("flowhive-probe", match.Groups["app"].Value);
        Assert.Equal(Environment.ProcessId.ToString(CultureInfo.InvariantCulture), match.Groups["procid"].Value);
        Assert.Equal("-", match.Groups["sd"].Value);
        return JsonDocument.Parse(match.Groups["msg"].Value);
    }

    private static string Receive(UdpClient receiver)
    {
        using var cancel = new CancellationTokenSource(Deadline);
        var result = receiver.ReceiveAsync(cancel.Token).AsTask().GetAwaiter().GetResult();
        return Encoding.UTF8.GetString(result.Buffer);
    }

    [Fact]
    public void Udp_datagrams_are_rfc5424_messages_whose_msg_is_the_flow_json()
    {
        using var receiver = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)receiver.Client.LocalEndPoint!).Port;
        using var syslog = Exporter(Options("--syslog-flows", $"udp://127.0.0.1:{port}"));
        syslog.Open();
        Assert.True(syslog.ReadyForReplay);

        var before = DateTimeOffset.UtcNow;
        syslog.Export(Mixed);
        var after = DateTimeOffset.UtcNow;

        // local0 (16) * 8 + info (6), the defaults.
        const int pri = (16 * 8) + 6;
        foreach (var record in Mixed)
        {
            using var json = ParseRfc5424(Receive(receiver), pri, before, after);
            FlowJsonAssert.Matches(record, json.RootElement);
        }

        Assert.Equal(Mixed.Length, syslog.Counters.Flows);
        Assert.Equal(Mixed.Length, syslog.Counters.Messages);
        Assert.Equal(0, syslog.Counters.SendFailures);
    }

    [Fact]
    public void Facility_and_severity_flags_set_the_pri()
    {
        using var receiver = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)receiver.Client.LocalEndPoint!).Port;
        using var syslog = Exporter(Options("--syslog-flows", $"udp://127.0.0.1:{port}", "--syslog-facility", "local3", "--syslog-severity", "notice"));
        syslog.Open();
        syslog.Export(Mixed.AsSpan(0, 1));

        // RFC 5424 table 1 and 2: local3 = 19, notice = 5.
        using var json = ParseRfc5424(Receive(receiver), (19 * 8) + 5, DateTimeOffset.UtcNow.AddSeconds(-30), DateTimeOffset.UtcNow);
        FlowJsonAssert.Matches(Mixed[0], json.RootElement);
    }

    [Fact]
    public void A_message_over_the_size_limit_is_skipped_and_counted_and_the_rest_get_through()
    {
        using var receiver = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)receiver.Client.LocalEndPoint!).Port;
        using var syslog = Exporter(Options("--syslog-flows", $"udp://127.0.0.1:{port}", "--syslog-max-message", "1000"));
        syslog.Open();
        var big = SampleFlows.Record(3);
        big.Metadata = new FlowMetadata { HttpUrl = "/" + new string('a', 1500) };
        syslog.Export([Mixed[0], big, Mixed[1]]);

        foreach (var record in new[] { Mixed[0], Mixed[1] })
        {
            var message = Receive(receiver);
            Assert.True(Encoding.UTF8.GetByteCount(message) <= 1000);
            using var json = ParseRfc5424(message, (16 * 8) + 6, DateTimeOffset.UtcNow.AddSeconds(-30), DateTimeOffset.UtcNow);
            FlowJsonAssert.Matches(record, json.RootElement);
        }

        Assert.Equal(1, syslog.Oversized);
        Assert.Equal(1, syslog.Counters.SendFailures);
        Assert.Equal(2, syslog.Counters.Flows);
        Assert.Contains(_log.Entries, e => e.Message.Contains("--syslog-max-message", StringComparison.Ordinal));
    }

    [Fact]
    public void A_flow_json_cannot_represent_is_skipped_and_counted()
    {
        using var receiver = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)receiver.Client.LocalEndPoint!).Port;
        using var syslog = Exporter(Options("--syslog-flows", $"udp://127.0.0.1:{port}"));
        syslog.Open();
        var bad = SampleFlows.Record(3);
        bad.ServerNwLatencyMs = float.PositiveInfinity;
        syslog.Export([bad, Mixed[0]]);

        using var json = ParseRfc5424(Receive(receiver), (16 * 8) + 6, DateTimeOffset.UtcNow.AddSeconds(-30), DateTimeOffset.UtcNow);
        FlowJsonAssert.Matches(Mixed[0], json.RootElement);
        Assert.Equal(1, syslog.Counters.SendFailures);
        Assert.Single(_log.Errors);
    }

    [Fact]
    public void Udp_with_nobody_listening_never_throws_and_accounts_for_every_flow()
    {
        int port;
        using (var probe = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0)))
        {
            port = ((IPEndPoint)probe.Client.LocalEndPoint!).Port;
        }

        using var syslog = Exporter(Options("--syslog-flows", $"udp://127.0.0.1:{port}"));
        syslog.Open();
        for (var i = 0; i < 5; i++)
        {
            syslog.Export(Mixed);
            syslog.Tick(DateTimeOffset.UtcNow);
        }

        Assert.Equal(5 * Mixed.Length, syslog.Counters.Flows + syslog.Counters.SendFailures);
    }

    [Fact]
    public void Tcp_frames_are_octet_counted_rfc5424_messages()
    {
        using var server = new TcpListener(IPAddress.Loopback, 0);
        server.Start();
        var port = ((IPEndPoint)server.LocalEndpoint).Port;
        using var syslog = Exporter(Options("--syslog-flows", $"tcp://127.0.0.1:{port}"));
        syslog.Open();
        using var connection = server.AcceptTcpClient();
        Poll.Until(() =>
        {
            syslog.Tick(DateTimeOffset.UtcNow);
            return syslog.ReadyForReplay;
        }, Deadline, "connected");

        var before = DateTimeOffset.UtcNow;
        syslog.Export(Mixed);
        syslog.Flush();
        var after = DateTimeOffset.UtcNow;

        var stream = connection.GetStream();
        foreach (var record in Mixed)
        {
            using var json = ParseRfc5424(ReadFrame(stream), (16 * 8) + 6, before, after);
            FlowJsonAssert.Matches(record, json.RootElement);
        }

        Assert.Equal(Mixed.Length, syslog.Counters.Flows);
        Assert.Equal(0, syslog.Counters.SendFailures);
    }

    [Fact]
    public void Tcp_keeps_flows_while_the_server_is_away_and_delivers_them_once_it_is_back()
    {
        var port = FreeTcpPort.Next();
        using var syslog = Exporter(Options("--syslog-flows", $"tcp://127.0.0.1:{port}"));
        syslog.Open();
        Poll.Until(() =>
        {
            syslog.Tick(DateTimeOffset.UtcNow);
            return _log.Errors.Any();
        }, Deadline, "the refused connection is reported");
        Assert.False(syslog.ReadyForReplay);
        syslog.Export(Mixed);

        using var server = new TcpListener(IPAddress.Loopback, port);
        server.Start();
        Poll.Until(() =>
        {
            syslog.Tick(DateTimeOffset.UtcNow);
            return syslog.Counters.Flows == Mixed.Length;
        }, Deadline, "the backlog is sent after reconnecting");

        using var connection = server.AcceptTcpClient();
        var stream = connection.GetStream();
        foreach (var record in Mixed)
        {
            using var json = ParseRfc5424(ReadFrame(stream), (16 * 8) + 6, DateTimeOffset.UtcNow.AddSeconds(-60), DateTimeOffset.UtcNow);
            FlowJsonAssert.Matches(record, json.RootElement);
        }

        Assert.True(syslog.Reconnects >= 1);
        Assert.Equal(0, syslog.Counters.SendFailures);
    }

    [Fact]
    public void The_local_daemon_socket_gets_the_format_syslog3_writes()
    {
        var path = _dir.File("log.sock");
        using var daemon = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        daemon.Bind(new UnixDomainSocketEndPoint(path));
        daemon.ReceiveTimeout = (int)Deadline.TotalMilliseconds;
        using var syslog = Exporter(Options("--syslog-flows", "unix://" + path));
        syslog.Open();
        var before = DateTimeOffset.UtcNow;
        syslog.Export(Mixed.AsSpan(0, 2));

        var buffer = new byte[65536];
        for (var i = 0; i < 2; i++)
        {
            var message = Encoding.UTF8.GetString(buffer, 0, daemon.Receive(buffer));
            var match = LocalFormat().Match(message);
            Assert.True(match.Success, "not the syslog(3) format: " + message);
            Assert.Equal((16 * 8) + 6, int.Parse(match.Groups["pri"].Value, CultureInfo.InvariantCulture));
            var stamp = DateTime.ParseExact(match.Groups["timestamp"].Value.Replace("  ", " ", StringComparison.Ordinal), "MMM d HH:mm:ss", CultureInfo.InvariantCulture);
            Assert.InRange(stamp, before.UtcDateTime.AddSeconds(-1), DateTime.UtcNow.AddSeconds(1)); // the format has no year: this one is assumed
            Assert.Equal("flowhive-probe", match.Groups["tag"].Value);
            Assert.Equal(Environment.ProcessId.ToString(CultureInfo.InvariantCulture), match.Groups["pid"].Value);
            using var json = JsonDocument.Parse(match.Groups["msg"].Value);
            FlowJsonAssert.Matches(Mixed[i], json.RootElement);
        }
    }

    [Fact]
    public void A_missing_local_daemon_socket_is_a_clear_error_at_open()
    {
        using var syslog = Exporter(Options("--syslog-flows", "unix://" + _dir.File("absent.sock")));
        var error = Assert.Throws<InvalidOperationException>(syslog.Open);
        Assert.Contains("absent.sock", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Reads one RFC 6587 octet-counted frame: ASCII length, a space, that many bytes.</summary>
    private static string ReadFrame(NetworkStream stream)
    {
        stream.ReadTimeout = (int)Deadline.TotalMilliseconds;
        var length = 0;
        int b;
        while ((b = stream.ReadByte()) != ' ')
        {
            Assert.InRange(b, '0', '9');
            length = (length * 10) + (b - '0');
        }

        var frame = new byte[length];
        stream.ReadExactly(frame);
        return Encoding.UTF8.GetString(frame);
    }
}
