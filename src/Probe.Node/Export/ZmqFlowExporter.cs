using System.Buffers;
using System.Text.Json;
using Flowhive.Probe.Configuration;
using Flowhive.Probe.Engine.Workers;
using Flowhive.Shared.Flows;
using Flowhive.Shared.Net;
using Flowhive.Shared.Wire;
using Flowhive.Shared.Wire.SFlow;
using Microsoft.Extensions.Logging;
using NetMQ;
using NetMQ.Sockets;

namespace Flowhive.Probe.Export;

/// <summary>
/// Publishes flows over ZeroMQ the way nProbe does: two-frame messages (header that starts with the topic,
/// then the payload), TLV or JSON payloads holding many flows each (under ntopng's 128 KiB limit), msg_id + 1
/// per message for one stable source_id, a JSON statistics event every 5 s, and a hello plus the field template
/// whenever a collector subscribes. The header (28-byte version 3 by default, 36-byte version 4 on request) and
/// zlib compression follow <see cref="ZmqSendOptions"/>. Binds by default; connects in probe mode. XPUB sockets,
/// so that subscriptions are visible: a file replay waits for its collector.
/// </summary>
public sealed partial class ZmqFlowExporter : IFlowExporter
{
    /// <summary>Payload bound: ntopng's receive buffer is 131072 bytes and drops anything larger.</summary>
    public const int MaxPayloadBytes = 128 * 1024 - 512;

    private static readonly TimeSpan EventInterval = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan MaxBatchDelay = TimeSpan.FromMilliseconds(200);
    private const int StagingFlows = 8192;

    private readonly ProbeOptions _options;
    private readonly ZmqSendOptions _send;
    private readonly FlowExporterIdentity _identity;
    private readonly FlowJsonBatchEncoder? _json;
    private readonly ZlibPayloadCompressor? _compressor;
    private readonly int _maxFlowPayload;
    private readonly Func<IReadOnlyList<EngineStatistics>> _statistics;
    private readonly Dictionary<(IpAddr Agent, uint IfIndex), SFlowInterfaceCounters> _sentCounters = [];
    private readonly ILogger _log;
    private readonly string _version;
    private readonly DateTimeOffset _started;
    private readonly List<XPublisherSocket> _sockets = [];
    private readonly FlowRecord[] _staging = new FlowRecord[StagingFlows];
    private readonly byte[] _payload = new byte[MaxPayloadBytes];
    private readonly byte[] _header = new byte[64];
    private readonly ArrayBufferWriter<byte> _eventBuffer = new(4096);
    private int _staged;
    private DateTimeOffset _firstStaged;
    private DateTimeOffset _nextEvent = DateTimeOffset.MinValue;
    private uint _msgId;
    private int _nextSocket;
    private bool _collectorSeen;
    private bool _announce;

    static ZmqFlowExporter()
    {
        // NetMQ's default pool allocates a fresh array per message; ours are ~128 KiB, so each one lands on the large
        // object heap and the garbage piles up until a full GC (tens of MB on a big replay). Pool them instead.
        BufferPool.SetBufferManagerBufferPool(64L << 20, MaxPayloadBytes + 4096);
    }

    public ZmqFlowExporter(ProbeOptions options, Func<IReadOnlyList<EngineStatistics>> statistics, ILogger log)
    {
        _options = options;
        _send = options.ZmqSend;
        _identity = new FlowExporterIdentity(ProbeAddress.Discover(options.Interfaces), options.SourceId);
        _json = _send.Format == ZmqPayloadFormat.Json ? new FlowJsonBatchEncoder(_send.JsonKeys, _identity) : null;
        _compressor = _send.Compress ? new ZlibPayloadCompressor() : null;

        // Behind the old header ntopng inflates into at most 43690 bytes; the version-4 header sizes its buffer from the header.
        _maxFlowPayload = _send.Compress && !_send.UsesFlagsHeader ? ZmqSendOptions.LegacyInflateLimit - 64 : MaxPayloadBytes;
        _statistics = statistics;
        _log = log;
        _version = typeof(ZmqFlowExporter).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
        _started = DateTimeOffset.UtcNow;
    }

    /// <summary>
    /// The latest sFlow interface counters the <c>-3</c> port received, sent on topic "counter" as nProbe does (only
    /// those that changed since the last send, with each statistics event); null without <c>-3</c>.
    /// </summary>
    public Func<IReadOnlyList<SFlowInterfaceCounters>>? InterfaceCounters { get; init; }

    /// <summary>Counter messages sent.</summary>
    public long CounterMessages;

    public string Name => "zmq " + string.Join(',', _options.ZmqEndpoints);

    public ExporterCounters Counters { get; } = new();

    /// <summary>Statistics events sent (they share the msg_id sequence with flow messages).</summary>
    public long Events;

    /// <summary>Subscriptions seen from collectors.</summary>
    public long Subscriptions;

    /// <summary>Hello and template messages sent (one of each per new subscription).</summary>
    public long Announcements;

    public bool ReadyForReplay => _collectorSeen;

    /// <summary>Opens the sockets; throws with the endpoint named if one cannot be bound or connected.</summary>
    public void Open()
    {
        foreach (var endpoint in _options.ZmqEndpoints)
        {
            var socket = new XPublisherSocket();
            socket.Options.SendHighWatermark = _options.ZmqSendHighWatermark;
            socket.Options.Linger = TimeSpan.FromSeconds(10);
            socket.Options.XPubVerbose = true;
            socket.Options.TcpKeepalive = true;
            socket.Options.TcpKeepaliveIdle = TimeSpan.FromSeconds(30);
            socket.Options.TcpKeepaliveInterval = TimeSpan.FromSeconds(3);
            if (_options.ZmqServerKey is { } serverKey)
            {
                // The collector is the CURVE server (as ntopng); the probe is a client with a throw-away key pair.
                socket.Options.CurveServerKey = serverKey;
                socket.Options.CurveCertificate = new NetMQCertificate();
            }

            try
            {
                if (_options.ZmqProbeMode)
                {
                    socket.Connect(endpoint);
                }
                else
                {
                    socket.Bind(endpoint);
                }
            }
            catch (Exception e) when (e is NetMQException or ArgumentException)
            {
                socket.Dispose();
                throw new InvalidOperationException($"--zmq {endpoint}: cannot {(_options.ZmqProbeMode ? "connect" : "bind")}: {e.Message}", e);
            }

            _sockets.Add(socket);
            LogEndpoint(_log, _options.ZmqProbeMode ? "connecting to collector" : "listening for collectors", endpoint);
        }
    }

    public void Export(ReadOnlySpan<FlowRecord> flows)
    {
        foreach (ref readonly var record in flows)
        {
            if (_staged == 0)
            {
                _firstStaged = DateTimeOffset.UtcNow;
            }

            _staging[_staged++] = record;
            if (_staged == _staging.Length)
            {
                SendStaged();
            }
        }
    }

    public void Tick(DateTimeOffset now)
    {
        PumpSubscriptions();
        if (_announce)
        {
            _announce = false;
            SendAnnouncement();
        }

        if (now >= _nextEvent)
        {
            SendEvent(now);
            SendChangedCounters();
            _nextEvent = now + EventInterval;
        }

        if (_staged > 0 && now - _firstStaged >= MaxBatchDelay)
        {
            SendStaged();
        }
    }

    public void Flush()
    {
        SendStaged();
        SendEvent(DateTimeOffset.UtcNow);
        SendChangedCounters();
    }

    private void SendChangedCounters()
    {
        if (InterfaceCounters is null)
        {
            return;
        }

        foreach (var c in InterfaceCounters())
        {
            var key = (c.Agent, c.IfIndex);
            if (_sentCounters.TryGetValue(key, out var sent) && sent == c)
            {
                continue;
            }

            _sentCounters[key] = c;
            _eventBuffer.ResetWrittenCount();
            InterfaceCounterJson.Write(_eventBuffer, c);
            Send(ZmqTopic.Counter, ZmqPayloadFormat.Json, _eventBuffer.WrittenSpan);
            Interlocked.Increment(ref CounterMessages);
        }
    }

    private void SendStaged()
    {
        var sent = 0;
        while (sent < _staged)
        {
            var pending = _staging.AsSpan(sent, _staged - sent);
            var result = _json is null ? FlowRecordTlv.Encode(pending, _payload, _maxFlowPayload, _identity) : _json.Encode(pending, _payload, _maxFlowPayload);
            var count = result.RecordsWritten;
            if (count <= 0)
            {
                // A single record larger than a message cannot happen with bounded metadata; drop it loudly rather than loop.
                LogOversizedRecord(_log);
                sent++;
                continue;
            }

            Send(ZmqTopic.Flow, _send.Format, _payload.AsSpan(0, result.BytesWritten));
            Interlocked.Add(ref Counters.Flows, count);
            sent += count;
        }

        Array.Clear(_staging, 0, _staged);
        _staged = 0;
    }

    private void SendEvent(DateTimeOffset now)
    {
        _eventBuffer.ResetWrittenCount();
        ProbeEventPayload.Write(_eventBuffer, _options, _statistics(), Counters, now, _started, _version);
        Send(ZmqTopic.Event, ZmqPayloadFormat.Json, _eventBuffer.WrittenSpan);
        Interlocked.Increment(ref Events);
    }

    /// <summary>
    /// nProbe's "hello" (ntopng counts it and re-pushes IPS rules) and the field template (labels to ids), sent when a
    /// collector subscribes: PUB delivers nothing from before the subscription, so sending them at start would be lost.
    /// </summary>
    private void SendAnnouncement()
    {
        _eventBuffer.ResetWrittenCount();
        using (var hello = new Utf8JsonWriter(_eventBuffer))
        {
            hello.WriteStartObject();
            hello.WriteStartObject("probe");
            hello.WriteString("version", _version);
            hello.WriteNumber("unique_source_id", _options.SourceId);
            hello.WriteString("instance_name", _options.InstanceName);
            hello.WriteEndObject();
            hello.WriteEndObject();
        }

        Send(ZmqTopic.Hello, ZmqPayloadFormat.Json, _eventBuffer.WrittenSpan);
        _eventBuffer.ResetWrittenCount();
        ProbeTemplatePayload.Write(_eventBuffer);
        Send(ZmqTopic.Template, ZmqPayloadFormat.Json, _eventBuffer.WrittenSpan);
        Interlocked.Increment(ref Announcements);
    }

    private void Send(ZmqTopic topic, ZmqPayloadFormat format, ReadOnlySpan<byte> uncompressed)
    {
        // nProbe balances messages over several --zmq endpoints; each message goes to one of them.
        var socket = _sockets[_nextSocket];
        _nextSocket = (_nextSocket + 1) % _sockets.Count;

        // TLV behind the old header is never inflated by ntopng (options refuse that combination; events are JSON).
        var compress = _compressor is not null && (_send.UsesFlagsHeader || format == ZmqPayloadFormat.Json);
        var payload = compress ? _compressor!.Compress(uncompressed, zeroMarker: !_send.UsesFlagsHeader) : uncompressed;
        int headerLength;
        if (_send.UsesFlagsHeader)
        {
            var flags = (format == ZmqPayloadFormat.Tlv ? ZmqHeaderFlags.Tlv : ZmqHeaderFlags.None) | (compress ? ZmqHeaderFlags.Compressed : ZmqHeaderFlags.None);
            headerLength = ZmqHeaderCodec.WriteV3(_header, topic, flags, _msgId, _options.SourceId, uncompressed.Length);
        }
        else
        {
            headerLength = ZmqHeaderCodec.WriteV2(_header, topic, _msgId, _options.SourceId, payload.Length, format);
        }

        var headerMsg = default(Msg);
        var payloadMsg = default(Msg);
        headerMsg.InitPool(headerLength);
        _header.AsSpan(0, headerLength).CopyTo(headerMsg.Slice());
        payloadMsg.InitPool(payload.Length);
        payload.CopyTo(payloadMsg.Slice());
        try
        {
            // Non-blocking: a collector that cannot keep up must not stall capture; ZeroMQ drops and msg_id shows the gap.
            if (socket.TrySend(ref headerMsg, TimeSpan.Zero, more: true) && socket.TrySend(ref payloadMsg, TimeSpan.Zero, more: false))
            {
                Interlocked.Increment(ref Counters.Messages);
                Interlocked.Add(ref Counters.Bytes, payload.Length);
            }
            else
            {
                Interlocked.Increment(ref Counters.SendFailures);
            }
        }
        finally
        {
            if (headerMsg.IsInitialised)
            {
                headerMsg.Close();
            }

            if (payloadMsg.IsInitialised)
            {
                payloadMsg.Close();
            }
        }

        _msgId++;
    }

    private void PumpSubscriptions()
    {
        foreach (var socket in _sockets)
        {
            while (socket.TryReceiveFrameBytes(TimeSpan.Zero, out var frame))
            {
                // XPUB delivers subscriptions as frames: 1 + topic (subscribe) or 0 + topic (unsubscribe).
                if (frame.Length > 0 && frame[0] == 1)
                {
                    Interlocked.Increment(ref Subscriptions);
                    _announce = true;
                    if (!_collectorSeen)
                    {
                        _collectorSeen = true;
                        LogCollectorSubscribed(_log);
                    }
                }
            }
        }
    }

    public void Dispose()
    {
        foreach (var socket in _sockets)
        {
            socket.Dispose();
        }

        _sockets.Clear();
        _json?.Dispose();
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "ZeroMQ: {What} {Endpoint}")]
    private static partial void LogEndpoint(ILogger log, string what, string endpoint);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "ZeroMQ: a collector subscribed")]
    private static partial void LogCollectorSubscribed(ILogger log);

    [LoggerMessage(EventId = 103, Level = LogLevel.Error, Message = "ZeroMQ: a flow record does not fit in one message and was dropped")]
    private static partial void LogOversizedRecord(ILogger log);
}
