using System.IO.Compression;
using System.Text;
using Flowhive.Collector.Configuration;
using Flowhive.Shared.Flows;
using Flowhive.Shared.Net;
using Flowhive.Shared.Wire;
using Flowhive.Shared.Wire.SFlow;
using Microsoft.Extensions.Logging;
using NetMQ;
using NetMQ.Sockets;

namespace Flowhive.Collector.Ingest;

/// <summary>
/// Receives one interface's ZeroMQ stream as ntopng does: a SUB socket that connects to probes (or binds,
/// for probes in probe mode), two-frame messages in every header layout ntopng reads, msg_id gap accounting
/// per source_id, zlib in both conventions (version-4 flag, 0x00 marker before it), TLV and JSON flow payloads
/// (numeric, "PEN.field" or label keys).
/// Every message that cannot be used is counted by reason; nothing here throws on bad input.
/// Runs on its own thread (NetMQ sockets belong to one thread).
/// </summary>
public sealed partial class ZmqFlowSubscriber : IDisposable
{
    /// <summary>Decompressed payloads above this are refused: a zlib bomb must not exhaust memory.</summary>
    public const int MaxDecompressedBytes = 16 << 20;

    private readonly CollectorInterface _interface;
    private readonly IngestPipeline _pipeline;
    private readonly ILogger _log;
    private readonly SubscriberSocket _socket = new();
    private readonly List<FlowRecord> _records = new(4096);
    private byte[]? _inflated; // allocated on the first compressed message only
    private readonly Thread _thread;
    private readonly ZmqKeyPair? _encryption;
    private readonly InterfaceCounterTable _interfaceCounters = new();
    private volatile bool _stop;

    static ZmqFlowSubscriber()
    {
        // Received payloads are up to 128 KiB: with NetMQ's default pool each would be a new large-object-heap array.
        BufferPool.SetBufferManagerBufferPool(64L << 20, 256 * 1024);
    }

    public ZmqFlowSubscriber(CollectorInterface iface, IngestPipeline pipeline, ILogger log, ZmqKeyPair? encryption = null)
    {
        _encryption = encryption;
        _interface = iface;
        _pipeline = pipeline;
        _log = log;
        _thread = new Thread(Run) { IsBackground = true, Name = $"zmq-sub:{iface.IfId}" };
    }

    /// <summary>Binds or connects every endpoint; throws with the endpoint named when one cannot be bound.</summary>
    /// <summary>The latest sFlow interface counters probes sent on topic "counter" (nProbe collecting sFlow does).</summary>
    public IReadOnlyList<SFlowInterfaceCounters> InterfaceCounters => _interfaceCounters.Snapshot();

    public void Open()
    {
        _socket.Options.ReceiveBuffer = 8 << 20; // as ntopng
        _socket.Options.ReceiveHighWatermark = 100_000;
        _socket.Options.TcpKeepalive = true;
        _socket.Options.TcpKeepaliveIdle = TimeSpan.FromSeconds(30);
        _socket.Options.TcpKeepaliveInterval = TimeSpan.FromSeconds(3);
        _socket.Options.Linger = TimeSpan.Zero;
        if (_encryption is not null)
        {
            // As ntopng: the collector is the CURVE server whichever side binds; only probes holding its public key get through.
            _socket.Options.CurveServer = true;
            _socket.Options.CurveCertificate = _encryption.Certificate;
        }

        foreach (var endpoint in _interface.Endpoints)
        {
            try
            {
                if (endpoint.Bind)
                {
                    _socket.Bind(endpoint.Address);
                }
                else
                {
                    // Connecting never fails for an absent probe: ZeroMQ retries in the background.
                    _socket.Connect(endpoint.Address);
                }
            }
            catch (Exception e) when (e is NetMQException or ArgumentException)
            {
                throw new InvalidOperationException($"-i {_interface.Name}: cannot {(endpoint.Bind ? "bind" : "connect")} {endpoint.Address}: {e.Message}", e);
            }

            LogEndpoint(_log, _interface.IfId, endpoint.Bind ? "listening for probes on" : "collecting from", endpoint.Address);
        }

        _socket.SubscribeToAnyTopic();
    }

    public void Start() => _thread.Start();

    public void Stop()
    {
        _stop = true;
        _thread.Join(TimeSpan.FromSeconds(5));
    }

    private void Run()
    {
        var header = default(Msg);
        var payload = default(Msg);
        header.InitEmpty();
        payload.InitEmpty();
        try
        {
            while (!_stop)
            {
                if (!_socket.TryReceive(ref header, TimeSpan.FromMilliseconds(200)))
                {
                    continue;
                }

                Interlocked.Increment(ref _pipeline.Counters.MessagesReceived);
                if (!header.HasMore)
                {
                    _pipeline.Counters.Reject("missing-payload-frame");
                    continue;
                }

                _socket.Receive(ref payload);
                if (payload.HasMore)
                {
                    // ntopng reads exactly two frames; anything beyond is a malformed message.
                    var extra = default(Msg);
                    extra.InitEmpty();
                    do
                    {
                        _socket.Receive(ref extra);
                    }
                    while (extra.HasMore);
                    extra.Close();
                    _pipeline.Counters.Reject("extra-frames");
                    continue;
                }

                try
                {
                    Handle(header.Slice(), payload.Slice());
                }
                catch (Exception e)
                {
                    // A decoder bug must cost one message, not the interface.
                    _pipeline.Counters.Reject("decoder-exception");
                    LogDecoderFailure(_log, _interface.IfId, e);
                }
            }
        }
        finally
        {
            header.Close();
            payload.Close();
        }
    }

    private void Handle(ReadOnlySpan<byte> headerFrame, ReadOnlySpan<byte> payload)
    {
        var counters = _pipeline.Counters;
        var status = ZmqHeaderCodec.TryParse(headerFrame, out var header);
        if (status != ZmqHeaderStatus.Ok)
        {
            counters.Reject("header-" + status.ToString().ToLowerInvariant());
            return;
        }

        var source = counters.TrackMessageId(header.SourceId, header.MsgId, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000);
        var compressed = header.IsPayloadCompressed(payload);
        if (!TryInflate(header, ref payload))
        {
            counters.Reject("decompression-failed");
            return;
        }

        var isTlv = IsTlv(header, payload);
        counters.CountFormat(header.Version, isTlv, compressed);
        switch (header.Topic)
        {
            case ZmqTopic.Flow:
                HandleFlows(source, isTlv, payload);
                break;
            case ZmqTopic.Event:
                Interlocked.Increment(ref counters.Events);
                source.LastEvent = Encoding.UTF8.GetString(payload[..Math.Min(payload.Length, 64 * 1024)]);

                break;
            case ZmqTopic.Counter:
                Interlocked.Increment(ref counters.Counters);
                KeepInterfaceCounters(isTlv, payload);
                break;
            case ZmqTopic.Hello:
                Interlocked.Increment(ref counters.Hellos);
                break;
            case ZmqTopic.Template:
                // nProbe's label to id mappings; the decoders already know every nProbe label, so they are only counted.
                Interlocked.Increment(ref counters.Templates);
                break;
            case ZmqTopic.Option:
                Interlocked.Increment(ref counters.Options);
                break;
            default:
                Interlocked.Increment(ref counters.OtherMessages);
                break;
        }
    }

    /// <summary>Counters in JSON as nProbe sends them; TLV counters (nProbe 10.4+) and bad objects are counted by reason.</summary>
    private void KeepInterfaceCounters(bool isTlv, ReadOnlySpan<byte> payload)
    {
        if (isTlv)
        {
            _pipeline.Counters.Reject("counter-tlv-unsupported");
            return;
        }

        if (!InterfaceCounterJson.TryRead(payload, out var c))
        {
            _pipeline.Counters.Reject("counter-undecodable");
            return;
        }

        if (!_interfaceCounters.Keep(c))
        {
            _pipeline.Counters.Reject("counter-too-many-interfaces");
        }
    }

    /// <summary>
    /// TLV as the header says (the flag in version 4, version 3 before), or a payload that starts with the TLV serializer
    /// header 01 01, which no JSON text can: a probe that labels TLV as JSON is still understood.
    /// </summary>
    private static bool IsTlv(ZmqMessageHeader header, ReadOnlySpan<byte> payload) =>
        header.IsTlv || (payload.Length >= 2 && payload[0] == 1 && payload[1] == 1);

    private void HandleFlows(IngestCounters.ProbeSource source, bool isTlv, ReadOnlySpan<byte> payload)
    {
        var counters = _pipeline.Counters;
        _records.Clear();
        var result = isTlv ? FlowRecordTlv.Decode(payload, _records) : FlowRecordJson.Decode(payload, _records);
        Interlocked.Increment(ref counters.FlowMessages);
        Interlocked.Add(ref counters.DroppedFlows, result.RecordsDropped);
        Interlocked.Add(ref source.Flows, result.RecordsDecoded);
        if (result.Status != FlowDecodeStatus.Ok)
        {
            // Records decoded before the fault are good and still used; the message is counted as damaged.
            counters.Reject(RejectReason(isTlv, result.Status));
        }

        var pool = _pipeline.Pool;
        FlowBatch? batch = null;
        foreach (var record in _records)
        {
            batch ??= pool.Rent();
            batch.Add(record);
            if (batch.IsFull)
            {
                _pipeline.Enqueue(batch);
                batch = null;
            }
        }

        if (batch is not null)
        {
            _pipeline.Enqueue(batch);
        }
    }

    /// <summary>"tlv-truncateditem", "json-invalidjson": precomputed so that a stream of damaged messages allocates nothing.</summary>
    private static string RejectReason(bool tlv, FlowDecodeStatus status) => (tlv ? TlvReasons : JsonReasons)[(int)status];

    private static readonly string[] TlvReasons = ReasonNames("tlv-");
    private static readonly string[] JsonReasons = ReasonNames("json-");

    private static string[] ReasonNames(string prefix) =>
        [.. Enum.GetValues<FlowDecodeStatus>().OrderBy(v => (int)v).Select(v => prefix + v.ToString().ToLowerInvariant())];

    /// <summary>
    /// zlib payloads: flagged in a version-4 header, or (older headers) announced by a leading 0x00 byte, as
    /// ntopng reads them. The output is bounded by <see cref="MaxDecompressedBytes"/>.
    /// </summary>
    private bool TryInflate(ZmqMessageHeader header, ref ReadOnlySpan<byte> payload)
    {
        if (!header.IsPayloadCompressed(payload))
        {
            return true;
        }

        var data = payload[header.CompressedDataOffset..];
        var inflated = _inflated ??= new byte[MaxDecompressedBytes];
        try
        {
            unsafe
            {
                fixed (byte* p = data)
                {
                    using var input = new UnmanagedMemoryStream(p, data.Length);
                    using var zlib = new ZLibStream(input, CompressionMode.Decompress);
                    var total = 0;
                    int read;
                    while ((read = zlib.Read(inflated, total, inflated.Length - total)) > 0)
                    {
                        total += read;
                        if (total == inflated.Length)
                        {
                            return false; // larger than any honest payload
                        }
                    }

                    payload = inflated.AsSpan(0, total);
                    return true;
                }
            }
        }
        catch (InvalidDataException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        _stop = true;
        _socket.Dispose();
    }

    [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "interface {IfId}: {What} {Endpoint}")]
    private static partial void LogEndpoint(ILogger log, int ifId, string what, string endpoint);

    [LoggerMessage(EventId = 201, Level = LogLevel.Error, Message = "interface {IfId}: a message could not be decoded")]
    private static partial void LogDecoderFailure(ILogger log, int ifId, Exception error);
}
