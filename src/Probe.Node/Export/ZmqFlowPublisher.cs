using System.Buffers;
using Flowhive.Probe.Configuration;
using Flowhive.Probe.Engine.Workers;
using Flowhive.Shared.Flows;
using Flowhive.Shared.Wire;
using Microsoft.Extensions.Logging;
using NetMQ;
using NetMQ.Sockets;

namespace Flowhive.Probe.Export;

/// <summary>
/// Publishes flows over ZeroMQ the way nProbe does: two-frame messages (header that starts with the topic,
/// then the payload), TLV payloads holding many flows each (under ntopng's 128 KiB limit), msg_id + 1 per
/// message for one stable source_id, and a JSON statistics event every 5 s. Binds by default; connects
/// in probe mode. Runs on the exporter's own thread: NetMQ sockets belong to one thread.
/// </summary>
public sealed partial class ZmqFlowPublisher : IDisposable
{
    /// <summary>Payload bound: ntopng's receive buffer is 131072 bytes and drops anything larger.</summary>
    public const int MaxPayloadBytes = 128 * 1024 - 512;

    private static readonly TimeSpan EventInterval = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan MaxBatchDelay = TimeSpan.FromMilliseconds(200);
    private const int StagingFlows = 8192;

    private readonly ProbeOptions _options;
    private readonly ExportQueue _queue;
    private readonly Func<IReadOnlyList<EngineStatistics>> _statistics;
    private readonly bool _waitForCollector;
    private readonly ILogger _log;
    private readonly TimeProvider _time;
    private readonly string _version;
    private readonly DateTimeOffset _started;
    private readonly List<XPublisherSocket> _sockets = [];
    private readonly FlowRecord[] _staging = new FlowRecord[StagingFlows];
    private readonly byte[] _payload = new byte[MaxPayloadBytes];
    private readonly byte[] _header = new byte[64];
    private readonly ArrayBufferWriter<byte> _eventBuffer = new(4096);
    private int _staged;
    private long _firstStagedTicks;
    private uint _msgId;
    private int _nextSocket;
    private bool _collectorSeen;

    public ZmqFlowPublisher(ProbeOptions options, ExportQueue queue, Func<IReadOnlyList<EngineStatistics>> statistics, bool waitForCollector,
        ILogger log, TimeProvider? time = null)
    {
        _options = options;
        _queue = queue;
        _statistics = statistics;
        _waitForCollector = waitForCollector && options.WaitForCollector > TimeSpan.Zero;
        _log = log;
        _time = time ?? TimeProvider.System;
        _version = typeof(ZmqFlowPublisher).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
        _started = _time.GetUtcNow();
    }

    public PublisherCounters Counters { get; } = new();

    /// <summary>Set once a collector subscribed (or the wait for one ended): capture may start reading a file.</summary>
    public ManualResetEventSlim ReadyToExport { get; } = new(false);

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

        if (!_waitForCollector)
        {
            ReadyToExport.Set();
        }
    }

    /// <summary>Runs until the queue is completed and drained. Call <see cref="Open"/> first.</summary>
    public void Run(CancellationToken cancel)
    {
        var waitUntil = _time.GetTimestamp() + (long)(_options.WaitForCollector.TotalSeconds * _time.TimestampFrequency);
        var nextEvent = _time.GetTimestamp();
        while (!cancel.IsCancellationRequested)
        {
            PumpSubscriptions();
            if (!ReadyToExport.IsSet && (_collectorSeen || _time.GetTimestamp() >= waitUntil))
            {
                if (!_collectorSeen)
                {
                    LogNoCollector(_log, _options.WaitForCollector.TotalSeconds);
                }

                ReadyToExport.Set();
            }

            if (_time.GetTimestamp() >= nextEvent)
            {
                SendEvent();
                nextEvent = _time.GetTimestamp() + (long)(EventInterval.TotalSeconds * _time.TimestampFrequency);
            }

            if (_queue.TryTake(out var batch, TimeSpan.FromMilliseconds(50)) && batch is not null)
            {
                Stage(batch);
                _queue.Pool.Return(batch);
            }
            else if (_queue.IsCompleted)
            {
                SendStaged();
                SendEvent();
                return;
            }

            if (_staged > 0 && _time.GetElapsedTime(_firstStagedTicks) >= MaxBatchDelay)
            {
                SendStaged();
            }
        }

        SendStaged();
    }

    private void Stage(FlowBatch batch)
    {
        foreach (ref readonly var record in batch.AsSpan())
        {
            if (_staged == 0)
            {
                _firstStagedTicks = _time.GetTimestamp();
            }

            _staging[_staged++] = record;
            if (_staged == _staging.Length)
            {
                SendStaged();
            }
        }
    }

    private void SendStaged()
    {
        var sent = 0;
        while (sent < _staged)
        {
            var result = FlowRecordTlv.Encode(_staging.AsSpan(sent, _staged - sent), _payload, MaxPayloadBytes);
            var count = result.RecordsWritten;
            if (count <= 0)
            {
                // A single record larger than a message cannot happen with bounded metadata; drop it loudly rather than loop.
                LogOversizedRecord(_log);
                sent++;
                continue;
            }

            Send(ZmqTopic.Flow, ZmqPayloadFormat.Tlv, _payload.AsSpan(0, result.BytesWritten));
            Interlocked.Add(ref Counters.Flows, count);
            sent += count;
        }

        Array.Clear(_staging, 0, _staged);
        _staged = 0;
    }

    private void SendEvent()
    {
        _eventBuffer.ResetWrittenCount();
        ProbeEventPayload.Write(_eventBuffer, _options, _statistics(), Counters, _time.GetUtcNow(), _started, _version);
        Send(ZmqTopic.Event, ZmqPayloadFormat.Json, _eventBuffer.WrittenSpan);
        Interlocked.Increment(ref Counters.Events);
    }

    private void Send(ZmqTopic topic, ZmqPayloadFormat format, ReadOnlySpan<byte> payload)
    {
        // nProbe balances messages over several --zmq endpoints; each message goes to one of them.
        var socket = _sockets[_nextSocket];
        _nextSocket = (_nextSocket + 1) % _sockets.Count;
        var headerLength = ZmqHeaderCodec.WriteV2(_header, topic, _msgId, _options.SourceId, payload.Length, format);
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
                Interlocked.Add(ref Counters.PayloadBytes, payload.Length);
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
                    Interlocked.Increment(ref Counters.Subscriptions);
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
        ReadyToExport.Dispose();
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "ZeroMQ: {What} {Endpoint}")]
    private static partial void LogEndpoint(ILogger log, string what, string endpoint);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "ZeroMQ: a collector subscribed")]
    private static partial void LogCollectorSubscribed(ILogger log);

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "ZeroMQ: no collector subscribed within {Seconds} s; exporting anyway (flows sent with no subscriber are lost)")]
    private static partial void LogNoCollector(ILogger log, double seconds);

    [LoggerMessage(EventId = 103, Level = LogLevel.Error, Message = "ZeroMQ: a flow record does not fit in one message and was dropped")]
    private static partial void LogOversizedRecord(ILogger log);
}
