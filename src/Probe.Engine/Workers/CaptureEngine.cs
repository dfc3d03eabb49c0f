using Flowhive.Probe.Engine.Capture;
using Flowhive.Probe.Engine.Classification;
using Flowhive.Probe.Engine.Decode;
using Flowhive.Probe.Engine.Flows;

namespace Flowhive.Probe.Engine.Workers;

/// <summary>
/// The hot path for one capture source: read a batch, decode each frame, account it to its flow, hand
/// finished flows to the sink. <see cref="Run"/> blocks on the calling (dedicated) thread. If it throws,
/// calling <see cref="Run"/> again resumes after the packet that failed, with the flow table intact: that
/// is how the owning actor restarts a crashed worker without losing or double-counting traffic.
/// </summary>
public sealed class CaptureEngine : IDisposable
{
    private const int SinkFlushIntervalMs = 100;

    private readonly CaptureSource _source;
    private readonly FlowTable _table;
    private readonly IFlowSink _sink;
    private readonly TimeProvider _time;
    private readonly PacketBatch _batch = new();
    private readonly long[] _decodeCounts = new long[DecodeStatuses.Count];
    private int _next;
    private long _packets;
    private long _wireBytes;
    private long _faults;
    private long _lastFlushMs;
    private volatile bool _finished;

    public CaptureEngine(CaptureSource source, FlowTableOptions options, IFlowSink sink, IFlowClassifier? classifier = null, TimeProvider? time = null)
    {
        _source = source;
        _sink = sink;
        _time = time ?? TimeProvider.System;
        _table = new FlowTable(options, sink, classifier);
    }

    public CaptureSource Source => _source;

    public bool Finished => _finished;

    /// <summary>Runs until the source ends or <see cref="Stop"/> is called; then exports every remaining flow.</summary>
    public void Run()
    {
        var decoded = default(DecodedPacket);

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
                    if (!_source.IsOffline)
                    {
                        _table.Tick(_time.GetUtcNow().ToUnixTimeMilliseconds() * 1000);
                    }

                    FlushSinkIfDue(force: true);
                    continue;
                }
            }

            while (_next < _batch.Count)
            {
                var i = _next++;
                var frame = _batch.Packet(i);
                Interlocked.Increment(ref _packets);
                Interlocked.Add(ref _wireBytes, _batch.WireLengths[i]);
                var result = PacketDecoder.Decode(frame, _batch.LinkTypes[i], ref decoded);
                if (result != DecodeStatus.Ok)
                {
                    Interlocked.Increment(ref _decodeCounts[(int)result]);
                    continue;
                }

                _table.Process(ref decoded, _batch.TimestampsUs[i], frame);
            }

            FlushSinkIfDue(force: false);
        }

        _table.ExportAll();
        _finished = true;
    }

    /// <summary>Asks <see cref="Run"/> to finish soon (safe from any thread): the source ends after handing over what it buffered.</summary>
    public void Stop() => _source.Interrupt();

    /// <summary>Counts a crash of the worker thread (the actor calls this before restarting it).</summary>
    public void RecordFault() => Interlocked.Increment(ref _faults);

    public EngineStatistics Snapshot()
    {
        var counters = EngineStatistics.Sum([_table]);
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
            ActiveFlows = _table.Count,
            FlowsCreated = counters.FlowsCreated,
            FlowsExported = counters.FlowsExported,
            TableFullEvictions = counters.TableFullEvictions,
            UnmatchedFragments = counters.UnmatchedFragments,
            WorkerFaults = Volatile.Read(ref _faults),
            TruncatedRecords = file?.TruncatedRecords ?? 0,
            Error = file?.Error,
            Finished = _finished,
            Progress = file is null || file.Length == 0 ? null : Math.Min(1.0, (double)file.Position / file.Length),
            MemoryBytes = _table.AllocatedBytes,
        };
    }

    private void FlushSinkIfDue(bool force)
    {
        var now = Environment.TickCount64;
        if (force || now - _lastFlushMs >= SinkFlushIntervalMs)
        {
            _lastFlushMs = now;
            _sink.Flush();
        }
    }

    public void Dispose() => _source.Dispose();
}
