using Flowhive.Collector.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Flowhive.Collector.Hosting;

/// <summary>What every collector node sets up the same way: logging and the health endpoints.</summary>
public static class NodeDefaults
{
    public static WebApplicationBuilder AddNodeDefaults(this WebApplicationBuilder builder, CollectorOptions options)
    {
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "yyyy-MM-dd HH:mm:ss ";
        });

        // ntopng's -v scale: 0 errors only ... 6 debug.
        builder.Logging.SetMinimumLevel(options.Verbosity switch
        {
            0 => LogLevel.Error,
            1 => LogLevel.Warning,
            2 or 3 => LogLevel.Information,
            _ => LogLevel.Debug,
        });
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting", LogLevel.Warning);
        return builder;
    }

    /// <summary><c>/alive</c>: the process answers; <c>/health</c>: this node is up in the cluster (ready for traffic).</summary>
    public static IEndpointRouteBuilder MapNodeDefaults(this IEndpointRouteBuilder app)
    {
        app.MapGet("/alive", () => Results.Text("alive"));
        app.MapGet("/health", (Akka.Actor.ActorSystem system) =>
        {
            var self = Akka.Cluster.Cluster.Get(system).SelfMember;
            return self.Status == Akka.Cluster.MemberStatus.Up
                ? Results.Json(new { status = "up", member = self.Address.ToString() })
                : Results.Json(new { status = self.Status.ToString().ToLowerInvariant(), member = self.Address.ToString() }, statusCode: 503);
        });
        return app;
    }
}
