using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Cluster.Sharding;
using Akka.Event;
using Akka.Hosting;
using Akka.Remote.Hosting;
using Flowhive.Collector.Actors;
using Flowhive.Collector.Configuration;
using Flowhive.Collector.Storage;
using Flowhive.Shared.Cluster;
using Flowhive.Shared.Cluster.Serialization;
using Flowhive.Shared.Cluster.Sharding;
using Microsoft.Extensions.DependencyInjection;

namespace Flowhive.Collector.Cluster;

/// <summary>The collector's actor system: remoting, clustering, the binary serializer, the two shard regions and the stats writer.</summary>
public static class ClusterSetup
{
    /// <summary>Every role in one process (the default); role selection by flag comes with multi-node deployments.</summary>
    public static readonly string[] AllRoles = ["ingest", "state", "api", "writer"];

    public static IServiceCollection AddFlowhiveCluster(this IServiceCollection services, CollectorOptions options)
    {
        services.AddAkka("flowhive", (akka, provider) =>
        {
            akka.ConfigureLoggers(loggers =>
            {
                loggers.ClearLoggers();
                loggers.AddLoggerFactory();
            });
            akka.WithRemoting(new RemoteOptions { HostName = options.ClusterHost, Port = options.ClusterPort })
                .WithClustering(new ClusterOptions { SeedNodes = [.. options.SeedNodes], Roles = AllRoles })
                .WithCustomSerializer("flowhive", [typeof(IFlowhiveMessage)], system => new FlowhiveSerializer(system))
                .WithActors((system, registry) =>
                {
                    var writer = system.ActorOf(StatsWriterActor.Props(provider.GetRequiredService<IStatsStore>()), "stats-writer");
                    registry.Register<StatsWriter>(writer);

                    // Last thing before the actor system goes: every row the entities flushed while their shards
                    // were handed off is written.
                    CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate, "drain-stats-writer", async () =>
                    {
                        try
                        {
                            await writer.Ask<StatsWriterActor.Drained>(StatsWriterActor.Drain.Instance, TimeSpan.FromSeconds(20));
                        }
                        catch (AskTimeoutException)
                        {
                            system.Log.Warning("the store did not take the last rows within 20 s");
                        }

                        return Akka.Done.Instance;
                    });
                })
                .WithShardRegion<HostRegion>("host",
                    entityId => HostEntityActor.Props(entityId, options.HostPassivation, NoHostAlerts.Instance),
                    new FlowhiveMessageExtractor(),
                    new ShardOptions
                    {
                        StateStoreMode = StateStoreMode.DData,
                        RememberEntities = false,
                        // Host entities passivate themselves after their own idle timeout.
                        ShouldPassivateIdleEntities = false,
                    })
                .WithShardRegion<InterfaceRegion>("interface",
                    (_, registry) => entityId => InterfaceEntityActor.Props(entityId, registry.Get<StatsWriter>(), options.FlushInterval,
                        options.ActiveFlowTimeout, TimeProvider.System),
                    new FlowhiveMessageExtractor(),
                    new ShardOptions
                    {
                        StateStoreMode = StateStoreMode.DData,
                        RememberEntities = false,
                        ShouldPassivateIdleEntities = false,
                    })
                .AddStartup((system, _) =>
                {
                    // No seed nodes: this node forms its own one-node cluster.
                    if (options.SeedNodes.Count == 0)
                    {
                        var cluster = Akka.Cluster.Cluster.Get(system);
                        cluster.Join(cluster.SelfAddress);
                    }
                });
        });
        return services;
    }
}
