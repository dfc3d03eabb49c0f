using System.Text;
using Flowhive.Probe.Engine.Capture;
using Flowhive.Probe.Engine.Classification.Ndpi;
using Flowhive.Probe.Engine.Decode;
using Flowhive.Probe.Engine.Flows;
using Flowhive.Probe.Engine.Tests.Support;
using Flowhive.Shared.Flows;
using Flowhive.Shared.Net;
using static Flowhive.Probe.Engine.Tests.Support.Addr;
using static Flowhive.Probe.Engine.Tests.Support.Packets;

namespace Flowhive.Probe.Engine.Tests.Classification;

/// <summary>
/// The nDPI engine on hand-made traffic: the library's own tables, user protocol and category rules, rule reload
/// while flows are being inspected, and what it refuses. Needs libndpi (installed by scripts/deps.sh test).
/// </summary>
public sealed class NdpiEngineTests : IDisposable
{
    private static readonly IpAddr Client = Ip("192.168.7.10");
    private static readonly IpAddr Server = Ip("203.0.113.80");

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Protocol_and_category_names_come_from_the_library()
    {
        using var engine = Create(new NdpiOptions());

        Assert.True(NdpiEngine.TryParseVersion(engine.Version, out var major, out _));
        Assert.Contains(major, NdpiEngine.KnownMajorVersions);
        Assert.Equal(engine.BuiltAgainst, engine.Version);
        Assert.True(engine.Protocols.Count > 200, $"only {engine.Protocols.Count} protocols");
        Assert.Equal("Unknown", engine.Protocols[0].Name);
        var http = Assert.Single(engine.Protocols, p => p.Name == "HTTP");
        Assert.Equal("Web", http.CategoryName);
        Assert.Equal(http.CategoryId, engine.Categories.ToList().IndexOf("Web"));
        Assert.Contains(engine.Protocols, p => p.Name == "TLS" && p.CategoryName == "Web");
        Assert.Equal(0, engine.CustomProtocolCount);
    }

    [Theory]
    [InlineData("4.2.0", true, 4, 2)]
    [InlineData("4.3.0-3456-ab12cd", true, 4, 3)]
    [InlineData("4.2", true, 4, 2)]
    [InlineData("four", false, 0, 0)]
    [InlineData("", false, 0, 0)]
    public void Versions_are_read_as_major_and_minor(string text, bool ok, int major, int minor)
    {
        Assert.Equal(ok, NdpiEngine.TryParseVersion(text, out var readMajor, out var readMinor));
        Assert.Equal(major, readMajor);
        Assert.Equal(minor, readMinor);
    }

    [Fact]
    public void An_http_flow_gets_the_host_url_user_agent_and_status()
    {
        using var engine = Create(new NdpiOptions());

        var record = Classify(engine, HttpConversation(40001, "www.flowhive-example.org", "/index.html"));

        Assert.Equal((ushort)7, record.L7App);
        var m = record.Metadata!;
        Assert.Equal("HTTP", m.L7ProtoName);
        Assert.Equal("DPI", m.Confidence);
        Assert.Equal("Web", m.CategoryName);
        Assert.Equal("www.flowhive-example.org", m.HttpSite);
        Assert.Equal("www.flowhive-example.org", m.L7Info);
        Assert.Equal("www.flowhive-example.org/index.html", m.HttpUrl);
        Assert.Equal("GET", m.HttpMethod);
        Assert.Equal("flowhive-test/1.0", m.HttpUserAgent);
        Assert.Equal((ushort)200, m.HttpReturnCode);
    }

    [Fact]
    public void User_protocols_match_by_host_ip_and_port()
    {
        var protos = _dir.File("protos.txt");
        File.WriteAllText(protos, """
            # Flowhive test rules (nDPI's protos.txt format)
            host:"flowhive-app.example"@FlowhiveApp
            ip:203.0.113.99/32@FlowhiveIp
            tcp:18080@FlowhivePort
            """);
        using var engine = Create(new NdpiOptions { ProtocolsFile = protos });

        Assert.Equal(3, engine.CustomProtocolCount);
        Assert.Contains(engine.Protocols, p => p.Name == "FlowhiveApp" && p.Id >= 200);

        var byHost = Classify(engine, HttpConversation(40002, "api.flowhive-app.example", "/"));
        Assert.Equal("HTTP.FlowhiveApp", byHost.Metadata?.L7ProtoName);

        var byIp = Classify(engine, TcpConversation(40003, Ip("203.0.113.99"), 5555, "hello"u8.ToArray()));
        Assert.Equal("FlowhiveIp", byIp.Metadata?.L7ProtoName);

        var byPort = Classify(engine, TcpConversation(40004, Server, 18080, [0x01, 0x02, 0x03]));
        Assert.Equal("FlowhivePort", byPort.Metadata?.L7ProtoName);
        Assert.Equal("Match by port", byPort.Metadata?.Confidence);
    }

    [Fact]
    public void Category_rules_put_hosts_in_custom_categories_by_name_or_id()
    {
        var categories = _dir.File("categories.txt");
        File.WriteAllText(categories, "# host<TAB>category\nflowhive-example.org\tUser custom category 2\n203.0.113.77\t24\n");
        using var engine = Create(new NdpiOptions { CategoriesFile = categories });

        Assert.Equal(2, engine.CategoryRules);
        var byName = Classify(engine, HttpConversation(40005, "www.flowhive-example.org", "/"));
        Assert.Equal("User custom category 2", byName.Metadata?.CategoryName);
        Assert.Equal((ushort)21, byName.L7Category);

        // nDPI 4.2 consults IP category rules only when custom protocols are loaded: the engine says so.
        var request = Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        Assert.Equal((ushort)5, Classify(engine, TcpConversation(40006, Ip("203.0.113.77"), 80, request)).L7Category);
        Assert.Contains("IP category rules", Assert.Single(engine.Warnings), StringComparison.Ordinal);

        var protos = _dir.File("protos.txt");
        File.WriteAllText(protos, "tcp:18080@FlowhivePort\n");
        using var withProtocols = Create(new NdpiOptions { CategoriesFile = categories, ProtocolsFile = protos });
        Assert.Empty(withProtocols.Warnings);
        Assert.Equal((ushort)24, Classify(withProtocols, TcpConversation(40007, Ip("203.0.113.77"), 80, request)).L7Category);
    }

    [Fact]
    public void Bad_rule_files_are_refused_with_the_file_and_line()
    {
        var protos = _dir.File("bad-protos.txt");
        File.WriteAllText(protos, "tcp:8080@Good\nhost:\"no-protocol.example\"\n");
        var reason = Assert.Throws<NdpiException>(() => NdpiEngine.TryCreate(new NdpiOptions { ProtocolsFile = protos }, out _, out _)).Message;
        Assert.Contains("bad-protos.txt:2", reason, StringComparison.Ordinal);

        reason = Assert.Throws<NdpiException>(() => NdpiEngine.TryCreate(new NdpiOptions { ProtocolsFile = _dir.File("missing.txt") }, out _, out _)).Message;
        Assert.Contains("missing.txt", reason, StringComparison.Ordinal);

        var categories = _dir.File("bad-categories.txt");
        File.WriteAllText(categories, "good.example\t20\nbad.example\tNoSuchCategory\n");
        reason = Assert.Throws<NdpiException>(() => NdpiEngine.TryCreate(new NdpiOptions { CategoriesFile = categories }, out _, out _)).Message;
        Assert.Contains("bad-categories.txt:2", reason, StringComparison.Ordinal);
        Assert.Contains("NoSuchCategory", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Reload_applies_to_new_flows_while_flows_in_inspection_finish_with_the_old_rules()
    {
        var protos = _dir.File("protos.txt");
        File.WriteAllText(protos, "host:\"flowhive-app.example\"@OldApp\n");
        using var engine = Create(new NdpiOptions { ProtocolsFile = protos });
        var sink = new RecordingSink();
        using var classifier = engine.CreateClassifier();
        var table = new FlowTable(new FlowTableOptions(), sink, classifier);

        // A flow starts on the old rules (handshake only: nDPI is still inspecting it)...
        var old = HttpConversation(41000, "www.flowhive-app.example", "/");
        Feed(table, old[..3], At(0));
        Assert.Equal(1, classifier.ActiveFlows);

        // ...the rules change underneath it...
        File.WriteAllText(protos, "host:\"flowhive-app.example\"@NewApp\n");
        Assert.True(engine.TryReload(out var message), message);
        Assert.Contains(engine.Protocols, p => p.Name == "NewApp");

        // ...it finishes with the rules it started on, while a new flow uses the new ones.
        Feed(table, old[3..], At(1));
        Feed(table, HttpConversation(41001, "www.flowhive-app.example", "/"), At(2));
        table.ExportAll();

        Assert.Equal("HTTP.OldApp", sink.Records.Single(r => r.SrcPort == 41000).Metadata?.L7ProtoName);
        Assert.Equal("HTTP.NewApp", sink.Records.Single(r => r.SrcPort == 41001).Metadata?.L7ProtoName);
        Assert.Equal(0, classifier.ActiveFlows);

        // A bad file on a later reload leaves the rules as they were.
        File.WriteAllText(protos, "this line has no protocol\n");
        Assert.False(engine.TryReload(out message));
        Assert.Contains("previous ones stay", message, StringComparison.Ordinal);
        Assert.Equal("HTTP.NewApp", Classify(engine, HttpConversation(41002, "www.flowhive-app.example", "/")).Metadata?.L7ProtoName);
    }

    [Fact]
    public void A_flow_that_ends_undecided_gets_ndpis_guess_and_nothing_leaks()
    {
        using var engine = Create(new NdpiOptions());
        using var classifier = engine.CreateClassifier();
        var sink = new RecordingSink();
        var table = new FlowTable(new FlowTableOptions(), sink, classifier);

        // One SYN to port 22 and nothing else: nDPI cannot inspect anything, its give-up guesses by port.
        Feed(table, [Tcp(Client, 42000, Server, 22, TcpFlags.Syn)], At(0));
        Assert.Equal(1, classifier.ActiveFlows);
        table.ExportAll();

        var record = Assert.Single(sink.Records);
        Assert.Equal("SSH", record.Metadata?.L7ProtoName);
        Assert.Equal("Match by port", record.Metadata?.Confidence);
        Assert.Equal(0, classifier.ActiveFlows);
    }

    private static NdpiEngine Create(NdpiOptions options)
    {
        Assert.True(NdpiEngine.TryCreate(options, out var engine, out var reason), $"nDPI engine unavailable: {reason}");
        return engine!;
    }

    private static FlowRecord Classify(NdpiEngine engine, IReadOnlyList<byte[]> frames)
    {
        var sink = new RecordingSink();
        using var classifier = engine.CreateClassifier();
        var table = new FlowTable(new FlowTableOptions(), sink, classifier);
        Feed(table, frames, At(0));
        table.ExportAll();
        return Assert.Single(sink.Records);
    }

    private static void Feed(FlowTable table, IReadOnlyList<byte[]> frames, long startUs)
    {
        var p = default(DecodedPacket);
        for (var i = 0; i < frames.Count; i++)
        {
            Assert.Equal(DecodeStatus.Ok, PacketDecoder.Decode(frames[i], (int)LinkType.Ethernet, ref p));
            table.Process(ref p, startUs + (i * 1000), frames[i]);
        }
    }

    private static byte[][] HttpConversation(ushort clientPort, string host, string path)
    {
        var request = Encoding.ASCII.GetBytes($"GET {path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: flowhive-test/1.0\r\nAccept: */*\r\n\r\n");
        var response = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 5\r\n\r\nhello");
        return Conversation(clientPort, Server, 80, request, response);
    }

    private static byte[][] TcpConversation(ushort clientPort, IpAddr server, ushort serverPort, byte[] request) =>
        Conversation(clientPort, server, serverPort, request, [0x10, 0x20, 0x30]);

    /// <summary>Handshake, one request, one response, then the client's ACK.</summary>
    private static byte[][] Conversation(ushort clientPort, IpAddr server, ushort serverPort, byte[] request, byte[] response)
    {
        const uint ClientIsn = 1000;
        const uint ServerIsn = 5000;
        return
        [
            Ip(Client, server).Tcp(clientPort, serverPort, TcpFlags.Syn, seq: ClientIsn).Build(),
            Ip(server, Client).Tcp(serverPort, clientPort, TcpFlags.Syn | TcpFlags.Ack, seq: ServerIsn, ack: ClientIsn + 1).Build(),
            Ip(Client, server).Tcp(clientPort, serverPort, TcpFlags.Ack, seq: ClientIsn + 1, ack: ServerIsn + 1).Build(),
            Ip(Client, server).Tcp(clientPort, serverPort, TcpFlags.Ack | TcpFlags.Psh, seq: ClientIsn + 1, ack: ServerIsn + 1).Payload(request).Build(),
            Ip(server, Client).Tcp(serverPort, clientPort, TcpFlags.Ack | TcpFlags.Psh, seq: ServerIsn + 1, ack: ClientIsn + 1 + (uint)request.Length)
                .Payload(response).Build(),
            Ip(Client, server).Tcp(clientPort, serverPort, TcpFlags.Ack, seq: ClientIsn + 1 + (uint)request.Length,
                ack: ServerIsn + 1 + (uint)response.Length).Build(),
        ];
    }
}
