using Akka.Actor;
using Akka.Hosting;
using Flowhive.Collector.Cluster;
using Flowhive.Collector.Configuration;
using Flowhive.Collector.Node.Tests.Support;
using Flowhive.Collector.Storage;
using Flowhive.Probe.Engine.Capture;
using Flowhive.Shared.Cluster;
using Flowhive.Shared.Cluster.Messages;
using Flowhive.Shared.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Flowhive.Collector.Node.Tests.Cluster;

/// <summary>
/// The collector's own actor-system set-up (<see cref="ClusterSetup.AddFlowhiveCluster"/>) in a Generic Host on
/// port 0: it forms a one-node cluster, the regions registered for the API answer, and stopping the host flushes
/// the interface entities' last rows through the stats writer into the store.
/// </summary>
[Collection(OneNodeClusterCollection.Name)]
public sealed class ClusterSetupTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"flowhive-cluster-setup-{Guid.NewGuid():N}");
    private SqliteStatsStore _store = null!;

    public async Task InitializeAsync()
    {
        _store = new SqliteStatsStore(Path.Combine(_directory, "stats.db"), NullLogger.Instance);
        await _store.InitializeAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task The_node_forms_a_cluster_answers_through_its_regions_and_flushes_on_shutdown()
    {
        var options = new CollectorOptions
        {
            Interfaces = [],
            DataDirectory = _directory,
            Replay = new ReplayOptions(),
            ClusterHost = "127.0.0.1",
            ClusterPort = 0,
            // Longer than the test: the only flush is the one at shutdown.
            FlushInterval = TimeSpan.FromHours(1),
        };
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IStatsStore>(_store);
        builder.Services.AddFlowhiveCluster(options);
        using var host = builder.Build();
        await host.StartAsync();

        var system = host.Services.GetRequiredService<ActorSystem>();
        var up = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Akka.Cluster.Cluster.Get(system).RegisterOnMemberUp(() => up.TrySetResult());
        await up.Task.WaitAsync(Deadline);

        var registry = host.Services.GetRequiredService<ActorRegistry>();
        var hosts = await registry.GetAsync<HostRegion>();
        var interfaces = await registry.GetAsync<InterfaceRegion>();
        var ip = IpAddr.Parse("10.1.2.3");
        var key = new HostKey(3, 0, ip);
        var delta = new HostCounters(4_000, 1_000, 40, 10, 2, 0);
        hosts.Tell(new HostTrafficDelta(key, 0xAB, Flows.T0, Flows.T0 + 1_000, delta), ActorRefs.NoSender);
        interfaces.Tell(new InterfaceTrafficDelta(3, "eth3", delta.TotalBytes, delta.TotalPackets, delta.FlowsAsClient,
            [new HostIndexDelta(0, ip, 0xAB, Flows.T0, Flows.T0 + 1_000, delta)], []), ActorRefs.NoSender);

        var details = await hosts.Ask<HostDetails>(new GetHostDetails(key), Deadline);
        Assert.Equal(delta, details.Totals);
        var summary = await interfaces.Ask<InterfaceSummary>(new GetInterfaceSummary(3), Deadline);
        Assert.Equal(delta.TotalBytes, summary.Bytes);
        Assert.Empty(await _store.GetHostTotalsAsync(3, CancellationToken.None));

        // Shutdown stops the entities (their last flush goes to the writer) and drains the writer before the system goes.
        using (var stopping = new CancellationTokenSource(Deadline))
        {
            await host.StopAsync(stopping.Token);
        }

        var stored = Assert.Single(await _store.GetHostTotalsAsync(3, CancellationToken.None));
        Assert.Equal(new HostTotals(0, ip, delta.BytesSent, delta.BytesRcvd, delta.PacketsSent, delta.PacketsRcvd, delta.FlowsAsClient, delta.FlowsAsServer), stored);
    }
}
