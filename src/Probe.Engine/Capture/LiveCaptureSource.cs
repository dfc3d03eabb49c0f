using SharpPcap;
using SharpPcap.LibPcap;

namespace Flowhive.Probe.Engine.Capture;

/// <summary>Settings for a live capture (nProbe/ntopng names in comments).</summary>
public sealed record LiveCaptureOptions
{
    /// <summary>Bytes kept per packet (nProbe <c>-s</c>/<c>--snaplen</c>).</summary>
    public int Snaplen { get; init; } = 1600;

    /// <summary>Promiscuous mode, on by default (ntopng <c>-u</c> turns it off).</summary>
    public bool Promiscuous { get; init; } = true;

    /// <summary>Kernel ring size in bytes (libpcap buffer).</summary>
    public int BufferSize { get; init; } = 64 << 20;

    /// <summary>BPF filter (nProbe <c>-f</c>, ntopng <c>-B</c>).</summary>
    public string? Filter { get; init; }

    /// <summary>How long a read waits for packets before letting timers run.</summary>
    public TimeSpan ReadTimeout { get; init; } = TimeSpan.FromMilliseconds(100);
}

/// <summary>
/// A live interface read through SharpPcap/libpcap (TPACKET_V3 on Linux). Packets are copied once, from
/// libpcap's ring into the batch buffer, because the ring slot is reused on the next read.
/// </summary>
public sealed class LiveCaptureSource : CaptureSource
{
    private readonly LibPcapLiveDevice _device;
    private readonly byte[] _buffer;
    private readonly int _linkType;
    private readonly int _maxPacket;
    private readonly int _fd;
    private readonly int _readTimeoutMs;
    private volatile bool _stopped;
    private bool _drained;

    public LiveCaptureSource(string interfaceName, LiveCaptureOptions options)
    {
        Name = interfaceName;
        LibPcapLiveDevice? device;
        try
        {
            device = LibPcapLiveDeviceList.New().FirstOrDefault(d => d.Name == interfaceName);
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or PcapException)
        {
            throw new CaptureException($"{interfaceName}: libpcap is not available ({e.Message}); install libpcap0.8", e);
        }

        _device = device ?? throw new CaptureException($"{interfaceName}: no such capture interface");
        try
        {
            _device.Open(new DeviceConfiguration
            {
                Snaplen = options.Snaplen,
                Mode = options.Promiscuous ? DeviceModes.Promiscuous : DeviceModes.None,
                BufferSize = options.BufferSize,
                ReadTimeout = (int)options.ReadTimeout.TotalMilliseconds,
                Immediate = false,
            });
            if (!string.IsNullOrWhiteSpace(options.Filter))
            {
                _device.Filter = options.Filter;
            }
        }
        catch (Exception e) when (e is PcapException or DllNotFoundException or InvalidOperationException)
        {
            throw new CaptureException($"{interfaceName}: cannot capture: {e.Message}", e);
        }

        _linkType = (int)_device.LinkType;
        if (!LinkTypes.IsSupported(_linkType))
        {
            _device.Close();
            throw new CaptureException($"{interfaceName}: unsupported link type {_linkType}");
        }

        try
        {
            _fd = PcapNative.MakeNonBlocking(_device.Handle.DangerousGetHandle());
        }
        catch (CaptureException e)
        {
            _device.Close();
            throw new CaptureException($"{interfaceName}: {e.Message}");
        }

        _readTimeoutMs = Math.Max(1, (int)options.ReadTimeout.TotalMilliseconds);
        _maxPacket = Math.Max(options.Snaplen, 64);
        _buffer = new byte[256 * _maxPacket];
    }

    public override string Name { get; }

    public override bool IsOffline => false;

    public override long KernelDrops
    {
        get
        {
            try
            {
                var stats = _device.Statistics;
                return stats is null ? 0 : stats.DroppedPackets + stats.InterfaceDroppedPackets;
            }
            catch (PcapException)
            {
                return 0;
            }
        }
    }

    public override void Interrupt() => _stopped = true;

    public override ReadStatus Read(PacketBatch batch)
    {
        batch.Count = 0;
        batch.Buffer = _buffer;
        if (_drained)
        {
            return ReadStatus.End;
        }

        var offset = 0;
        var count = 0;
        while (count < batch.Capacity && offset + _maxPacket <= _buffer.Length)
        {
            // pcap_next_ex through SharpPcap's pointer API: no header or timeval objects per packet.
            IntPtr headerPointer = IntPtr.Zero, dataPointer = IntPtr.Zero;
            var result = _device.GetNextPacketPointers(ref headerPointer, ref dataPointer);
            if (result != 1)
            {
                if (result == -1)
                {
                    throw new CaptureException($"{Name}: capture error: {_device.LastError}");
                }

                // 0: nothing buffered (non-blocking). With packets in hand, return them; otherwise wait a bounded
                // time. Once stopping was seen *before* a wait, wait past the kernel's block timeout: packets still
                // in the open TPACKET_V3 block only become readable when the block retires.
                if (result == 0 && count == 0)
                {
                    var stopping = _stopped;
                    if (PcapNative.WaitReadable(_fd, stopping ? 3 * _readTimeoutMs : _readTimeoutMs))
                    {
                        continue;
                    }

                    _drained = stopping;
                }

                break;
            }

            var header = ReadHeader(headerPointer);
            var captured = (int)Math.Min(header.CaptureLength, (uint)_maxPacket);
            unsafe
            {
                new ReadOnlySpan<byte>((void*)dataPointer, captured).CopyTo(_buffer.AsSpan(offset));
            }

            batch.Offsets[count] = offset;
            batch.CapturedLengths[count] = captured;
            batch.WireLengths[count] = (int)Math.Max(header.WireLength, (uint)captured);
            batch.TimestampsUs[count] = (header.Seconds * 1_000_000L) + header.Microseconds;
            batch.LinkTypes[count] = _linkType;
            offset += captured;
            count++;
        }

        batch.Count = count;
        if (count > 0)
        {
            return ReadStatus.Packets;
        }

        return _drained ? ReadStatus.End : ReadStatus.Timeout;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _device.Close();
        }
    }

    /// <summary>Reads Linux x86-64/arm64 <c>struct pcap_pkthdr</c>: timeval (two longs), caplen, len.</summary>
    private static unsafe PacketHeader ReadHeader(IntPtr pointer)
    {
        var p = (byte*)pointer;
        return new PacketHeader(*(long*)p, *(long*)(p + 8), *(uint*)(p + 16), *(uint*)(p + 20));
    }

    private readonly record struct PacketHeader(long Seconds, long Microseconds, uint CaptureLength, uint WireLength);
}
