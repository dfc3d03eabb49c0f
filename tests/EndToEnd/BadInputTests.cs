using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Flowhive.EndToEnd.Support;
using Flowhive.Shared.Flows;
using Flowhive.Shared.Net;
using Flowhive.Shared.Wire;
using NetMQ;
using NetMQ.Sockets;

namespace Flowhive.EndToEnd;

/// <summary>
/// Bad input at the process boundary: flags, capture files, endpoints and ZeroMQ messages. Each gets a
/// one-line error and a non-zero exit where the process cannot go on, or a counted drop where it can.
/// </summary>
public sealed class BadInputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("flowhive-bad-").FullName;

    [Theory]
    [InlineData("--no-such-flag", "unknown option --no-such-flag")]
    [InlineData("-i", "needs a value")]
    [InlineData("--replay-speed=fast", "--replay-speed")]
    [InlineData("-d=-3", "--idle-timeout")]
    [InlineData("--dump-frequency=0", "--dump-frequency")]
    [InlineData("--dump-format=t", "--dump-format")]
    [InlineData("--syslog-flows=syslog.example:514", "--syslog-flows")]
    [InlineData("--syslog-facility=local9", "--syslog-facility")]
    [InlineData("-n=127.0.0.1", "-n 127.0.0.1: needs a port")]
    [InlineData("-n=host:70000", "-n host:70000: '70000' is not a port")]
    [InlineData("-V=7", "-V 7: NetFlow version must be 5, 9 or 10")]
    [InlineData("-T=%NOT_A_FIELD", "-T: unknown field %NOT_A_FIELD")]
    [InlineData("--zmq-format=m", "--zmq-format m (multi-line JSON) is not supported")]
    [InlineData("--zmq-msg-version=5", "--zmq-msg-version")]
    [InlineData("--zmq-enable-compression", "add --zmq-msg-version 4")]
    public async Task Probe_rejects_a_bad_flag_with_one_line_and_exit_code_2(string flag, string expected)
    {
        string[] args = flag == "-i" ? ["--zmq", "tcp://*:5556", "-i"] : ["-i", Repo.SampleCapture, "--zmq", "tcp://127.0.0.1:1", flag];
        await using var probe = NodeProcess.Probe(args);
        Assert.Equal(2, await probe.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        var line = Assert.Single(probe.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dump_path_that_cannot_be_created_is_one_line_and_exit_code_2()
    {
        var file = Path.Combine(_dir, "plain-file");
        await File.WriteAllTextAsync(file, "x");
        await using var probe = NodeProcess.Probe("-i", Repo.SampleCapture, "-P", Path.Combine(file, "flows"));
        Assert.Equal(2, await probe.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.StartsWith("flowhive-probe: --dump-path", Assert.Single(probe.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_probe_with_nowhere_to_export_says_so()
    {
        await using var probe = NodeProcess.Probe("-i", Repo.SampleCapture);
        Assert.Equal(2, await probe.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("nowhere to export flows", Assert.Single(probe.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--bogus", "unknown option --bogus")]
    [InlineData("-w=99999", "-w")]
    [InlineData("-i=tcp://*:5556", "append 'c' to bind")]
    [InlineData("--flush-interval=0", "--flush-interval")]
    [InlineData("--seed-nodes=nowhere", "--seed-nodes")]
    [InlineData("-m=192.168.1.0/33", "-m/--local-networks: '192.168.1.0/33' is not a network")]
    [InlineData("--local-networks=10.0.0.0/8,lan", "-m/--local-networks: 'lan' is not a network")]
    public async Task Collector_rejects_a_bad_flag_with_one_line_and_exit_code_2(string flag, string expected)
    {
        await using var collector = NodeProcess.Collector("-i", "tcp://127.0.0.1:1", "-d", _dir, flag);
        Assert.Equal(2, await collector.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        var line = Assert.Single(collector.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_that_is_not_a_capture_stops_the_probe_with_its_name()
    {
        var path = Path.Combine(_dir, "notes.pcap");
        await File.WriteAllTextAsync(path, "this is not a capture file at all");
        await using var probe = NodeProcess.Probe("-i", path, "--zmq", $"tcp://127.0.0.1:{FreePort.Tcp()}");
        Assert.Equal(1, await probe.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains($"{path}: not a pcap or pcapng file", probe.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_capture_file_is_named()
    {
        var path = Path.Combine(_dir, "absent.pcap");
        await using var probe = NodeProcess.Probe("-i", path, "--zmq", $"tcp://127.0.0.1:{FreePort.Tcp()}");
        Assert.Equal(1, await probe.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains($"{path}: no such capture file", probe.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_link_type_is_named()
    {
        var path = Path.Combine(_dir, "usb.pcap");
        var header = new byte[24];
        BinaryPrimitives.WriteUInt32LittleEndian(header, 0xA1B2C3D4);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(4), 2);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(6), 4);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(16), 65535);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(20), 189); // LINKTYPE_USB_LINUX_MMAPPED
        await File.WriteAllBytesAsync(path, header);
        await using var probe = NodeProcess.Probe("-i", path, "--zmq", $"tcp://127.0.0.1:{FreePort.Tcp()}");
        Assert.Equal(1, await probe.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("unsupported link type 189", probe.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_truncated_capture_is_replayed_up_to_the_cut_and_the_cut_is_reported()
    {
        var bytes = await File.ReadAllBytesAsync(Repo.SampleCapture);
        var path = Path.Combine(_dir, "cut.pcap");
        await File.WriteAllBytesAsync(path, bytes[..(bytes.Length / 2)]);
        var zmq = FreePort.Tcp();
        await using var probe = NodeProcess.Probe("-i", path, "--zmq", $"tcp://127.0.0.1:{zmq}", "--zmq-wait-collector", "0");
        Assert.Equal(0, await probe.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("truncated capture file", probe.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_corrupt_record_stops_the_file_there_and_the_probe_exits_with_an_error()
    {
        var bytes = await File.ReadAllBytesAsync(Repo.SampleCapture);
        // The second record's captured length becomes absurd: nothing after it can be framed.
        var firstLength = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(24 + 8));
        var second = 24 + 16 + firstLength;
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(second + 8), 0x7FFF_FFFF);
        var path = Path.Combine(_dir, "corrupt.pcap");
        await File.WriteAllBytesAsync(path, bytes);
        await using var probe = NodeProcess.Probe("-i", path, "--zmq", $"tcp://127.0.0.1:{FreePort.Tcp()}", "--zmq-wait-collector", "0");
        Assert.Equal(1, await probe.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains($"corrupt record header at offset {second}", probe.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_probe_whose_collector_never_answers_reports_it_and_still_finishes()
    {
        // Probe mode towards a loopback port nobody listens on: ZeroMQ keeps retrying; the replay does not wait forever.
        await using var probe = NodeProcess.Probe("-i", Repo.SampleCapture, "--zmq", $"tcp://127.0.0.1:{FreePort.Tcp()}", "--zmq-probe-mode",
            "--zmq-wait-collector", "1");
        Assert.Equal(0, await probe.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("no collector subscribed within 1 s", probe.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_export_port_already_taken_is_a_clear_error()
    {
        using var holder = new TcpListener(IPAddress.Loopback, 0);
        holder.Start();
        var port = ((IPEndPoint)holder.LocalEndpoint).Port;
        await using var probe = NodeProcess.Probe("-i", Repo.SampleCapture, "--zmq", $"tcp://127.0.0.1:{port}");
        Assert.Equal(1, await probe.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains($"--zmq tcp://127.0.0.1:{port}: cannot bind", probe.Output, StringComparison.Ordinal);

        await using var collector = NodeProcess.Collector("-i", $"tcp://127.0.0.1:{port}c", "-d", _dir, "-w", $"127.0.0.1:{FreePort.Tcp()}");
        Assert.Equal(1, await collector.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains($"cannot bind tcp://127.0.0.1:{port}", collector.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Garbage_zmq_messages_are_counted_by_reason_and_good_ones_still_get_through()
    {
        var zmq = FreePort.Tcp();
        var http = FreePort.Tcp();
        await using var collector = NodeProcess.Collector("-i", $"tcp://127.0.0.1:{zmq}c", "-w", $"127.0.0.1:{http}", "-d", _dir);
        using var api = new CollectorApi(http);
        await api.WaitHealthyAsync(collector, TimeSpan.FromSeconds(60));

        using var publisher = new PublisherSocket();
        publisher.Options.Linger = TimeSpan.FromSeconds(2);
        publisher.Connect($"tcp://127.0.0.1:{zmq}");
        var header = new byte[ZmqHeaderCodec.V2Length];
        uint msgId = 0;

        // Keep sending a valid flow until the collector counts one: the SUB side has then joined (no blind sleep).
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while ((await api.GetJsonAsync("/api/v1/interfaces/0")).GetProperty("zmqRecvStats").GetProperty("flows").GetInt64() == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the collector never received a message\n" + collector.Output);
            SendFlow(publisher, header, msgId++, 1);
            await Task.Delay(100);
        }

        var before = msgId;
        publisher.SendFrame("flow-without-payload"u8.ToArray());                                        // one frame
        publisher.SendMoreFrame(header[..ZmqHeaderCodec.WriteV2(header, ZmqTopic.Flow, 0, 1, 0)]).SendMoreFrame([1, 1]).SendFrame([1]); // three frames (refused before its id is read)
        publisher.SendMoreFrame(new byte[5]).SendFrame([1, 1]);                                         // header too short
        var truncated = Encode([Record(4), Record(2)]);
        publisher.SendMoreFrame(header[..ZmqHeaderCodec.WriteV2(header, ZmqTopic.Flow, msgId++, 1, truncated.Length)]).SendFrame(truncated[..^5]);
        var random = new byte[300];
        new Random(7).NextBytes(random);
        publisher.SendMoreFrame(header[..ZmqHeaderCodec.WriteV2(header, ZmqTopic.Flow, msgId++, 1, random.Length)]).SendFrame(random);
        SendFlow(publisher, header, msgId + 3, 3); // jump: 3 message ids never arrive

        deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var iface = await api.GetJsonAsync("/api/v1/interfaces/0");
            var rejected = iface.GetProperty("rejected_messages");
            var drops = iface.GetProperty("zmqRecvStats").GetProperty("zmq_msg_drops").GetInt64();
            var total = rejected.EnumerateObject().Sum(p => p.Value.GetInt64());
            if (rejected.TryGetProperty("missing-payload-frame", out _) && rejected.TryGetProperty("extra-frames", out _) &&
                rejected.TryGetProperty("header-badlength", out _) && rejected.TryGetProperty("tlv-truncateditem", out _) && total >= 5 && drops == 3)
            {
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, $"rejects {rejected} drops {drops} (sent {msgId - before} messages)\n{collector.Output}");
            await Task.Delay(200);
        }

        // The record before the truncation point and the flow after the gap arrived; the cut record did not.
        deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        IReadOnlyList<ApiHost> hosts;
        while (!(hosts = await api.HostsAsync(0)).Any(h => h.Ip == "10.0.0.4") || !hosts.Any(h => h.Ip == "10.0.0.3"))
        {
            Assert.True(DateTime.UtcNow < deadline, string.Join(", ", hosts.Select(h => h.Ip)));
            await Task.Delay(200);
        }

        Assert.DoesNotContain(hosts, h => h.Ip == "10.0.0.2");
        Assert.False(collector.HasExited);
    }

    private static FlowRecord Record(int n) => new()
    {
        SrcAddr = IpAddr.Parse($"10.0.0.{n}"),
        DstAddr = IpAddr.Parse("192.0.2.1"),
        SrcPort = 40000,
        DstPort = 53,
        Protocol = 17,
        IpVersion = 4,
        InBytes = 60,
        InPkts = 1,
        OutBytes = 90,
        OutPkts = 1,
        FirstSwitchedUs = 1_767_225_600_000_000,
        LastSwitchedUs = 1_767_225_600_100_000,
    };

    private static byte[] Encode(FlowRecord[] records)
    {
        var payload = new byte[4096];
        var result = FlowRecordTlv.Encode(records, payload);
        return payload[..result.BytesWritten];
    }

    private static void SendFlow(PublisherSocket publisher, byte[] header, uint msgId, int host)
    {
        var payload = Encode([Record(host)]);
        publisher.SendMoreFrame(header[..ZmqHeaderCodec.WriteV2(header, ZmqTopic.Flow, msgId, 1, payload.Length)]).SendFrame(payload);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
