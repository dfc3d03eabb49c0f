using System.Net.Http.Json;
using System.Text.Json;

namespace Flowhive.EndToEnd.Support;

/// <summary>A host as the collector's API lists it.</summary>
public sealed record ApiHost(ushort Vlan, string Ip, long BytesSent, long BytesRcvd, long PacketsSent, long PacketsRcvd, long FlowsAsClient, long FlowsAsServer);

/// <summary>Thin client for the collector's HTTP API, for assertions; on 127.0.0.1 of the network namespace <paramref name="ns"/> when given.</summary>
public sealed class CollectorApi(int port, string? ns = null) : IDisposable
{
    private readonly HttpClient _http = new(ns is null ? new SocketsHttpHandler() : NamespaceSocket.HttpHandler(ns))
    {
        BaseAddress = new Uri($"http://127.0.0.1:{port}"),
        Timeout = TimeSpan.FromSeconds(10),
    };

    public HttpClient Http => _http;

    public async Task WaitHealthyAsync(NodeProcess collector, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (collector.HasExited)
            {
                throw new InvalidOperationException($"collector exited with {collector.ExitCode}:\n{collector.Output}");
            }

            try
            {
                using var response = await _http.GetAsync("/health");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"collector not healthy within {timeout.TotalSeconds} s:\n{collector.Output}");
    }

    public async Task<JsonElement> GetJsonAsync(string path) => await _http.GetFromJsonAsync<JsonElement>(path);

    public async Task<IReadOnlyList<ApiHost>> HostsAsync(int ifid)
    {
        var hosts = new List<ApiHost>();
        for (var offset = 0; ; offset += 1000)
        {
            var page = await GetJsonAsync($"/api/v1/interfaces/{ifid}/hosts?limit=1000&offset={offset}&sort=ip&order=asc");
            foreach (var h in page.GetProperty("hosts").EnumerateArray())
            {
                hosts.Add(new ApiHost(h.GetProperty("vlan").GetUInt16(), CaptureTruth.Normalize(h.GetProperty("ip").GetString()!),
                    h.GetProperty("bytes_sent").GetInt64(), h.GetProperty("bytes_rcvd").GetInt64(),
                    h.GetProperty("packets_sent").GetInt64(), h.GetProperty("packets_rcvd").GetInt64(),
                    h.GetProperty("flows_as_client").GetInt64(), h.GetProperty("flows_as_server").GetInt64()));
            }

            if (offset + 1000 >= page.GetProperty("total").GetInt32())
            {
                return hosts;
            }
        }
    }

    /// <summary>
    /// Each host's own entity (<c>/hosts/{ip}@{vlan}</c>), not the interface's index: null for a host the cluster does
    /// not know or that did not answer.
    /// </summary>
    public async Task<IReadOnlyList<ApiHost>> HostDetailsAsync(int ifid, IEnumerable<(ushort Vlan, string Ip)> hosts)
    {
        var found = new List<ApiHost>();
        foreach (var (vlan, ip) in hosts)
        {
            using var response = await _http.GetAsync($"/api/v1/interfaces/{ifid}/hosts/{ip}@{vlan}");
            if (!response.IsSuccessStatusCode)
            {
                continue;
            }

            var h = await response.Content.ReadFromJsonAsync<JsonElement>();
            found.Add(new ApiHost(vlan, ip, h.GetProperty("bytes_sent").GetInt64(), h.GetProperty("bytes_rcvd").GetInt64(),
                h.GetProperty("packets_sent").GetInt64(), h.GetProperty("packets_rcvd").GetInt64(),
                h.GetProperty("flows_as_client").GetInt64(), h.GetProperty("flows_as_server").GetInt64()));
        }

        return found;
    }

    public void Dispose() => _http.Dispose();
}
