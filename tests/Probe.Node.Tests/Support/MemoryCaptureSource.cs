using Flowhive.Probe.Engine.Capture;

namespace Flowhive.Probe.Node.Tests.Support;

/// <summary>
/// A capture source over frames held in memory, read in batches like a file. It can fail: <see cref="FailAt"/>
/// makes the read that would deliver that packet throw instead (the packet is consumed and lost, as when a
/// driver errors on it), once or on every read, to exercise the capture worker's supervision.
/// </summary>
public sealed class MemoryCaptureSource : CaptureSource
{
    private readonly byte[] _buffer;
    private readonly int[] _offsets;
    private readonly int[] _lengths;
    private readonly long[] _timestampsUs;
    private readonly int _batchSize;
    private int _next;
    private int _reads;
    private volatile bool _interrupted;

    public MemoryCaptureSource(string name, IReadOnlyList<(long TimestampUs, byte[] Frame)> packets, int batchSize = 16)
    {
        Name = name;
        _batchSize = batchSize;
        _buffer = [.. packets.SelectMany(p => p.Frame)];
        _offsets = new int[packets.Count];
        _lengths = new int[packets.Count];
        _timestampsUs = new long[packets.Count];
        var offset = 0;
        for (var i = 0; i < packets.Count; i++)
        {
            _offsets[i] = offset;
            _lengths[i] = packets[i].Frame.Length;
            _timestampsUs[i] = packets[i].TimestampUs;
            offset += packets[i].Frame.Length;
        }
    }

    public override string Name { get; }

    public override bool IsOffline => true;

    /// <summary>The packet whose read throws; null never throws.</summary>
    public int? FailAt { get; init; }

    /// <summary>Throw on every read (a source that is broken for good) instead of once.</summary>
    public bool AlwaysFail { get; init; }

    /// <summary>Calls to <see cref="Read"/>, the failed ones included.</summary>
    public int Reads => Volatile.Read(ref _reads);

    public int Failures { get; private set; }

    public override ReadStatus Read(PacketBatch batch)
    {
        Interlocked.Increment(ref _reads);
        if (AlwaysFail || (FailAt == _next && Failures == 0))
        {
            // Throws before touching the batch, as a driver error does: the engine must not replay the previous batch.
            Failures++;
            if (!AlwaysFail)
            {
                _next++;
            }

            throw new IOException($"{Name}: simulated read error at packet {_next - 1}");
        }

        batch.Count = 0;
        if (_interrupted || _next >= _offsets.Length)
        {
            return ReadStatus.End;
        }

        batch.Buffer = _buffer;
        var count = 0;
        // A batch ends just before the failing packet, so that packet is the first of its own read.
        while (count < Math.Min(_batchSize, batch.Capacity) && _next < _offsets.Length && !(count > 0 && FailAt == _next && Failures == 0))
        {
            batch.Offsets[count] = _offsets[_next];
            batch.CapturedLengths[count] = _lengths[_next];
            batch.WireLengths[count] = _lengths[_next];
            batch.TimestampsUs[count] = _timestampsUs[_next];
            batch.LinkTypes[count] = (int)LinkType.Ethernet;
            count++;
            _next++;
        }

        batch.Count = count;
        return ReadStatus.Packets;
    }

    public override void Interrupt() => _interrupted = true;
}
