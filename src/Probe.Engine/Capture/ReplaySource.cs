namespace Flowhive.Probe.Engine.Capture;

/// <summary>
/// Replays a capture file at a chosen speed (nProbe/ntopng <c>--replay-speed</c> style: 1x follows the
/// file's timestamps, 10x ten times faster, max as fast as possible) and optionally in a loop. Paced
/// replays rewrite timestamps onto the wall clock (ntopng's <c>--pcap-reforge-timestamps</c>), so that a
/// looping demo looks like live traffic; at max speed a loop shifts each pass after the previous one.
/// </summary>
public sealed class ReplaySource : CaptureSource
{
    private static readonly long MaxSleepUs = 100_000;
    private readonly IFileCaptureSource _reader;
    private readonly double _speed;
    private readonly int _loops;
    private readonly PacketBatch _pending = new(1024);
    private readonly string _name;
    private readonly CaptureSource _inner;
    private readonly TimeProvider _time;
    private int _pendingIndex;
    private int _passesDone;
    private long _firstPacketUs = long.MinValue;
    private long _lastPacketUs;
    private long _passOffsetUs;
    private long _wallStartUs;
    private volatile bool _interrupted;

    /// <param name="reader">The file.</param>
    /// <param name="speed">Replay speed factor; 0 or less means as fast as possible.</param>
    /// <param name="loops">Passes over the file; 0 means forever.</param>
    /// <param name="time">Clock (tests pass a fake one).</param>
    public ReplaySource(CaptureSource reader, double speed, int loops, TimeProvider? time = null)
    {
        _reader = reader as IFileCaptureSource ?? throw new ArgumentException("a replay needs a file source", nameof(reader));
        _name = reader.Name;
        _inner = reader;
        _speed = speed;
        _loops = loops;
        _time = time ?? TimeProvider.System;
    }

    public override string Name => _name;

    /// <summary>A paced replay behaves like a live source: timestamps are wall-clock time.</summary>
    public override bool IsOffline => _speed <= 0;

    public IFileCaptureSource Reader => _reader;

    public int PassesDone => _passesDone;

    public override void Interrupt() => _interrupted = true;

    public override ReadStatus Read(PacketBatch batch)
    {
        batch.Count = 0;
        if (_pendingIndex >= _pending.Count)
        {
            if (!Refill())
            {
                return ReadStatus.End;
            }
        }

        batch.Buffer = _pending.Buffer;
        var nowUs = NowUs();
        var count = 0;
        while (_pendingIndex < _pending.Count && count < batch.Capacity)
        {
            var ts = Rebase(_pending.TimestampsUs[_pendingIndex]);
            if (_speed > 0 && ts > nowUs)
            {
                if (count > 0)
                {
                    break;
                }

                // Not due yet: sleep a little (bounded, so Interrupt and timers stay responsive).
                var wait = Math.Min(ts - nowUs, MaxSleepUs);
                Thread.Sleep(TimeSpan.FromTicks(wait * 10));
                if (_interrupted)
                {
                    return ReadStatus.End;
                }

                nowUs = NowUs();
                if (ts > nowUs)
                {
                    return ReadStatus.Timeout;
                }
            }

            batch.Offsets[count] = _pending.Offsets[_pendingIndex];
            batch.CapturedLengths[count] = _pending.CapturedLengths[_pendingIndex];
            batch.WireLengths[count] = _pending.WireLengths[_pendingIndex];
            batch.LinkTypes[count] = _pending.LinkTypes[_pendingIndex];
            batch.TimestampsUs[count] = ts;
            count++;
            _pendingIndex++;
        }

        batch.Count = count;
        return ReadStatus.Packets;
    }

    private bool Refill()
    {
        while (true)
        {
            if (_interrupted)
            {
                return false;
            }

            _pendingIndex = 0;
            var status = _reader.Read(_pending);
            if (status == ReadStatus.Packets)
            {
                if (_firstPacketUs == long.MinValue)
                {
                    _firstPacketUs = _pending.TimestampsUs[0];
                    _wallStartUs = NowUs();
                }

                _lastPacketUs = Math.Max(_lastPacketUs, _pending.TimestampsUs[_pending.Count - 1]);
                return true;
            }

            _passesDone++;
            if ((_loops > 0 && _passesDone >= _loops) || _reader.Error is not null || _firstPacketUs == long.MinValue)
            {
                return false;
            }

            // Next pass starts one second after the previous pass's last packet.
            _passOffsetUs += _lastPacketUs - _firstPacketUs + 1_000_000;
            _reader.Rewind();
        }
    }

    private long Rebase(long timestampUs)
    {
        var fromStart = timestampUs - _firstPacketUs + _passOffsetUs;
        if (_speed <= 0)
        {
            return timestampUs + _passOffsetUs;
        }

        return _wallStartUs + (long)(fromStart / _speed);
    }

    private long NowUs() => _time.GetUtcNow().ToUnixTimeMilliseconds() * 1000;

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }
    }
}
