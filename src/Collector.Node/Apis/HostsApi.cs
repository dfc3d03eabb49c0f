using System.Globalization;
using Akka.Actor;
using Akka.Hosting;
using Flowhive.Collector.Cluster;
using Flowhive.Collector.Configuration;
using Flowhive.Collector.Ingest;
using Flowhive.Shared.Cluster;
using Flowhive.Shared.Cluster.Messages;
using Flowhive.Shared.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Flowhive.Collector.Apis;

/// <summary><c>/api/v1/interfaces/{ifid}/hosts</c>: the host list (from the interface's host index) and one host's details (from its entity).</summary>
public static class HostsApi
{
    public const int MaxPageSize = 1000;

    private static readonly Dictionary<string, HostSortColumn> SortColumns = new(StringComparer.Ordinal)
    {
        ["bytes"] = HostSortColumn.Bytes,
        ["bytes_sent"] = HostSortColumn.BytesSent,
        ["bytes_rcvd"] = HostSortColumn.BytesRcvd,
        ["packets"] = HostSortColumn.Packets,
        ["flows"] = HostSortColumn.Flows,
        ["last_seen"] = HostSortColumn.LastSeen,
        ["first_seen"] = HostSortColumn.FirstSeen,
        ["ip"] = HostSortColumn.Ip,
        ["throughput"] = HostSortColumn.Throughput,
    };

    public static IEndpointRouteBuilder MapHostsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/interfaces/{ifid:int}/hosts", async (int ifid, HttpRequest request, IngestService ingest, CollectorOptions options,
            IRequiredActor<InterfaceRegion> region, CancellationToken cancel) =>
        {
            if (ApiError.UnknownParameters(request, "sort", "order", "offset", "limit", "mode") is { } bad)
            {
                return bad;
            }

            if (ingest.Interfaces.All(i => i.Config.IfId != ifid))
            {
                return ApiError.NotFound($"no interface {ifid}");
            }

            var sortText = request.Query["sort"].ToString();
            var sort = HostSortColumn.Bytes;
            if (sortText.Length > 0 && !SortColumns.TryGetValue(sortText, out sort))
            {
                return ApiError.BadRequest($"sort: '{sortText}' is not one of {string.Join(", ", SortColumns.Keys)}");
            }

            var order = request.Query["order"].ToString();
            if (order.Length > 0 && order is not ("asc" or "desc"))
            {
                return ApiError.BadRequest($"order: '{order}' is not asc or desc");
            }

            if (!TryPaging(request, out var offset, out var limit, out var error))
            {
                return error!;
            }

            // ntopng's hosts list "mode": local and remote as -m defines them (without -m every host is remote).
            var mode = request.Query["mode"].ToString();
            var filter = mode switch
            {
                "" or "all" => HostFilter.All,
                "local" => HostFilter.Local,
                "remote" => HostFilter.Remote,
                _ => (HostFilter?)null,
            };
            if (filter is null)
            {
                return ApiError.BadRequest($"mode: '{mode}' is not all, local or remote");
            }

            try
            {
                var page = await region.ActorRef.Ask<HostPage>(new GetHosts(ifid, sort, order != "asc", offset, limit, filter.Value), InterfacesApi.AskTimeout, cancel);
                return Results.Json(new { total = page.Total, offset, limit, hosts = page.Hosts.Select(h => ApiJson.Host(h, options.LocalNetworks)) });
            }
            catch (AskTimeoutException)
            {
                return ApiError.Unavailable($"interface {ifid} did not answer");
            }
        });

        app.MapGet("/api/v1/interfaces/{ifid:int}/hosts/{host}", async (int ifid, string host, HttpRequest request, IngestService ingest, CollectorOptions options,
            IRequiredActor<HostRegion> region, CancellationToken cancel) =>
        {
            if (ApiError.UnknownParameters(request) is { } bad)
            {
                return bad;
            }

            if (ingest.Interfaces.All(i => i.Config.IfId != ifid))
            {
                return ApiError.NotFound($"no interface {ifid}");
            }

            if (!TryParseHost(ifid, host, out var key))
            {
                return ApiError.BadRequest($"host: '{host}' is not an IP address, optionally with @vlan (192.168.1.1@10)");
            }

            try
            {
                var details = await region.ActorRef.Ask<HostDetails>(new GetHostDetails(key), InterfacesApi.AskTimeout, cancel);
                return details.Known ? Results.Json(ApiJson.HostDetails(details, options.LocalNetworks)) : ApiError.NotFound($"host {host} not seen on interface {ifid}");
            }
            catch (AskTimeoutException)
            {
                return ApiError.Unavailable($"host {host} did not answer");
            }
        });
        return app;
    }

    /// <summary>ntopng's host form: "ip" or "ip@vlan".</summary>
    public static bool TryParseHost(int ifid, string text, out HostKey key)
    {
        key = default;
        var at = text.LastIndexOf('@');
        ushort vlan = 0;
        var ipText = at < 0 ? text : text[..at];
        if (at >= 0 && (!ushort.TryParse(text[(at + 1)..], NumberStyles.Integer, CultureInfo.InvariantCulture, out vlan) || vlan > 4095))
        {
            return false;
        }

        if (ipText.Length > 64 || !IpAddr.TryParse(ipText, out var ip))
        {
            return false;
        }

        key = new HostKey(ifid, vlan, ip);
        return true;
    }

    internal static bool TryPaging(HttpRequest request, out int offset, out int limit, out IResult? error)
    {
        offset = 0;
        limit = 50;
        error = null;
        var offsetText = request.Query["offset"].ToString();
        var limitText = request.Query["limit"].ToString();
        if (offsetText.Length > 0 && (!int.TryParse(offsetText, NumberStyles.None, CultureInfo.InvariantCulture, out offset) || offset < 0))
        {
            error = ApiError.BadRequest($"offset: '{offsetText}' is not a number >= 0");
            return false;
        }

        if (limitText.Length > 0 && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > MaxPageSize))
        {
            error = ApiError.BadRequest($"limit: '{limitText}' is not a number between 1 and {MaxPageSize}");
            return false;
        }

        return true;
    }
}
