using Akka.Actor;
using Akka.Hosting;
using Flowhive.Collector.Cluster;
using Flowhive.Collector.Ingest;
using Flowhive.Shared.Cluster;
using Flowhive.Shared.Cluster.Messages;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Flowhive.Collector.Apis;

/// <summary><c>/api/v1/interfaces/{ifid}/flows</c>: the active flow list, optionally for one host.</summary>
public static class FlowsApi
{
    public static IEndpointRouteBuilder MapFlowsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/interfaces/{ifid:int}/flows", async (int ifid, HttpRequest request, IngestService ingest,
            IRequiredActor<InterfaceRegion> region, CancellationToken cancel) =>
        {
            if (ApiError.UnknownParameters(request, "host", "offset", "limit") is { } bad)
            {
                return bad;
            }

            if (ingest.Interfaces.All(i => i.Config.IfId != ifid))
            {
                return ApiError.NotFound($"no interface {ifid}");
            }

            HostKey? host = null;
            var hostText = request.Query["host"].ToString();
            if (hostText.Length > 0)
            {
                if (!HostsApi.TryParseHost(ifid, hostText, out var key))
                {
                    return ApiError.BadRequest($"host: '{hostText}' is not an IP address, optionally with @vlan");
                }

                host = key;
            }

            if (!HostsApi.TryPaging(request, out var offset, out var limit, out var error))
            {
                return error!;
            }

            try
            {
                var page = await region.ActorRef.Ask<FlowPage>(new GetActiveFlows(ifid, offset, limit, host), InterfacesApi.AskTimeout, cancel);
                return Results.Json(new { total = page.Total, offset, limit, flows = page.Flows.Select(ApiJson.Flow) });
            }
            catch (AskTimeoutException)
            {
                return ApiError.Unavailable($"interface {ifid} did not answer");
            }
        });
        return app;
    }
}
