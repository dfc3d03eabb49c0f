using Akka.Actor;
using Akka.Cluster.Hosting;
using Akka.Cluster.Hosting.SBR;
using Akka.Cluster.Routing;
using Akka.Cluster.Sharding;
using Akka.DependencyInjection;
using Akka.Event;
using Akka.Hosting;
using Akka.Remote.Hosting;
using Akka.Routing;
using Flowhive.Collector.Actors;
using Flowhive.Collector.Configuration;
using Flowhive.Collector.State;
using Flowhive.Collector.Storage;
using Flowhive.Shared.Cluster;
using Flowhive.Shared.Cluster.Serialization;
using Flowhive.Shared.Cluster.Sharding;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Flowhive.Collector.Cluster;

/// <summary>The collector's actor system: remoting, clustering, the binary serializer, the two shard regions and the stats writer.</summary>
public static class ClusterSetup
{
    public static IServiceCollection AddFlowhiveCluster(this IServiceCollection services, CollectorOptions options)
    {
        services.TryAddSingleton<CheckpointCounters>();
        // Checkpoints live in the node's store: both stores keep them beside the time series.
        services.TryAddSingleton(sp => sp.GetRequiredService<IStatsStore>() as ICheckpointStore
            ?? throw new InvalidOperationException("checkpoints need a store that keeps them (--checkpoint-interval 0 turns them off)"));
        services.AddAkka("flowhive", (akka, provider) =>
        {
            akka.ConfigureLoggers(loggers =>
            {
                loggers.ClearLoggers();
                loggers.AddLoggerFactory();
            });
            // No automatic rebalancing: entity state does not travel with a rebalanced shard yet, so moving a shard
            // between live nodes would reset its hosts' counters. Shards move only when their node leaves or fails.
            akka.AddHocon("akka.cluster.sharding.least-shard-allocation-strategy.rebalance-threshold = 2147483647", HoconAddMode.Prepend);
            akka.WithRemoting(new RemoteOptions { HostName = options.ClusterHost, PublicHostName = options.ClusterPublicHost, Port = options.ClusterPort })
                .WithClustering(new ClusterOptions
                {
                    SeedNodes = [.. options.SeedNodes],
                    Roles = [.. options.Roles],
                    // Nodes of another Flowhive version join (rolling upgrades) but are visible as such in the cluster view.
                    AppVersion = typeof(ClusterSetup).Assembly.GetName().Version?.ToString(3),
                    // A partition keeps the side with the majority of nodes; the minority downs itself, so two
                    // halves never both own the same hosts.
                    SplitBrainResolver = new KeepMajorityOption(),
                })
                .WithCustomSerializer("flowhive", [typeof(IFlowhiveMessage)], system => new FlowhiveSerializer(system))
                .WithActors((system, registry) =>
                {
                    system.ActorOf(ClusterMonitorActor.Props(options.SeedNodes), "cluster-monitor");
                    if (!options.HasRole(ClusterRoles.Writer))
                    {
                        // Rows go to whichever writer node is up; the store merges them additively, so any writer will do.
                        registry.Register<StatsWriter>(system.ActorOf(Props.Empty.WithRouter(new ClusterRouterGroup(
                            new RoundRobinGroup([StatsWriterPath]),
                            new ClusterRouterGroupSettings(int.MaxValue, [StatsWriterPath], allowLocalRoutees: false, useRole: ClusterRoles.Writer))),
                            "stats-writers"));
                        return;
                    }

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
                .WithFlowhiveShardRegions(options)
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

    /// <summary>Where every writer node's stats writer lives, for the router on nodes without the writer role.</summary>
    public const string StatsWriterPath = "/user/stats-writer";

    /// <summary>State nodes host the entities; every other node reaches them through a proxy of the same region.</summary>
    private static AkkaConfigurationBuilder WithFlowhiveShardRegions(this AkkaConfigurationBuilder akka, CollectorOptions options)
    {
        if (!options.HasRole(ClusterRoles.State))
        {
            return akka
                .WithShardRegionProxy<HostRegion>("host", ClusterRoles.State, new FlowhiveMessageExtractor())
                .WithShardRegionProxy<InterfaceRegion>("interface", ClusterRoles.State, new FlowhiveMessageExtractor());
        }

        var checkpointing = options.CheckpointInterval > TimeSpan.Zero;
        return akka
            .WithActors((system, registry, resolver) =>
            {
                if (checkpointing)
                {
                    registry.Register<CheckpointStore>(system.ActorOf(CheckpointActor.Props(resolver.GetService<ICheckpointStore>(),
                        resolver.GetService<CheckpointCounters>()), "checkpoints"));
                }
            })
            .WithShardRegion<HostRegion>("host",
                (_, registry, resolver) => entityId => HostEntityActor.Props(entityId, options.HostPassivation, NoHostAlerts.Instance,
                    Checkpointing(registry, resolver)),
                new FlowhiveMessageExtractor(),
                StateShardOptions(checkpointing))
            .WithShardRegion<InterfaceRegion>("interface",
                (_, registry, resolver) => entityId => InterfaceEntityActor.Props(entityId, registry.Get<StatsWriter>(), options.FlushInterval,
                    options.ActiveFlowTimeout, TimeProvider.System, Checkpointing(registry, resolver)),
                new FlowhiveMessageExtractor(),
                StateShardOptions(checkpointing));

        Checkpointing? Checkpointing(IReadOnlyActorRegistry registry, IDependencyResolver resolver) => checkpointing
            ? new Checkpointing(registry.Get<CheckpointStore>(), options.CheckpointInterval, resolver.GetService<CheckpointCounters>())
            : null;
    }

    /// <summary>
    /// Both regions: entities on state nodes only, shard locations in distributed data (no journal needed).
    /// Entities passivate themselves (hosts after their idle timeout), so sharding's idle passivation is off. With
    /// checkpoints, an entity handed off saves its state before it stops, and the node taking over loads it.
    /// </summary>
    private static ShardOptions StateShardOptions(bool checkpointing) => new()
    {
        Role = ClusterRoles.State,
        StateStoreMode = StateStoreMode.DData,
        RememberEntities = false,
        ShouldPassivateIdleEntities = false,
        HandOffStopMessage = checkpointing ? CheckpointActor.SaveAndStop.Instance : PoisonPill.Instance,
    };
}
