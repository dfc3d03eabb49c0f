using Akka.Actor;
using Akka.Cluster.Sharding;
using Flowhive.Collector.Actors;
using Flowhive.Collector.Node.Tests.Support;
using Flowhive.Collector.State;
using Flowhive.Collector.Storage;
using Flowhive.Shared.Cluster;
using Flowhive.Shared.Cluster.Messages;
using Flowhive.Shared.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace Flowhive.Collector.Node.Tests.Actors;

/// <summary>
/// Host entities with checkpoints over a real SQLite store, in an actor system that serializes every cluster message:
/// a host stopped for hand-off comes back with its totals, a changed host saves within the interval, and a checkpoint
/// that does not decode is dropped and counted.
/// </summary>
public sealed class CheckpointedHostEntityTests : Akka.TestKit.Xunit2.TestKit, IAsyncLifetime
{
    private const string EntityId = "0|0|192.168.1.1";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private static readonly HostKey Key = new(0, 0, IpAddr.Parse("192.168.1.1"));
    private readonly string _directory = Directory.CreateTempSubdirectory("flowhive-checkpoint-").FullName;
    private readonly SqliteStatsStore _store;
    private readonly CheckpointCounters _counters = new();

    public CheckpointedHostEntityTests(ITestOutputHelper output)
        : base(FlowhiveSerialization.Verified, output: output)
    {
        _store = new SqliteStatsStore(Path.Combine(_directory, "flowhive.db"), NullLogger.Instance);
    }

    public Task InitializeAsync() => _store.InitializeAsync(CancellationToken.None);

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private Checkpointing Checkpointing(TimeSpan interval) => new(Sys.ActorOf(CheckpointActor.Props(_store, _counters)), interval, _counters);

    private static HostTrafficDelta Delta(long bytes) => new(Key, 0x0011_2233_4455, Flows.T0, Flows.T0 + bytes, new HostCounters(bytes, 2 * bytes, 1, 2, 1, 0),
        [new L7Counters(7, 5, 3 * bytes, 3, 1)]);

    [Fact]
    public void A_host_stopped_for_hand_off_saves_first_and_its_next_incarnation_starts_from_the_checkpoint()
    {
        var checkpointing = Checkpointing(TimeSpan.FromHours(1));
        var first = Sys.ActorOf(HostEntityActor.Props(EntityId, TimeSpan.FromHours(1), NoHostAlerts.Instance, checkpointing));
        Watch(first);
        first.Tell(Delta(100));
        first.Tell(Delta(50));
        first.Tell(CheckpointActor.SaveAndStop.Instance);
        ExpectTerminated(first, Deadline);
        Assert.Equal(1, Interlocked.Read(ref _counters.Saved));

        // A query that arrives while the checkpoint loads waits for it, then sees the restored totals.
        var second = Sys.ActorOf(HostEntityActor.Props(EntityId, TimeSpan.FromHours(1), NoHostAlerts.Instance, checkpointing));
        second.Tell(new GetHostDetails(Key));
        var details = ExpectMsg<HostDetails>(Deadline);
        Assert.Equal(new HostCounters(150, 300, 2, 4, 2, 0), details.Totals);
        Assert.Equal(new L7Counters(7, 5, 450, 6, 2), Assert.Single(details.L7));
        Assert.Equal(1, Interlocked.Read(ref _counters.HostsRestored));

        // Further deltas add to the restored totals.
        second.Tell(Delta(1));
        second.Tell(new GetHostDetails(Key));
        Assert.Equal(new HostCounters(151, 302, 3, 6, 3, 0), ExpectMsg<HostDetails>(Deadline).Totals);
    }

    [Fact]
    public async Task A_changed_host_saves_within_the_interval_without_stopping()
    {
        var entity = Sys.ActorOf(HostEntityActor.Props(EntityId, TimeSpan.FromHours(1), NoHostAlerts.Instance, Checkpointing(TimeSpan.FromMilliseconds(200))));
        entity.Tell(Delta(10));

        Poll.Until(() => Interlocked.Read(ref _counters.Saved) == 1, Deadline, "the first checkpoint");
        var row = Assert.Single(await _store.LoadCheckpointsAsync(HostCheckpoint.Scope, [EntityId], CancellationToken.None));
        Assert.Equal(new HostCounters(10, 20, 1, 2, 1, 0), HostCheckpoint.Read(Key, row.State).Totals);

        // Nothing changed: nothing more is saved.
        await Task.Delay(600);
        Assert.Equal(1, Interlocked.Read(ref _counters.Saved));
    }

    [Fact]
    public async Task A_checkpoint_that_does_not_decode_is_dropped_counted_and_the_host_starts_over()
    {
        await _store.SaveCheckpointsAsync([new Checkpoint(HostCheckpoint.Scope, EntityId, [1, 2, 3])], CancellationToken.None);
        var entity = Sys.ActorOf(HostEntityActor.Props(EntityId, TimeSpan.FromHours(1), NoHostAlerts.Instance, Checkpointing(TimeSpan.FromHours(1))));

        entity.Tell(Delta(5));
        entity.Tell(new GetHostDetails(Key));

        Assert.Equal(new HostCounters(5, 10, 1, 2, 1, 0), ExpectMsg<HostDetails>(Deadline).Totals);
        Assert.Equal(1, Interlocked.Read(ref _counters.Corrupt));
        Assert.Equal(0, Interlocked.Read(ref _counters.HostsRestored));
    }

    [Fact]
    public void An_idle_checkpointed_host_asks_to_passivate_with_the_save_and_stop_message()
    {
        var shard = CreateTestProbe();
        shard.ChildActorOf(HostEntityActor.Props(EntityId, TimeSpan.FromMilliseconds(200), NoHostAlerts.Instance, Checkpointing(TimeSpan.FromHours(1))));

        Assert.IsType<CheckpointActor.SaveAndStop>(shard.ExpectMsg<Passivate>(Deadline).StopMessage);
    }
}
