using System.Buffers.Binary;

namespace Flowhive.Probe.Engine.Capture;

/// <summary>
/// Reads classic pcap (microsecond and nanosecond, either byte order) and pcapng files without a
/// per-packet allocation: the file is read in large chunks and packets are handed out as slices of the
/// chunk. Problems are reported by name and offset: a bad header or an unsupported link type throws a
/// <see cref="CaptureException"/> at open (for pcapng: the section header and the interface blocks that
/// follow it); a record that cannot be framed, or a pcapng interface with an unsupported link type later
/// in the file, ends the file with <see cref="Error"/> set (never an exception from <see cref="Read"/>,
/// which a restarted worker would hit again and again); a last record cut short by the end of the file is
/// counted in <see cref="TruncatedRecords"/>.
/// </summary>
public sealed class PcapFileReader : CaptureSource, IFileCaptureSource
{
    /// <summary>Largest record accepted; libpcap uses the same bound (MAXIMUM_SNAPLEN).</summary>
    public const int MaxRecordLength = 262_144;

    private const uint PcapMagicMicro = 0xA1B2C3D4;
    private const uint PcapMagicNano = 0xA1B23C4D;
    private const uint PcapngSectionHeader = 0x0A0D0D0A;
    private const uint PcapngByteOrderMagic = 0x1A2B3C4D;
    private const int ChunkSize = 4 << 20;

    // Room in front of each chunk for the start of a record that the previous chunk cut (a record or
    // pcapng block is at most MaxRecordLength + 64 bytes), so records are framed in one contiguous span.
    private const int Headroom = MaxRecordLength + 64;

    private readonly string _path;
    private readonly FileStream _stream;
    private readonly List<PcapngInterface> _interfaces = [];

    // Two chunks: packets are framed in one while the next is read into the other on a pool thread, so the
    // kernel's copy out of the page cache runs beside decoding instead of in front of it.
    private readonly byte[][] _chunks = [new byte[Headroom + ChunkSize], new byte[Headroom + ChunkSize]];
    private byte[] _buffer;
    private Task<int>? _readAhead;
    private long _nextReadOffset;
    private int _start = Headroom;
    private int _end = Headroom;

    // File offset of _buffer[0] (Headroom bytes before the chunk's first byte read from the file).
    private long _bufferFileOffset = -Headroom;
    private bool _eof;
    private bool _finished;
    private volatile bool _interrupted;

    private readonly bool _isPcapng;

    // True when the file (for pcapng: the current section) is big-endian; U16/U32 read accordingly.
    private bool _swapped;

    // Classic pcap state.
    private bool _nanoseconds;
    private int _pcapLinkType;

    private long _lastTimestampUs;

    public PcapFileReader(string path)
    {
        _path = path;
        _buffer = _chunks[0];
        try
        {
            _stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CaptureException($"{path}: cannot open capture file: {e.Message}", e);
        }

        try
        {
            Fill();
            if (_end - _start < 4)
            {
                throw new CaptureException($"{path}: not a capture file: {_end - _start} bytes, too short for a pcap or pcapng header");
            }

            var magic = BinaryPrimitives.ReadUInt32LittleEndian(_buffer.AsSpan(_start));
            if (magic == PcapngSectionHeader)
            {
                _isPcapng = true;
                ValidatePcapngHeader();
            }
            else
            {
                ReadPcapHeader(magic);
            }
        }
        catch
        {
            AwaitReadAhead();
            _stream.Dispose();
            throw;
        }
    }

    public override string Name => _path;

    public override bool IsOffline => true;

    /// <summary>Set when a record could not be framed; reading stopped there.</summary>
    public string? Error { get; private set; }

    /// <summary>Records cut short by the end of the file (a capture that was still being written, or truncated).</summary>
    public long TruncatedRecords { get; private set; }

    /// <summary>Packets read so far.</summary>
    public long PacketsRead { get; private set; }

    /// <summary>Bytes of the file consumed so far (for progress lines).</summary>
    public long Position => _bufferFileOffset + _start;

    public long Length => _stream.Length;

    public override void Interrupt() => _interrupted = true;

    public override ReadStatus Read(PacketBatch batch)
    {
        batch.Count = 0;
        batch.Buffer = _buffer;
        if (_finished || _interrupted)
        {
            return ReadStatus.End;
        }

        while (true)
        {
            var produced = _isPcapng ? ParsePcapng(batch) : ParsePcap(batch);
            if (produced > 0)
            {
                batch.Buffer = _buffer;
                PacketsRead += produced;
                return ReadStatus.Packets;
            }

            if (_finished)
            {
                return ReadStatus.End;
            }

            // Nothing complete in the buffer: move the partial record to the front and read more.
            if (_eof)
            {
                if (_end > _start)
                {
                    TruncatedRecords++;
                }

                _finished = true;
                return ReadStatus.End;
            }

            Fill();
        }
    }

    /// <summary>Starts over from the first packet (for <c>--replay-loop</c>).</summary>
    public void Rewind()
    {
        AwaitReadAhead();
        _nextReadOffset = 0;
        _start = _end = Headroom;
        _bufferFileOffset = -Headroom;
        _eof = _finished = false;
        Error = null;
        _interfaces.Clear();
        Fill();
        if (!_isPcapng)
        {
            _start += 24;
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            AwaitReadAhead();
            _stream.Dispose();
        }
    }

    private void ReadPcapHeader(uint magic)
    {
        switch (magic)
        {
            case PcapMagicMicro:
                break;
            case PcapMagicNano:
                _nanoseconds = true;
                break;
            default:
                var swappedMagic = BinaryPrimitives.ReverseEndianness(magic);
                if (swappedMagic == PcapMagicMicro)
                {
                    _swapped = true;
                }
                else if (swappedMagic == PcapMagicNano)
                {
                    _swapped = true;
                    _nanoseconds = true;
                }
                else
                {
                    throw new CaptureException($"{_path}: not a pcap or pcapng file (magic 0x{magic:x8})");
                }

                break;
        }

        if (_end - _start < 24)
        {
            throw new CaptureException($"{_path}: truncated pcap file header ({_end - _start} of 24 bytes)");
        }

        var header = _buffer.AsSpan(_start, 24);
        var major = U16(header[4..]);
        if (major != 2)
        {
            throw new CaptureException($"{_path}: unsupported pcap version {major}.{U16(header[6..])}");
        }

        // The low 16 bits are the link type; the upper bits carry FCS information we do not need.
        _pcapLinkType = (int)(U32(header[20..]) & 0xFFFF);
        if (!LinkTypes.IsSupported(_pcapLinkType))
        {
            throw new CaptureException($"{_path}: unsupported link type {_pcapLinkType}");
        }

        _start += 24;
    }

    /// <summary>
    /// Checks the first section header and the interface blocks right after it (where every writer puts
    /// them) without consuming anything, so that pcapng fails at open for the same reasons classic pcap does.
    /// </summary>
    private void ValidatePcapngHeader()
    {
        var data = _buffer.AsSpan(_start, _end - _start);
        if (data.Length < 28)
        {
            throw new CaptureException($"{_path}: truncated pcapng section header ({data.Length} of 28 bytes)");
        }

        var bom = BinaryPrimitives.ReadUInt32LittleEndian(data[8..]);
        if (bom == PcapngByteOrderMagic)
        {
            _swapped = false;
        }
        else if (BinaryPrimitives.ReverseEndianness(bom) == PcapngByteOrderMagic)
        {
            _swapped = true;
        }
        else
        {
            throw new CaptureException($"{_path}: not a pcapng file (byte-order magic 0x{bom:x8})");
        }

        var major = U16(data[12..]);
        if (major != 1)
        {
            throw new CaptureException($"{_path}: unsupported pcapng version {major}.{U16(data[14..])}");
        }

        var offset = (long)U32(data[4..]);
        var interfaceIndex = 0;
        while (offset + 12 <= data.Length)
        {
            var block = data[(int)offset..];
            var length = U32(block[4..]);
            if (U32(block) != 1 || length < 20 || offset + length > data.Length)
            {
                break; // the first non-interface block; anything malformed is reported by Read with its offset
            }

            var linkType = U16(block[8..]);
            if (!LinkTypes.IsSupported(linkType))
            {
                throw new CaptureException($"{_path}: unsupported link type {linkType} (pcapng interface {interfaceIndex})");
            }

            interfaceIndex++;
            offset += length;
        }
    }

    private int ParsePcap(PacketBatch batch)
    {
        var count = 0;
        while (count < batch.Capacity)
        {
            var available = _end - _start;
            if (available < 16)
            {
                break;
            }

            var header = _buffer.AsSpan(_start, 16);
            var seconds = U32(header);
            var fraction = U32(header[4..]);
            var capLen = U32(header[8..]);
            var wireLen = U32(header[12..]);
            if (capLen > MaxRecordLength)
            {
                Fail($"corrupt record header at offset {Position} (captured length {capLen} > {MaxRecordLength})");
                break;
            }

            if (available < 16 + capLen)
            {
                break;
            }

            var us = (seconds * 1_000_000L) + (_nanoseconds ? fraction / 1000 : fraction);
            Emit(batch, count++, _start + 16, (int)capLen, WireLength(wireLen, capLen), us, _pcapLinkType);
            _start += 16 + (int)capLen;
        }

        return count;
    }

    private int ParsePcapng(PacketBatch batch)
    {
        var count = 0;
        while (count < batch.Capacity)
        {
            var available = _end - _start;
            if (available < 12)
            {
                break;
            }

            var block = _buffer.AsSpan(_start, available);
            var rawType = BinaryPrimitives.ReadUInt32LittleEndian(block);
            if (rawType == PcapngSectionHeader)
            {
                // The byte-order magic decides how this whole section is read.
                var bom = BinaryPrimitives.ReadUInt32LittleEndian(block[8..]);
                if (bom == PcapngByteOrderMagic)
                {
                    _swapped = false;
                }
                else if (BinaryPrimitives.ReverseEndianness(bom) == PcapngByteOrderMagic)
                {
                    _swapped = true;
                }
                else
                {
                    Fail($"corrupt pcapng section header at offset {Position} (byte-order magic 0x{bom:x8})");
                    break;
                }
            }

            var type = U32(block);
            var length = U32(block[4..]);
            if (length < 12 || (length & 3) != 0 || length > MaxRecordLength + 64)
            {
                Fail($"corrupt pcapng block at offset {Position} (type 0x{type:x}, length {length})");
                break;
            }

            if (available < length)
            {
                break;
            }

            var body = block.Slice(8, (int)length - 12);
            if (U32(block[((int)length - 4)..]) != length)
            {
                Fail($"corrupt pcapng block at offset {Position} (type 0x{type:x}: trailing length differs)");
                break;
            }

            switch (type)
            {
                case PcapngSectionHeader:
                    _interfaces.Clear();
                    break;
                case 1:
                    if (!AddInterface(body))
                    {
                        return count;
                    }

                    break;
                case 6:
                    if (!EnhancedPacket(batch, body, count))
                    {
                        return count;
                    }

                    count++;
                    break;
                case 3:
                    if (!SimplePacket(batch, body, count))
                    {
                        return count;
                    }

                    count++;
                    break;
                case 2:
                    if (!ObsoletePacket(batch, body, count))
                    {
                        return count;
                    }

                    count++;
                    break;
                default:
                    // Name resolution, statistics, decryption secrets, custom blocks: not needed.
                    break;
            }

            _start += (int)length;
        }

        return count;
    }

    private bool AddInterface(ReadOnlySpan<byte> body)
    {
        if (body.Length < 8)
        {
            Fail($"corrupt pcapng interface block at offset {Position}");
            return false;
        }

        var linkType = U16(body);
        if (!LinkTypes.IsSupported(linkType))
        {
            Fail($"unsupported link type {linkType} (pcapng interface {_interfaces.Count}) at offset {Position}");
            return false;
        }

        ulong unitsPerSecond = 1_000_000;
        long offsetSeconds = 0;
        var options = body[8..];
        while (options.Length >= 4)
        {
            var code = U16(options);
            var optLength = U16(options[2..]);
            if (code == 0 || 4 + optLength > options.Length)
            {
                break;
            }

            var value = options.Slice(4, optLength);
            if (code == 9 && optLength >= 1)
            {
                var resolution = value[0];
                var exponent = resolution & 0x7F;
                if ((resolution & 0x80) == 0)
                {
                    if (exponent > 19)
                    {
                        Fail($"unsupported pcapng timestamp resolution 10^-{exponent} at offset {Position}");
                        return false;
                    }

                    unitsPerSecond = 1;
                    for (var i = 0; i < exponent; i++)
                    {
                        unitsPerSecond *= 10;
                    }
                }
                else
                {
                    if (exponent > 63)
                    {
                        Fail($"unsupported pcapng timestamp resolution 2^-{exponent} at offset {Position}");
                        return false;
                    }

                    unitsPerSecond = 1UL << exponent;
                }
            }
            else if (code == 14 && optLength >= 8)
            {
                offsetSeconds = (long)U64(value);
            }

            options = options[(4 + ((optLength + 3) & ~3))..];
        }

        _interfaces.Add(new PcapngInterface(linkType, unitsPerSecond, offsetSeconds));
        return true;
    }

    private bool EnhancedPacket(PacketBatch batch, ReadOnlySpan<byte> body, int index)
    {
        if (body.Length < 20)
        {
            Fail($"corrupt pcapng packet block at offset {Position}");
            return false;
        }

        var interfaceId = U32(body);
        var capLen = U32(body[12..]);
        var wireLen = U32(body[16..]);
        if (interfaceId >= _interfaces.Count || capLen > body.Length - 20)
        {
            Fail($"corrupt pcapng packet block at offset {Position} (interface {interfaceId}, captured length {capLen})");
            return false;
        }

        var iface = _interfaces[(int)interfaceId];
        var ticks = ((ulong)U32(body[4..]) << 32) | U32(body[8..]);
        var us = iface.ToMicroseconds(ticks);
        Emit(batch, index, _start + 8 + 20, (int)capLen, WireLength(wireLen, capLen), us, iface.LinkType);
        return true;
    }

    private bool SimplePacket(PacketBatch batch, ReadOnlySpan<byte> body, int index)
    {
        if (body.Length < 4 || _interfaces.Count == 0)
        {
            Fail($"corrupt pcapng simple packet block at offset {Position}");
            return false;
        }

        var wireLen = U32(body);
        var capLen = (int)Math.Min(wireLen, (uint)(body.Length - 4));
        // A simple packet block has no timestamp: keep the clock where the previous packet left it.
        Emit(batch, index, _start + 8 + 4, capLen, WireLength(wireLen, (uint)capLen), _lastTimestampUs, _interfaces[0].LinkType);
        return true;
    }

    private bool ObsoletePacket(PacketBatch batch, ReadOnlySpan<byte> body, int index)
    {
        if (body.Length < 20)
        {
            Fail($"corrupt pcapng packet block at offset {Position}");
            return false;
        }

        var interfaceId = U16(body);
        var capLen = U32(body[12..]);
        var wireLen = U32(body[16..]);
        if (interfaceId >= _interfaces.Count || capLen > body.Length - 20)
        {
            Fail($"corrupt pcapng packet block at offset {Position}");
            return false;
        }

        var iface = _interfaces[interfaceId];
        var ticks = ((ulong)U32(body[4..]) << 32) | U32(body[8..]);
        Emit(batch, index, _start + 8 + 20, (int)capLen, WireLength(wireLen, capLen), iface.ToMicroseconds(ticks), iface.LinkType);
        return true;
    }

    /// <summary>The wire length as an int: at least what was captured, and a corrupt 4 GB value clamped rather than negative.</summary>
    private static int WireLength(uint wireLen, uint capLen) => (int)Math.Min(Math.Max(wireLen, capLen), int.MaxValue);

    private void Emit(PacketBatch batch, int index, int offset, int capLen, int wireLen, long timestampUs, int linkType)
    {
        batch.Offsets[index] = offset;
        batch.CapturedLengths[index] = capLen;
        batch.WireLengths[index] = wireLen;
        batch.TimestampsUs[index] = timestampUs;
        batch.LinkTypes[index] = linkType;
        batch.Count = index + 1;
        _lastTimestampUs = timestampUs;
    }

    private void Fail(string message)
    {
        Error = $"{_path}: {message}";
        _finished = true;
    }

    private void Fill()
    {
        // The unframed tail of this chunk goes in front of the next one, which is read ahead unless at the end.
        var tail = _end - _start;
        var next = ReferenceEquals(_buffer, _chunks[0]) ? _chunks[1] : _chunks[0];
        var chunkOffset = _nextReadOffset;
        var read = _readAhead is { } pending ? pending.GetAwaiter().GetResult() : ReadChunk(next, chunkOffset);
        _readAhead = null;
        _nextReadOffset += read;
        _eof = read < ChunkSize;
        Buffer.BlockCopy(_buffer, _start, next, Headroom - tail, tail);
        var previous = _buffer;
        _buffer = next;
        _bufferFileOffset = chunkOffset - Headroom;
        _start = Headroom - tail;
        _end = Headroom + read;
        if (!_eof)
        {
            // The batch handed out before this call is finished with (a read invalidates it), so the old chunk is free.
            var offset = _nextReadOffset;
            _readAhead = Task.Run(() => ReadChunk(previous, offset));
        }
    }

    /// <summary>Fills a chunk from the file at <paramref name="offset"/>; fewer than <see cref="ChunkSize"/> bytes only at the end.</summary>
    private int ReadChunk(byte[] chunk, long offset)
    {
        var filled = 0;
        while (filled < ChunkSize)
        {
            var read = RandomAccess.Read(_stream.SafeFileHandle, chunk.AsSpan(Headroom + filled, ChunkSize - filled), offset + filled);
            if (read == 0)
            {
                break;
            }

            filled += read;
        }

        return filled;
    }

    private void AwaitReadAhead()
    {
        try
        {
            _readAhead?.GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // Rewinding or closing: what the abandoned read found no longer matters.
        }

        _readAhead = null;
    }

    private ushort U16(ReadOnlySpan<byte> s) => _swapped ? BinaryPrimitives.ReadUInt16BigEndian(s) : BinaryPrimitives.ReadUInt16LittleEndian(s);

    private uint U32(ReadOnlySpan<byte> s) => _swapped ? BinaryPrimitives.ReadUInt32BigEndian(s) : BinaryPrimitives.ReadUInt32LittleEndian(s);

    private ulong U64(ReadOnlySpan<byte> s) => _swapped ? BinaryPrimitives.ReadUInt64BigEndian(s) : BinaryPrimitives.ReadUInt64LittleEndian(s);

    private readonly record struct PcapngInterface(int LinkType, ulong UnitsPerSecond, long OffsetSeconds)
    {
        public long ToMicroseconds(ulong ticks)
        {
            var seconds = ticks / UnitsPerSecond;
            var fraction = ticks % UnitsPerSecond;
            var us = UnitsPerSecond == 1_000_000 ? fraction : (ulong)((UInt128)fraction * 1_000_000 / UnitsPerSecond);
            return ((long)seconds + OffsetSeconds) * 1_000_000L + (long)us;
        }
    }
}
