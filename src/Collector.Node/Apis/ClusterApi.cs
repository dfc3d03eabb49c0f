using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Hosting;
using Flowhive.Collector.Cluster;
using Flowhive.Collector.Configuration;
using Flowhive.Collector.State;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Flowhive.Collector.Apis;

/// <summary>
/// <c>/api/v1/cluster</c>: the cluster as this node sees it: members with roles, status and version, the
/// unreachable ones, the leader, and shards and entities per node for the host and interface regions. Served by
/// every node (not only the api role) so that an operator can ask any of them.
/// </summary>
public static class ClusterApi
{
    private static readonly TimeSpan StatsTimeout = TimeSpan.FromSeconds(3);

    public static IEndpointRouteBuilder MapClusterApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/cluster", async (HttpRequest request, ActorSystem system, IRequiredActor<HostRegion> hosts, IRequiredActor<InterfaceRegion> interfaces,
            CheckpointCounters checkpoints, CollectorOptions options, CancellationToken cancel) =>
        {
            if (ApiError.UnknownParameters(request) is { } bad)
            {
                return bad;
            }

            var cluster = Akka.Cluster.Cluster.Get(system);
            var state = cluster.State;
            var unreachable = state.Unreachable.Select(m => m.Address).ToHashSet();
            var hostStats = await ShardingStats(hosts.ActorRef, cancel);
            var interfaceStats = await ShardingStats(interfaces.ActorRef, cancel);
            return Results.Json(new
            {
                self = cluster.SelfAddress.ToString(),
                self_status = cluster.SelfMember.Status.ToString().ToLowerInvariant(),
                self_roles = cluster.SelfRoles.Order(StringComparer.Ordinal),
                leader = state.Leader?.ToString(),
                members = state.Members.Select(m => new
                {
                    address = m.Address.ToString(),
                    status = m.Status.ToString().ToLowerInvariant(),
                    roles = m.Roles.Order(StringComparer.Ordinal),
                    app_version = m.AppVersion.ToString(),
                    reachable = !unreachable.Contains(m.Address),
                }),
                unreachable = unreachable.Select(a => a.ToString()),
                sharding = new
                {
                    complete = hostStats.Complete && interfaceStats.Complete,
                    host = hostStats.Nodes,
                    @interface = interfaceStats.Nodes,
                },
                // This node's checkpointing (state nodes): how entities come back after a node is lost.
                checkpoints = new
                {
                    interval_s = options.CheckpointInterval.TotalSeconds,
                    saved = Interlocked.Read(ref checkpoints.Saved),
                    hosts_restored = Interlocked.Read(ref checkpoints.HostsRestored),
                    interfaces_restored = Interlocked.Read(ref checkpoints.InterfacesRestored),
                    corrupt = Interlocked.Read(ref checkpoints.Corrupt),
                    duplicates_skipped = Interlocked.Read(ref checkpoints.DuplicatesSkipped),
                    store_failures = Interlocked.Read(ref checkpoints.StoreFailures),
                },
            });
        });
        return app;
    }

    private static async Task<(bool Complete, object[] Nodes)> ShardingStats(IActorRef region, CancellationToken cancel)
    {
        try
        {
            var stats = await region.Ask<ClusterShardingStats>(new GetClusterShardingStats(StatsTimeout), StatsTimeout + TimeSpan.FromSeconds(1), cancel);
            var nodes = stats.Regions.OrderBy(r => r.Key.ToString(), StringComparer.Ordinal).Select(r => (object)new
            {
                address = r.Key.ToString(),
                shards = r.Value.Stats.Count,
                entities = r.Value.Stats.Values.Sum(),
                failed_shards = r.Value.Failed.Count,
            }).ToArray();
            return (stats.Regions.Values.All(r => r.Failed.Count == 0), nodes);
        }
        catch (AskTimeoutException)
        {
            return (false, []);
        }
    }
}
