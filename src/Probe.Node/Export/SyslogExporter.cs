using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Flowhive.Probe.Configuration;
using Flowhive.Shared.Flows;
using Flowhive.Shared.Wire;
using Microsoft.Extensions.Logging;

namespace Flowhive.Probe.Export;

/// <summary>
/// Sends every finished flow as one syslog message whose MSG is the flow's JSON object (nProbe labels as keys), as
/// nProbe's <c>--json-to-syslog</c> does: RFC 5424 in UDP datagrams (RFC 5426) or over TCP with octet counting
/// (RFC 6587), or the local format into the syslog daemon's Unix socket. Sends never block the export thread: a
/// datagram the kernel will not take, a message over <c>--syslog-max-message</c> and TCP data beyond a bounded
/// backlog are counted and skipped; a broken connection is re-made with back-off.
/// </summary>
public sealed partial class SyslogExporter : IFlowExporter
{
    /// <summary>TCP backlog while the server is slow or away: a few seconds of a busy probe, then flows are counted as lost.</summary>
    public const int TcpBacklogBytes = 4 << 20;

    private static readonly TimeSpan MinReconnectDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxReconnectDelay = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan FlushTimeout = TimeSpan.FromSeconds(5);

    private readonly SyslogExportOptions _options;
    private readonly ILogger _log;
    private readonly SyslogMessageHeader _header;
    private readonly ArrayBufferWriter<byte> _json = new(4096);
    private readonly Utf8JsonWriter _writer;
    private readonly byte[] _message;
    private readonly byte[] _backlog;
    private readonly Queue<long> _backlogMessageEnds = new();
    private EndPoint? _endpoint;
    private Socket? _socket;
    private Task? _connecting;
    private CancellationTokenSource? _connectTimeout;
    private DateTimeOffset _reconnectAt;
    private TimeSpan _reconnectDelay = MinReconnectDelay;
    private int _backlogStart;
    private int _backlogEnd;
    private long _appendedTotal;
    private long _sentTotal;
    private long _completedTotal;
    private ErrorThrottle _errors;

    public SyslogExporter(SyslogExportOptions options, ILogger log)
        : this(options, log, Dns.GetHostName(), TimeZoneInfo.Local)
    {
    }

    internal SyslogExporter(SyslogExportOptions options, ILogger log, string hostName, TimeZoneInfo zone)
    {
        _options = options;
        _log = log;
        _header = new SyslogMessageHeader(options, hostName, Environment.ProcessId, zone);

        // The default encoder escapes everything outside ASCII, so MSG is plain ASCII: no BOM question, no receiver
        // that mangles UTF-8, and a consumer can hand MSG straight to a JSON parser.
        _writer = new Utf8JsonWriter(_json);
        _message = new byte[options.MaxMessageBytes];
        _backlog = options.Target.Transport == SyslogTransport.Tcp ? new byte[TcpBacklogBytes] : [];
    }

    public string Name => "syslog " + _options.Target;

    public ExporterCounters Counters { get; } = new();

    /// <summary>Flows whose message would exceed <see cref="SyslogExportOptions.MaxMessageBytes"/>; also counted as send failures.</summary>
    public long Oversized;

    /// <summary>Connections (TCP) or sockets (datagrams) made again after an error.</summary>
    public long Reconnects;

    /// <summary>A TCP replay waits for its server, as a ZeroMQ replay waits for its collector; datagrams have no peer to wait for.</summary>
    public bool ReadyForReplay => _options.Target.Transport != SyslogTransport.Tcp || IsConnected;

    private bool IsConnected => _socket is not null && _connecting is null;

    /// <summary>Resolves the server and opens the socket; TCP connects in the background. Throws naming the target.</summary>
    public void Open()
    {
        var target = _options.Target;
        if (target.Transport == SyslogTransport.Unix)
        {
            _endpoint = new UnixDomainSocketEndPoint(target.Host);
        }
        else
        {
            IPAddress[] addresses;
            try
            {
                addresses = IPAddress.TryParse(target.Host, out var literal) ? [literal] : Dns.GetHostAddresses(target.Host);
            }
            catch (SocketException e)
            {
                throw new InvalidOperationException($"syslog {target}: cannot resolve {target.Host}: {e.Message}", e);
            }

            // IPv4 first when a name has both: the conservative choice for a syslog server that may listen on one only.
            var address = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses.FirstOrDefault()
                ?? throw new InvalidOperationException($"syslog {target}: {target.Host} has no address");
            _endpoint = new IPEndPoint(address, target.Port);
        }

        try
        {
            Connect();
        }
        catch (SocketException e)
        {
            throw new InvalidOperationException($"syslog {target}: cannot {(target.Transport == SyslogTransport.Unix ? "connect" : "open a socket")}: {e.Message}", e);
        }

        LogStarted(_log, target.ToString(), _options.Facility, _options.Severity);
    }

    public void Export(ReadOnlySpan<FlowRecord> flows)
    {
        if (flows.IsEmpty)
        {
            return;
        }

        var now = DateTimeOffset.UtcNow;
        if (_socket is null && now >= _reconnectAt)
        {
            TryReconnect(now);
        }

        var headerLength = _header.Write(now, _message);
        foreach (ref readonly var record in flows)
        {
            if (!TryEncode(record, now))
            {
                continue;
            }

            var length = headerLength + _json.WrittenCount;
            if (length > _message.Length)
            {
                Interlocked.Increment(ref Oversized);
                Interlocked.Increment(ref Counters.SendFailures);
                if (_errors.ShouldLog(now, out var suppressed))
                {
                    LogOversized(_log, length, _options.MaxMessageBytes, suppressed);
                }

                continue;
            }

            _json.WrittenSpan.CopyTo(_message.AsSpan(headerLength));
            if (_options.Target.Transport == SyslogTransport.Tcp)
            {
                Append(_message.AsSpan(0, length), now);
            }
            else
            {
                SendDatagram(_message.AsSpan(0, length), now);
            }
        }

        if (_options.Target.Transport == SyslogTransport.Tcp)
        {
            Pump(now);
        }
    }

    public void Tick(DateTimeOffset now)
    {
        if (_socket is null && now >= _reconnectAt)
        {
            TryReconnect(now);
        }

        if (_options.Target.Transport == SyslogTransport.Tcp)
        {
            Pump(now);
        }
    }

    /// <summary>TCP: waits up to a few seconds for the backlog to reach the server, so the last flows of a run are not lost.</summary>
    public void Flush()
    {
        if (_options.Target.Transport != SyslogTransport.Tcp)
        {
            return;
        }

        var deadline = DateTimeOffset.UtcNow + FlushTimeout;
        while (_backlogEnd > _backlogStart && DateTimeOffset.UtcNow < deadline)
        {
            var now = DateTimeOffset.UtcNow;
            if (_connecting is { } connecting)
            {
                // WaitAny, not Wait: a failed connect must not throw here; Tick reports it.
                Task.WaitAny([connecting], deadline - now > TimeSpan.Zero ? deadline - now : TimeSpan.Zero);
            }
            else if (_socket is { } socket)
            {
                socket.Poll(deadline - now, SelectMode.SelectWrite);
            }
            else if (now < _reconnectAt)
            {
                Thread.Sleep(_reconnectAt - now < deadline - now ? _reconnectAt - now : deadline - now);
            }

            Tick(DateTimeOffset.UtcNow);
        }

        if (_backlogEnd > _backlogStart)
        {
            LogUnsentAtFlush(_log, _backlogMessageEnds.Count, FlushTimeout.TotalSeconds);
        }
    }

    public void Dispose()
    {
        // Whatever is still in the backlog will never be sent.
        Interlocked.Add(ref Counters.SendFailures, _backlogMessageEnds.Count);
        _backlogMessageEnds.Clear();
        _backlogStart = _backlogEnd = 0;
        CloseSocket();
        _writer.Dispose();
    }

    /// <summary>The flow's JSON in <see cref="_json"/>; false (counted) when the writer refuses a value (NaN).</summary>
    private bool TryEncode(in FlowRecord record, DateTimeOffset now)
    {
        _json.ResetWrittenCount();
        try
        {
            FlowRecordJson.EncodeObject(record, _writer, FlowJsonKeys.Labels);
            _writer.Flush();
            return true;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            Interlocked.Increment(ref Counters.SendFailures);
            if (_errors.ShouldLog(now, out var suppressed))
            {
                LogUnencodable(_log, e.Message, suppressed);
            }

            return false;
        }
        finally
        {
            _writer.Reset();
        }
    }

    private void SendDatagram(ReadOnlySpan<byte> message, DateTimeOffset now)
    {
        if (_socket is not { } socket)
        {
            Interlocked.Increment(ref Counters.SendFailures);
            return;
        }

        socket.Send(message, SocketFlags.None, out var error);
        if (error == SocketError.Success)
        {
            Interlocked.Increment(ref Counters.Flows);
            Interlocked.Increment(ref Counters.Messages);
            Interlocked.Add(ref Counters.Bytes, message.Length);
            return;
        }

        Interlocked.Increment(ref Counters.SendFailures);
        if (_errors.ShouldLog(now, out var suppressed))
        {
            LogSendFailed(_log, Name, error.ToString(), suppressed);
        }

        // A full buffer or an ICMP "port unreachable" for an earlier datagram says nothing about the socket itself;
        // anything else (the daemon's socket gone, the network down) gets a fresh socket after a pause.
        if (error is not (SocketError.WouldBlock or SocketError.NoBufferSpaceAvailable or SocketError.MessageSize) &&
            !(error == SocketError.ConnectionRefused && _options.Target.Transport == SyslogTransport.Udp))
        {
            Disconnect(now);
        }
    }

    /// <summary>Queues one octet-counted frame ("LEN SP MSG", RFC 6587 §3.4.1) for the TCP connection.</summary>
    private void Append(ReadOnlySpan<byte> message, DateTimeOffset now)
    {
        Span<byte> prefix = stackalloc byte[8];
        message.Length.TryFormat(prefix, out var digits, default, CultureInfo.InvariantCulture);
        prefix[digits++] = (byte)' ';
        var frame = digits + message.Length;
        if (_backlog.Length - _backlogEnd < frame && _backlogStart > 0)
        {
            _backlog.AsSpan(_backlogStart, _backlogEnd - _backlogStart).CopyTo(_backlog);
            _backlogEnd -= _backlogStart;
            _backlogStart = 0;
        }

        if (_backlog.Length - _backlogEnd < frame)
        {
            Interlocked.Increment(ref Counters.SendFailures);
            if (_errors.ShouldLog(now, out var suppressed))
            {
                LogBacklogFull(_log, Name, TcpBacklogBytes >> 20, suppressed);
            }

            return;
        }

        prefix[..digits].CopyTo(_backlog.AsSpan(_backlogEnd));
        message.CopyTo(_backlog.AsSpan(_backlogEnd + digits));
        _backlogEnd += frame;
        _appendedTotal += frame;
        _backlogMessageEnds.Enqueue(_appendedTotal);
    }

    /// <summary>TCP: finishes a pending connect, then hands the kernel as much of the backlog as it takes without blocking.</summary>
    private void Pump(DateTimeOffset now)
    {
        if (_connecting is { } connecting)
        {
            if (!connecting.IsCompleted)
            {
                return;
            }

            _connecting = null;
            _connectTimeout?.Dispose();
            _connectTimeout = null;
            if (!connecting.IsCompletedSuccessfully)
            {
                var reason = connecting.Exception?.InnerException?.Message ?? "timed out";
                if (_errors.ShouldLog(now, out var suppressed))
                {
                    LogConnectFailed(_log, Name, reason, _reconnectDelay.TotalSeconds, suppressed);
                }

                Disconnect(now);
                return;
            }

            _socket!.Blocking = false;
            _reconnectDelay = MinReconnectDelay;
            _errors.Recovered();
            LogConnected(_log, Name);
        }

        if (_socket is not { } socket)
        {
            return;
        }

        while (_backlogEnd > _backlogStart)
        {
            var sent = socket.Send(_backlog.AsSpan(_backlogStart, _backlogEnd - _backlogStart), SocketFlags.None, out var error);
            if (error == SocketError.WouldBlock)
            {
                break;
            }

            if (error != SocketError.Success)
            {
                if (_errors.ShouldLog(now, out var suppressed))
                {
                    LogSendFailed(_log, Name, error.ToString(), suppressed);
                }

                Disconnect(now);
                return;
            }

            _backlogStart += sent;
            _sentTotal += sent;
            Interlocked.Add(ref Counters.Bytes, sent);
            while (_backlogMessageEnds.TryPeek(out var end) && end <= _sentTotal)
            {
                _backlogMessageEnds.Dequeue();
                _completedTotal = end;
                Interlocked.Increment(ref Counters.Flows);
                Interlocked.Increment(ref Counters.Messages);
            }
        }

        if (_backlogStart == _backlogEnd)
        {
            _backlogStart = _backlogEnd = 0;
        }
    }

    private void Connect()
    {
        var target = _options.Target;
        var socket = target.Transport switch
        {
            SyslogTransport.Unix => new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified),
            SyslogTransport.Udp => new Socket(_endpoint!.AddressFamily, SocketType.Dgram, ProtocolType.Udp),
            _ => new Socket(_endpoint!.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true },
        };
        try
        {
            if (target.Transport == SyslogTransport.Tcp)
            {
                // In the background: a server that does not answer must not hold up capture.
                _connectTimeout = new CancellationTokenSource(ConnectTimeout);
                _connecting = socket.ConnectAsync(_endpoint!, _connectTimeout.Token).AsTask();
            }
            else
            {
                // A connected datagram socket: one destination, and send errors (ICMP unreachable) are reported.
                socket.Connect(_endpoint!);
                socket.Blocking = false;
            }
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        _socket = socket;
    }

    private void TryReconnect(DateTimeOffset now)
    {
        try
        {
            Interlocked.Increment(ref Reconnects);
            Connect();
            if (_options.Target.Transport != SyslogTransport.Tcp)
            {
                _reconnectDelay = MinReconnectDelay;
                _errors.Recovered();
            }
        }
        catch (SocketException e)
        {
            if (_errors.ShouldLog(now, out var suppressed))
            {
                LogConnectFailed(_log, Name, e.Message, _reconnectDelay.TotalSeconds, suppressed);
            }

            ScheduleReconnect(now);
        }
    }

    private void Disconnect(DateTimeOffset now)
    {
        CloseSocket();
        if (_options.Target.Transport == SyslogTransport.Tcp && _sentTotal > _completedTotal)
        {
            // A frame cut in the middle cannot be finished on a new connection: drop its rest; whole frames wait.
            var end = _backlogMessageEnds.Dequeue();
            var rest = (int)(end - _sentTotal);
            _backlogStart += rest;
            _sentTotal = _completedTotal = end;
            Interlocked.Increment(ref Counters.SendFailures);
        }

        ScheduleReconnect(now);
    }

    private void ScheduleReconnect(DateTimeOffset now)
    {
        _reconnectAt = now + _reconnectDelay;
        _reconnectDelay = _reconnectDelay * 2 < MaxReconnectDelay ? _reconnectDelay * 2 : MaxReconnectDelay;
    }

    private void CloseSocket()
    {
        _connectTimeout?.Cancel();
        _connectTimeout?.Dispose();
        _connectTimeout = null;
        _connecting = null;
        _socket?.Dispose();
        _socket = null;
    }

    [LoggerMessage(EventId = 150, Level = LogLevel.Information, Message = "syslog: sending flows to {Target} (facility {Facility}, severity {Severity})")]
    private static partial void LogStarted(ILogger log, string target, int facility, int severity);

    [LoggerMessage(EventId = 151, Level = LogLevel.Information, Message = "{Exporter}: connected")]
    private static partial void LogConnected(ILogger log, string exporter);

    [LoggerMessage(EventId = 152, Level = LogLevel.Error, Message = "{Exporter}: cannot connect: {Reason}; retrying in {Seconds} s ({Suppressed} similar errors not logged)")]
    private static partial void LogConnectFailed(ILogger log, string exporter, string reason, double seconds, long suppressed);

    [LoggerMessage(EventId = 153, Level = LogLevel.Error, Message = "{Exporter}: send failed: {Reason}; flows are counted as lost ({Suppressed} similar errors not logged)")]
    private static partial void LogSendFailed(ILogger log, string exporter, string reason, long suppressed);

    [LoggerMessage(EventId = 154, Level = LogLevel.Warning, Message = "syslog: a flow needs a {Bytes}-byte message, more than --syslog-max-message {Max}; skipped ({Suppressed} similar not logged)")]
    private static partial void LogOversized(ILogger log, int bytes, int max, long suppressed);

    [LoggerMessage(EventId = 155, Level = LogLevel.Error, Message = "{Exporter}: the server takes flows slower than they come and the {MiB} MiB backlog is full; flows are counted as lost ({Suppressed} similar errors not logged)")]
    private static partial void LogBacklogFull(ILogger log, string exporter, int mib, long suppressed);

    [LoggerMessage(EventId = 156, Level = LogLevel.Warning, Message = "syslog: {Messages} flows still unsent after waiting {Seconds} s at shutdown")]
    private static partial void LogUnsentAtFlush(ILogger log, int messages, double seconds);

    [LoggerMessage(EventId = 157, Level = LogLevel.Error, Message = "syslog: a flow could not be written as JSON and was skipped: {Reason} ({Suppressed} similar errors not logged)")]
    private static partial void LogUnencodable(ILogger log, string reason, long suppressed);
}
