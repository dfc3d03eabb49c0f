using Akka.Actor;
using Akka.Hosting;
using Flowhive.Collector.Cluster;
using Flowhive.Collector.Configuration;
using Flowhive.Hosting.FlowCollection;
using Flowhive.Probe.Engine.Capture;
using Flowhive.Probe.Engine.Flows;
using Flowhive.Probe.Engine.Workers;
using Flowhive.Shared.Cluster.Messages;
using Flowhive.Shared.Flows;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Flowhive.Collector.Ingest;

/// <summary>One interface's ingest on this node: its pipeline and either a ZeroMQ subscriber or an in-process capture.</summary>
public sealed record IngestInterface(CollectorInterface Config, IngestPipeline Pipeline, ZmqFlowSubscriber? Subscriber, LocalCapture? Capture)
{
    /// <summary>The NetFlow/IPFIX/sFlow listener of a <c>udp://</c> interface.</summary>
    public FlowDatagramListener? Listener { get; init; }
}

/// <summary>
/// Starts the ingest of every <c>-i</c> once this node is a cluster member: sockets are bound and capture
/// sources opened first, so a bad endpoint or file stops the start with a one-line error. With
/// <c>--shutdown-when-done</c> it stops the node once every capture file has been processed.
/// </summary>
public sealed partial class IngestService(
    CollectorOptions options,
    ActorSystem system,
    IRequiredActor<HostRegion> hostRegion,
    IRequiredActor<InterfaceRegion> interfaceRegion,
    IHostApplicationLifetime lifetime,
    ILoggerFactory loggers) : IHostedService
{
    /// <summary>
    /// How much longer than the checkpoint interval deltas are kept for a resend: the time the cluster takes to remove
    /// a dead node (failure detection, then the split-brain resolver's 20 s stable-after), the resend delays, and slack.
    /// </summary>
    private static readonly TimeSpan ResendMargin = TimeSpan.FromSeconds(60);

    private readonly ILogger _log = loggers.CreateLogger("flowhive.ingest");
    private readonly List<IngestInterface> _interfaces = [];

    private readonly CancellationTokenSource _stopping = new();
    private Task _started = Task.CompletedTask;
    private bool _pipelinesStarted;

    public IReadOnlyList<IngestInterface> Interfaces => _interfaces;

    /// <summary>The CURVE key pair when <c>--zmq-encryption</c> is on.</summary>
    public ZmqKeyPair? Encryption { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var hosts = await hostRegion.GetAsync(cancellationToken);
        var ifaces = await interfaceRegion.GetAsync(cancellationToken);
        var pool = new FlowBatchPool();
        if (options.ZmqEncryption && options.Interfaces.Any(i => i.IsZmq))
        {
            Encryption = ZmqKeyPair.LoadOrCreate(options.DataDirectory, options.ZmqSecretKey);
            LogEncryption(_log, Encryption.PublicKeyZ85, Encryption.PublicKeyHex, Encryption.Source);
        }

        foreach (var config in options.Interfaces)
        {
            // With checkpoints, what was sent lately is kept to be sent again if a state node dies (see RecentDeltas).
            var recent = options.CheckpointInterval > TimeSpan.Zero ? new RecentDeltas(options.CheckpointInterval + ResendMargin) : null;
            var pipeline = new IngestPipeline(config.IfId, config.Name, hosts, ifaces, new IngestCounters(), pool, foldsOnCaller: config.IsFlowListener,
                localNetworks: options.LocalNetworks, recent: recent);
            if (config.IsZmq)
            {
                var subscriber = new ZmqFlowSubscriber(config, pipeline, loggers.CreateLogger("flowhive.ingest.zmq"), Encryption);
                subscriber.Open();
                _interfaces.Add(new IngestInterface(config, pipeline, subscriber, null));
            }
            else if (config.IsFlowListener)
            {
                var listener = new FlowDatagramListener($"-i {config.Name}", $"flow-udp:{config.IfId}", config.FlowListener!,
                    new PipelineDatagramSink(pipeline), loggers.CreateLogger("flowhive.ingest.netflow"), options.DataDirectory);
                listener.Open();
                _interfaces.Add(new IngestInterface(config, pipeline, null, null) { Listener = listener });
            }
            else
            {
                var source = CaptureSources.Open(config.CaptureSource!, options.Replay, options.Live);
                var engine = new CaptureEngine(source, options.FlowTable, new BatchingFlowSink(pool, pipeline.Enqueue));
                _interfaces.Add(new IngestInterface(config, pipeline, null, new LocalCapture(engine, pipeline, loggers.CreateLogger("flowhive.capture"))));
            }
        }

        if (_interfaces.Count > 0 && options.CheckpointInterval > TimeSpan.Zero)
        {
            system.ActorOf(NodeLossWatcher.Props([.. _interfaces.Select(i => i.Pipeline)]), "node-loss-watcher");
        }

        // Flows go to sharded entities, which need this node to be up in the cluster. Waiting for that happens
        // in the background: the HTTP server (health, cluster view) must answer while a node is still joining.
        _started = StartWhenMemberUpAsync();
    }

    private async Task StartWhenMemberUpAsync()
    {
        var memberUp = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Akka.Cluster.Cluster.Get(system).RegisterOnMemberUp(() => memberUp.TrySetResult());
        try
        {
            await memberUp.Task.WaitAsync(_stopping.Token);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        _pipelinesStarted = true;
        foreach (var i in _interfaces)
        {
            i.Pipeline.Start();
            i.Subscriber?.Start();
            i.Listener?.Start();
            i.Capture?.Start();
            LogStarted(_log, i.Config.IfId, i.Config.Name);
        }

        if (options.ShutdownWhenDone)
        {
            var captures = _interfaces.Where(i => i.Capture is not null).ToList();
            if (captures.Count == 0)
            {
                LogNothingToFinish(_log);
            }
            else
            {
                _ = StopWhenDoneAsync(captures);
            }
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _started;
        foreach (var i in _interfaces)
        {
            i.Capture?.Stop();
            i.Subscriber?.Stop();
            i.Listener?.Stop();
            i.Pipeline.Complete();
        }

        // Pipelines of a node that never joined never ran: nothing to drain.
        var running = _pipelinesStarted ? _interfaces.Select(i => i.Pipeline.Completion) : [];
        await Task.WhenAll(running).WaitAsync(TimeSpan.FromSeconds(10), cancellationToken)
            .ContinueWith(_ =>
            {
                foreach (var i in _interfaces)
                {
                    i.Subscriber?.Dispose();
                    i.Listener?.Dispose();
                    i.Capture?.Dispose();
                    i.Pipeline.Dispose();
                }
            }, TaskScheduler.Default);
    }

    private async Task StopWhenDoneAsync(List<IngestInterface> captures)
    {
        try
        {
            await Task.WhenAll(captures.Select(c => c.Capture!.Finished));
            await Task.WhenAll(captures.Select(c => c.Pipeline.Completion));

            // Completion means every message was handed to the shard region, not applied: on a node that has only just
            // started, the region may still hold them until its shards are allocated, and a shutdown then would drop
            // them. A question asked after the last delta is answered after the entity applied it (the region keeps
            // the order), so the answers are the barrier.
            var region = await interfaceRegion.GetAsync();
            await Task.WhenAll(captures.Select(c =>
                region.Ask<InterfaceSummary>(new GetInterfaceSummary(c.Config.IfId), TimeSpan.FromSeconds(60))));
        }
        catch (Exception e)
        {
            LogCaptureFailed(_log, e);
        }

        LogShuttingDown(_log);
        lifetime.StopApplication();
    }

    [LoggerMessage(EventId = 404, Level = LogLevel.Information, Message = "ZeroMQ encryption on: public key {Z85} (hex {Hex}); probes use --zmq-encryption-key with either form; keys from {Source}")]
    private static partial void LogEncryption(ILogger log, string z85, string hex, string source);

    [LoggerMessage(EventId = 400, Level = LogLevel.Information, Message = "interface {IfId} ({Name}) ingest started")]
    private static partial void LogStarted(ILogger log, int ifId, string name);

    [LoggerMessage(EventId = 401, Level = LogLevel.Warning, Message = "--shutdown-when-done has no capture file to wait for; ignored")]
    private static partial void LogNothingToFinish(ILogger log);

    [LoggerMessage(EventId = 402, Level = LogLevel.Information, Message = "every capture source is done (--shutdown-when-done): shutting down")]
    private static partial void LogShuttingDown(ILogger log);

    [LoggerMessage(EventId = 403, Level = LogLevel.Error, Message = "a capture source failed")]
    private static partial void LogCaptureFailed(ILogger log, Exception error);
}
