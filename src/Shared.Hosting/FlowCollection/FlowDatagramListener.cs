using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Flowhive.Shared.Flows;
using Flowhive.Shared.Net;
using Flowhive.Shared.Wire.NetFlow;
using Flowhive.Shared.Wire.SFlow;
using Microsoft.Extensions.Logging;

namespace Flowhive.Hosting.FlowCollection;

/// <summary>
/// A NetFlow/IPFIX/sFlow collector port (the collector's <c>-i udp://host:port</c>, the probe's <c>-3</c>): receives
/// NetFlow v5/v9/IPFIX and sFlow v5 datagrams from routers and exporters (told apart by their first bytes, so one
/// port takes both), decodes them on its own thread and hands the records to its sink. Templates and sampling intervals are kept per exporter and
/// source id / observation domain, and saved in the data directory so a restart does not lose data that arrives
/// before the next template refresh. Bad datagrams are counted by reason (in the decoders' counters) and never
/// throw; the receive path reuses one buffer and one record list, so it allocates nothing per datagram or record.
/// </summary>
public sealed partial class FlowDatagramListener : IDisposable
{
    /// <summary>The kernel queue that absorbs bursts while the pipeline is busy (Linux caps it at net.core.rmem_max).</summary>
    public const int ReceiveBufferBytes = 32 << 20;

    private static readonly TimeSpan SaveInterval = TimeSpan.FromSeconds(1);

    private readonly string _name;
    private readonly UdpFlowEndpoint _endpoint;
    private readonly IFlowDatagramSink _sink;
    private readonly ILogger _log;
    private readonly string? _stateFile;
    private readonly Socket _socket;
    private readonly Thread _thread;
    private readonly NetFlowDecoder _netflow = new();
    private readonly SFlowDecoder _sflow = new();
    private readonly List<FlowRecord> _records = new(4096);
    private readonly List<SFlowInterfaceCounters> _sflowCounters = new(64);
    private readonly InterfaceCounterTable _interfaceCounters = new();
    private long _savedStateVersion;
    private volatile bool _stop;

    /// <param name="name">Names the listener in errors and logs ("-i udp://*:2055", "-3 2055").</param>
    /// <param name="threadName">The receive thread's name (seen in top -H); at most 15 characters survive on Linux.</param>
    /// <param name="dataDirectory">Where templates are kept across restarts; null keeps them in memory only.</param>
    public FlowDatagramListener(string name, string threadName, UdpFlowEndpoint endpoint, IFlowDatagramSink sink, ILogger log, string? dataDirectory)
    {
        _name = name;
        _endpoint = endpoint;
        _sink = sink;
        _log = log;
        _stateFile = dataDirectory is null ? null : Path.Combine(dataDirectory, $"netflow-templates-udp-{_endpoint.Port}.bin");
        _socket = new Socket(_endpoint.Address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        _thread = new Thread(Run) { IsBackground = true, Name = threadName };
    }

    /// <summary>NetFlow v5/v9/IPFIX totals and drops by reason.</summary>
    public NetFlowDecodeCounters NetFlow => _netflow.Counters;

    /// <summary>sFlow totals and drops by reason.</summary>
    public SFlowDecodeCounters SFlow => _sflow.Counters;

    public int Templates => _netflow.TemplateCount;

    public int TemplatesLoaded { get; private set; }

    /// <summary>Datagrams that failed with an exception inside a decoder: a bug, counted instead of stopping the interface.</summary>
    public long DecoderExceptions;

    /// <summary>The latest sFlow generic interface counters of every agent port seen (bounded).</summary>
    public IReadOnlyList<SFlowInterfaceCounters> InterfaceCounters => _interfaceCounters.Snapshot();

    /// <summary>Binds the port and loads saved templates; throws with the endpoint named when the port cannot be bound.</summary>
    public void Open()
    {
        try
        {
            if (_endpoint.AnyAddress)
            {
                _socket.DualMode = true;
            }

            _socket.ReceiveBufferSize = ReceiveBufferBytes;
            _socket.ReceiveTimeout = 200;
            _socket.Bind(new IPEndPoint(_endpoint.Address, _endpoint.Port));
        }
        catch (SocketException e)
        {
            throw new InvalidOperationException($"{_name}: cannot bind {_endpoint}: {e.Message}", e);
        }

        LoadState();
        LogListening(_log, _name, _endpoint.ToString(), _socket.ReceiveBufferSize, TemplatesLoaded);
    }

    public void Start() => _thread.Start();

    public void Stop()
    {
        _stop = true;
        _thread.Join(TimeSpan.FromSeconds(5));
    }

    private void Run()
    {
        var buffer = GC.AllocateUninitializedArray<byte>(65_536, pinned: true);
        var from = new SocketAddress(_socket.AddressFamily);
        var lastSave = Stopwatch.GetTimestamp();
        try
        {
            while (!_stop)
            {
                int length;
                try
                {
                    length = _socket.ReceiveFrom(buffer, SocketFlags.None, from);
                }
                catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock or SocketError.Interrupted)
                {
                    length = -1;
                }

                if (length >= 0)
                {
                    Handle(buffer.AsSpan(0, length), from);
                }

                _sink.Tick();

                if (Stopwatch.GetElapsedTime(lastSave) >= SaveInterval)
                {
                    SaveStateIfChanged();
                    lastSave = Stopwatch.GetTimestamp();
                }
            }
        }
        catch (ObjectDisposedException)
        {
            // disposed while stopping
        }
        finally
        {
            _sink.Tick(); // what is held when the listener stops is delivered, not lost
            SaveStateIfChanged();
        }
    }

    private void Handle(ReadOnlySpan<byte> datagram, SocketAddress from)
    {
        _sink.CountDatagram();
        _records.Clear();
        try
        {
            if (SFlowDecoder.LooksLikeSFlow(datagram))
            {
                _sflowCounters.Clear();
                var nowUs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000;
                _sflow.Decode(datagram, nowUs, _records, _sflowCounters);
                foreach (var c in _sflowCounters)
                {
                    _interfaceCounters.Keep(c); // a full table keeps the interfaces it has
                }
            }
            else
            {
                _netflow.Decode(datagram, Exporter(from), _records);
            }
        }
        catch (Exception e)
        {
            // A decoder bug must cost one datagram, not the interface.
            Interlocked.Increment(ref DecoderExceptions);
            _sink.Reject("decoder-exception");
            LogDecoderFailure(_log, _name, e);
            return;
        }

        if (_records.Count > 0)
        {
            _sink.Deliver(CollectionsMarshal.AsSpan(_records));
        }
    }

    /// <summary>The sender's address and port, read from the socket address without allocating (sockaddr_in / sockaddr_in6 layout).</summary>
    private static NetFlowExporterId Exporter(SocketAddress from)
    {
        var raw = from.Buffer.Span;
        var port = (ushort)((raw[2] << 8) | raw[3]);
        var address = from.Family == AddressFamily.InterNetworkV6 ? IpAddr.FromV6Bytes(raw.Slice(8, 16)) : IpAddr.FromV4Bytes(raw.Slice(4, 4));
        return new NetFlowExporterId(address, port);
    }

    private long StateVersion =>
        _netflow.Counters.TemplatesLearned + _netflow.Counters.TemplatesWithdrawn + _netflow.Counters.TemplatesEvicted + _netflow.Counters.SamplingOptions;

    private void LoadState()
    {
        if (_stateFile is null || !File.Exists(_stateFile))
        {
            return;
        }

        try
        {
            using var file = File.OpenRead(_stateFile);
            TemplatesLoaded = _netflow.LoadState(file);
            _savedStateVersion = StateVersion;
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            LogStateUnreadable(_log, _name, _stateFile, e.Message);
        }
    }

    private void SaveStateIfChanged()
    {
        var version = StateVersion;
        if (_stateFile is null || version == _savedStateVersion)
        {
            return;
        }

        try
        {
            // Written beside and renamed over: a crash mid-write never leaves a half file to load.
            var temporary = _stateFile + ".tmp";
            using (var file = File.Create(temporary))
            {
                _netflow.SaveState(file);
            }

            File.Move(temporary, _stateFile, overwrite: true);
            _savedStateVersion = version;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogStateNotSaved(_log, _name, _stateFile, e.Message);
            _savedStateVersion = version; // not retried every second; the next template change tries again
        }
    }

    public void Dispose()
    {
        _stop = true;
        _socket.Dispose();
    }

    [LoggerMessage(EventId = 210, Level = LogLevel.Information, Message = "{Name}: listening for NetFlow/IPFIX/sFlow on {Endpoint} (receive buffer {Buffer} bytes, {Templates} templates loaded)")]
    private static partial void LogListening(ILogger log, string name, string endpoint, int buffer, int templates);

    [LoggerMessage(EventId = 211, Level = LogLevel.Error, Message = "{Name}: a datagram could not be decoded")]
    private static partial void LogDecoderFailure(ILogger log, string name, Exception error);

    [LoggerMessage(EventId = 212, Level = LogLevel.Warning, Message = "{Name}: saved templates {File} unreadable ({Reason}); starting without them")]
    private static partial void LogStateUnreadable(ILogger log, string name, string file, string reason);

    [LoggerMessage(EventId = 213, Level = LogLevel.Warning, Message = "{Name}: cannot save templates to {File}: {Reason}")]
    private static partial void LogStateNotSaved(ILogger log, string name, string file, string reason);
}
