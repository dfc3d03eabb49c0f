using System.Text.Json;
using Flowhive.EndToEnd.Support;

namespace Flowhive.EndToEnd;

/// <summary>
/// The probe's <c>--dpi</c> engines end to end: flowhive-probe reads a capture from the labelled DPI corpus (a TLS
/// ClientHello split over two TCP segments to Instagram) and dumps flows as JSON to stdout; the TLS flow must carry
/// the application nDPI 4.2 names for it, with its SNI and JA3 fingerprint.
/// </summary>
public sealed class DpiTests
{
    private static readonly TimeSpan Run = TimeSpan.FromSeconds(90);

    /// <summary>nDPI 4.2 labels this flow TLS.Instagram (ids 91.211), server name i.instagram.com (corpus label file).</summary>
    private static string Capture => Path.GetFullPath(Path.Combine(Repo.Root, "..", "shared", "corpus", "dev", "pcap", "tls_2_reasms.pcapng"));

    [Fact]
    public async Task Micro_engine_labels_a_tls_flow_with_its_application_and_server_name()
    {
        Assert.True(File.Exists(Capture), $"the labelled DPI corpus is missing: {Capture}");
        await using var probe = NodeProcess.Probe("-i", Capture, "-P", "-", "--dpi", "micro");
        Assert.True(await probe.WaitForExitAsync(Run) == 0, probe.Output);

        var tls = TlsFlow(Flows(probe.StandardOutput), probe.Output);
        Assert.Equal("TLS.Instagram", tls.GetProperty("L7_PROTO_NAME").GetString());
        Assert.Equal("91.211", tls.GetProperty("L7_PROTO").ToString());
        Assert.Equal("i.instagram.com", tls.GetProperty("TLS_SERVER_NAME").GetString());
        Assert.Matches("^[0-9a-f]{32}$", tls.GetProperty("JA3C_HASH").GetString());
        Assert.Equal("i.instagram.com", tls.GetProperty("L7_INFO").GetString());
    }

    [Fact]
    public async Task Dpi_none_exports_flows_without_application_fields()
    {
        Assert.True(File.Exists(Capture), $"the labelled DPI corpus is missing: {Capture}");
        await using var probe = NodeProcess.Probe("-i", Capture, "-P", "-", "--dpi", "none");
        Assert.True(await probe.WaitForExitAsync(Run) == 0, probe.Output);

        var flows = Flows(probe.StandardOutput);
        Assert.NotEmpty(flows);
        Assert.All(flows, f => Assert.False(f.TryGetProperty("L7_PROTO_NAME", out _), f.ToString()));
    }

    [Fact]
    public async Task Dpi_ndpi_names_the_tls_flow_as_the_micro_engine_does()
    {
        Assert.True(File.Exists(Capture), $"the labelled DPI corpus is missing: {Capture}");
        await using var probe = NodeProcess.Probe("-i", Capture, "-P", "-", "--dpi", "ndpi");
        Assert.True(await probe.WaitForExitAsync(Run) == 0, probe.Output);

        Assert.DoesNotContain("not available", probe.Output, StringComparison.Ordinal);
        Assert.Equal("TLS.Instagram", TlsFlow(Flows(probe.StandardOutput), probe.Output).GetProperty("L7_PROTO_NAME").GetString());
    }

    [Theory]
    [InlineData("micro")]
    [InlineData("ndpi")]
    public async Task A_custom_category_rule_reaches_the_exported_flow_with_either_engine(string engine)
    {
        Assert.True(File.Exists(Capture), $"the labelled DPI corpus is missing: {Capture}");
        var categories = Path.Combine(Path.GetTempPath(), $"flowhive-categories-{Guid.NewGuid():N}.txt");
        await File.WriteAllTextAsync(categories, "# nDPI's format\ninstagram.com\tUser custom category 2\n");
        try
        {
            await using var probe = NodeProcess.Probe("-i", Capture, "-P", "-", "--dpi", engine, "--ndpi-categories", categories);
            Assert.True(await probe.WaitForExitAsync(Run) == 0, probe.Output);

            var tls = TlsFlow(Flows(probe.StandardOutput), probe.Output);
            // nDPI 4.2 reports the flow as plain TLS once a category host rule matches it; the micro engine keeps the service.
            Assert.Equal(engine == "micro" ? "TLS.Instagram" : "TLS", tls.GetProperty("L7_PROTO_NAME").GetString());
            Assert.Equal(21, tls.GetProperty("FLOWHIVE_L7_CATEGORY").GetInt32()); // nDPI's id of "User custom category 2"
            Assert.Matches("^[0-9a-f]{32}$", tls.GetProperty("JA3C_HASH").GetString()); // both engines export JA3
        }
        finally
        {
            File.Delete(categories);
        }
    }

    [Fact]
    public async Task An_unknown_dpi_engine_is_a_command_line_error()
    {
        await using var probe = NodeProcess.Probe("-i", Repo.SampleCapture, "-P", "-", "--dpi", "bogus");
        Assert.Equal(2, await probe.WaitForExitAsync(Run));
        Assert.Contains("--dpi: 'bogus' is not an engine", probe.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_protos_file_host_rule_names_the_flow_and_a_bad_one_is_refused()
    {
        Assert.True(File.Exists(Capture), $"the labelled DPI corpus is missing: {Capture}");
        var protos = Path.Combine(Path.GetTempPath(), $"flowhive-protos-{Guid.NewGuid():N}.txt");
        try
        {
            await File.WriteAllTextAsync(protos, "# ntopng format\nhost:\"instagram.com\"@PhotoApp\n");
            await using (var probe = NodeProcess.Probe("-i", Capture, "-P", "-", "-p", protos))
            {
                Assert.True(await probe.WaitForExitAsync(Run) == 0, probe.Output);
                Assert.Equal("TLS.PhotoApp", TlsFlow(Flows(probe.StandardOutput), probe.Output).GetProperty("L7_PROTO_NAME").GetString());
            }

            await File.WriteAllTextAsync(protos, "tcp:99999@Bad\n");
            await using (var bad = NodeProcess.Probe("-i", Capture, "-P", "-", "-p", protos))
            {
                Assert.Equal(2, await bad.WaitForExitAsync(Run));
                Assert.Contains($"{protos}:1: '99999' is not a port", bad.Output, StringComparison.Ordinal);
            }
        }
        finally
        {
            File.Delete(protos);
        }
    }

    private static List<JsonElement> Flows(string stdout) =>
        [.. stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement.Clone())];

    private static JsonElement TlsFlow(List<JsonElement> flows, string output)
    {
        var tls = flows.Where(f => f.TryGetProperty("L4_SRC_PORT", out var s) && f.TryGetProperty("L4_DST_PORT", out var d) &&
                                   (s.GetInt32() == 443 || d.GetInt32() == 443)).ToList();
        Assert.True(tls.Count == 1, $"expected one flow on port 443, found {tls.Count}:\n{string.Join('\n', flows)}\n{output}");
        return tls[0];
    }
}
