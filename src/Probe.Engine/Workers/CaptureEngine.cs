using Flowhive.Probe.Engine.Capture;
using Flowhive.Probe.Engine.Classification;
using Flowhive.Probe.Engine.Decode;
using Flowhive.Probe.Engine.Flows;

namespace Flowhive.Probe.Engine.Workers;

/// <summary>
/// The hot path for one capture source: read a batch, decode each frame, account it to its flow, hand
/// finished flows to the sink. With one worker the capture thread does it all; with several, the capture
/// thread decodes and deals packets to workers by a symmetric hash of the address pair (RSS-style: both
/// directions, and every fragment, of a conversation reach the same worker), each worker owning its slice
/// of the flows. Worker 0 is the capture thread itself and the others have a thread each, so N workers are N
/// busy threads (a separate dealing thread would leave one core short on a small machine, and every
/// packet it dealt would be copied). <see cref="Run"/> blocks on the calling (dedicated) thread. If it
/// throws, calling <see cref="Run"/> again resumes after the packet that failed, with the flow tables
/// intact: that is how the owning actor restarts a crashed capture thread without losing or double-counting
/// traffic.
/// </summary>
public sealed class CaptureEngine : IDisposable
{
    public const int MaxWorkers = 64;

    private readonly CaptureSource _source;
    private readonly FlowWorker[] _workers;
    private readonly bool _severalWorkers;
    private readonly TimeProvider _time;
    private readonly PacketBatch _batch = new();
    private readonly long[] _decodeCounts = new long[DecodeStatuses.Count];
    private int _next;
    private long _packets;
    private long _wireBytes;
    private long _faults;
    private volatile bool _finished;

    /// <summary>One worker on the capture thread, with one sink (and classifier).</summary>
    public CaptureEngine(CaptureSource source, FlowTableOptions options, IFlowSink sink, IFlowClassifier? classifier = null, TimeProvider? time = null)
        : this(source, options, _ => sink, classifier is null ? null : _ => classifier, workers: 1, time)
    {
    }

    /// <summary>
    /// <paramref name="workers"/> flow workers, each with its own sink and classifier from the factories (sinks and
    /// classifiers are used by one thread each). <see cref="FlowTableOptions.MaxFlows"/> is shared out between them.
    /// </summary>
    public CaptureEngine(CaptureSource source, FlowTableOptions options, Func<int, IFlowSink> sinkFactory, Func<int, IFlowClassifier?>? classifierFactory,
        int workers, TimeProvider? time = null)
    {
        if (workers < 1 || workers > MaxWorkers)
        {
            throw new ArgumentOutOfRangeException(nameof(workers), workers, $"between 1 and {MaxWorkers} workers");
        }

        _source = source;
        _time = time ?? TimeProvider.System;
        _severalWorkers = workers > 1;
        var perWorker = workers == 1 ? options : options with { MaxFlows = Math.Max(16, options.MaxFlows / workers) };
        _workers = new FlowWorker[workers];
        for (var i = 0; i < workers; i++)
        {
            _workers[i] = new FlowWorker(i, perWorker, sinkFactory(i), classifierFactory?.Invoke(i), threaded: i > 0);
        }
    }

    public CaptureSource Source => _source;

    public bool Finished => _finished;

    public int Workers => _workers.Length;

    /// <summary>Runs until the source ends (or <see cref="Stop"/> makes it end); then exports every remaining flow.</summary>
    public void Run()
    {
        foreach (var worker in _workers)
        {
            worker.Start();
        }

        // Runs until the source says End: after Stop a live source still hands over what the kernel buffered.
        while (true)
        {
            if (_next >= _batch.Count)
            {
                // Empty first: a read that throws leaves the batch as it was, and a restarted Run must not replay it.
                _next = 0;
                _batch.Count = 0;
                var status = _source.Read(_batch);
                if (status == ReadStatus.End)
                {
                    break;
                }

                if (status == ReadStatus.Timeout)
                {
                    // A quiet link: let the tables expire flows by the wall clock (file time never stalls like this).
                    var nowUs = _source.IsOffline ? 0 : _time.GetUtcNow().ToUnixTimeMilliseconds() * 1000;
                    foreach (var worker in _workers)
                    {
                        if (worker.Threaded)
                        {
                            worker.EnqueueTick(nowUs);
                        }
                        else if (nowUs != 0)
                        {
                            worker.Tick(nowUs);
                        }
                        else
                        {
                            worker.FlushSinkIfDue();
                        }
                    }

                    continue;
                }
            }

            ProcessBatch();
            foreach (var worker in _workers)
            {
                if (worker.Threaded)
                {
                    worker.Hand();
                }
                else
                {
                    worker.FlushSinkIfDue();
                }
            }
        }

        foreach (var worker in _workers)
        {
            if (worker.Threaded)
            {
                worker.Complete();
            }
            else
            {
                worker.ExportAll();
            }
        }

        foreach (var worker in _workers)
        {
            worker.Join(Timeout.InfiniteTimeSpan);
        }

        _finished = true;
    }

    /// <summary>
    /// Decodes and accounts the rest of the current batch. A method of its own, called per batch, so that the
    /// runtime counts its calls and recompiles it with the best code (a loop inside the once-called
    /// <see cref="Run"/> would keep its first, precompiled version for the whole capture).
    /// </summary>
    private void ProcessBatch()
    {
        var decoded = default(DecodedPacket);
        var batch = _batch;
        var workers = _workers;
        while (_next < batch.Count)
        {
            var i = _next++;
            var frame = batch.Packet(i);

            // Single writer: plain increments (other threads only read these for statistics).
            _packets++;
            _wireBytes += batch.WireLengths[i];
            var result = PacketDecoder.Decode(frame, batch.LinkTypes[i], ref decoded);
            if (result != DecodeStatus.Ok)
            {
                _decodeCounts[(int)result]++;
                continue;
            }

            var worker = _severalWorkers ? workers[(int)(FlowKey.AddressPairHash(decoded) % (uint)workers.Length)] : workers[0];
            if (worker.Threaded)
            {
                worker.Enqueue(decoded, batch.TimestampsUs[i], frame);
            }
            else
            {
                worker.Process(ref decoded, batch.TimestampsUs[i], frame);
            }
        }
    }

    /// <summary>Asks <see cref="Run"/> to finish soon (safe from any thread): the source ends after handing over what it buffered.</summary>
    public void Stop() => _source.Interrupt();

    /// <summary>Counts a crash of the worker thread (the actor calls this before restarting it).</summary>
    public void RecordFault() => Interlocked.Increment(ref _faults);

    public EngineStatistics Snapshot()
    {
        var counters = EngineStatistics.Sum(_workers.Select(w => w.Table));
        long malformed = 0;
        for (var i = (int)DecodeStatus.UnsupportedLinkType; i < _decodeCounts.Length; i++)
        {
            malformed += Volatile.Read(ref _decodeCounts[i]);
        }

        var file = _source switch
        {
            ReplaySource r => r.Reader,
            IFileCaptureSource f => f,
            _ => null,
        };
        return new EngineStatistics
        {
            Source = _source.Name,
            Packets = Volatile.Read(ref _packets),
            WireBytes = Volatile.Read(ref _wireBytes),
            KernelDrops = _source.KernelDrops,
            DecodeDrops = EngineStatistics.DropsByName(_decodeCounts),
            MalformedPackets = malformed,
            ActiveFlows = _workers.Sum(w => w.Table.Count),
            PeakActiveFlows = _workers.Sum(w => w.Table.PeakCount),
            FlowsCreated = counters.FlowsCreated,
            FlowsExported = counters.FlowsExported,
            TableFullEvictions = counters.TableFullEvictions,
            UnmatchedFragments = counters.UnmatchedFragments,
            WorkerFaults = Volatile.Read(ref _faults) + _workers.Sum(w => w.Faults),
            TruncatedRecords = file?.TruncatedRecords ?? 0,
            Error = file?.Error,
            Finished = _finished,
            Progress = file is null || file.Length == 0 ? null : Math.Min(1.0, (double)file.Position / file.Length),
            MemoryBytes = _workers.Sum(w => w.Table.AllocatedBytes),
        };
    }

    public void Dispose() => _source.Dispose();
}
