using Flowhive.Probe.Engine.Classification.Micro.Services;
using Flowhive.Shared.Flows;
using Flowhive.Shared.Net;

namespace Flowhive.Probe.Engine.Classification.Micro.Framework;

/// <summary>
/// The micro engine's state for one flow while it is being classified: who the client is, which dissectors are
/// still candidates, their state blocks, the per-direction streams and buffers, and the result so far. Pooled per
/// worker: a flow takes one when its first packet arrives and gives it back when classification ends, so the
/// steady state allocates nothing.
/// </summary>
public sealed class MicroFlow
{
    private readonly MicroEngine _engine;
    private readonly byte[] _state;
    private TcpStream _clientStream;
    private TcpStream _serverStream;
    private BoundedBuffer _clientBuffer;
    private BoundedBuffer _serverBuffer;
    private FlowMetadata? _metadata;
    private bool _namedHost;

    internal MicroFlow(MicroEngine engine, int stateBytes)
    {
        _engine = engine;
        _state = new byte[stateBytes];
    }

    /// <summary>IP protocol (6 TCP, 17 UDP, 1 ICMP...).</summary>
    public byte L4 { get; private set; }

    public IpAddr Client { get; private set; }

    public IpAddr Server { get; private set; }

    public ushort ClientPort { get; private set; }

    public ushort ServerPort { get; private set; }

    /// <summary>Payload-carrying packets seen so far in each direction (before the current one).</summary>
    public int ClientPayloadPackets { get; internal set; }

    public int ServerPayloadPackets { get; internal set; }

    /// <summary>nDPI master protocol of the result (TLS in TLS.Google), 0 for a one-level result.</summary>
    public ushort Master { get; private set; }

    /// <summary>nDPI application protocol of the result (Google in TLS.Google, DNS in DNS), 0 while unknown.</summary>
    public ushort App { get; private set; }

    /// <summary>A category a host rule chose instead of the protocol's default (0 = default).</summary>
    public ushort CategoryOverride { get; private set; }

    public MicroConfidence Confidence { get; private set; }

    /// <summary>The host name the protocol carried (SNI, HTTP Host, DNS query), as found.</summary>
    public string? HostName { get; private set; }

    /// <summary>Metadata for the exported record, created on first use.</summary>
    public FlowMetadata Metadata => _metadata ??= new FlowMetadata();

    public bool HasMetadata => _metadata is not null;

    /// <summary>The service tables the engine was built with.</summary>
    public ServiceTable Services => _engine.Services;

    /// <summary>The shared DNS answer cache.</summary>
    public DnsAnswerCache DnsCache => _engine.DnsCache;

    internal ulong Live { get; set; }

    internal int Owner { get; set; } = -1;

    /// <summary>Set whenever the result or the metadata it names changed, cleared when published.</summary>
    internal bool Changed { get; set; }

    internal ServiceMatch CacheMatch { get; private set; }

    internal FlowMetadata? TakeMetadata() => _metadata;

    /// <summary>The TCP stream of one direction (only the owning dissector may use it).</summary>
    public ref TcpStream Stream(bool fromClient) => ref fromClient ? ref _clientStream : ref _serverStream;

    /// <summary>A bounded buffer for one direction, free for the owning dissector's use.</summary>
    public ref BoundedBuffer Buffer(bool client) => ref client ? ref _clientBuffer : ref _serverBuffer;

    /// <summary>Reports a one-level protocol found by DPI ("DNS", "ICMP").</summary>
    public void Detect(ushort app) => SetResult(0, app, 0, MicroConfidence.Dpi);

    /// <summary>Reports a two-level result found by DPI ("TLS.AnyDesk" from a certificate).</summary>
    public void Detect(ushort master, ushort app, ushort categoryOverride = 0) =>
        SetResult(master == app ? (ushort)0 : master, app, categoryOverride, MicroConfidence.Dpi);

    /// <summary>
    /// Reports <paramref name="protocol"/> found by DPI, carrying <paramref name="host"/>: a user host rule
    /// (<c>-p</c>) names it first ("TLS.MyApp"); else the host's service makes it
    /// two-level ("TLS.Google"); without one, the network the flow talks to may name it ("HTTP.NetFlix" to a Netflix
    /// cache by address); else the result is <paramref name="withoutService"/> when given (TLS on
    /// port 993 is "IMAPS"), else the protocol alone. The host is kept for the metadata (L7_INFO).
    /// </summary>
    public void DetectWithHost(ushort protocol, string? host, ushort withoutService = 0)
    {
        if (!string.IsNullOrEmpty(host))
        {
            HostName = host;
            _namedHost = !IpAddr.TryParse(host.AsSpan().Trim("[]"), out _);
        }

        var user = _engine.User;
        if (HostName is not null && !user.Rules.IsEmpty && user.Rules.MatchHost(HostName) is { } hostRule)
        {
            SetResult(protocol, user.IdOf(hostRule), 0, MicroConfidence.Dpi);
            return;
        }

        if (HostName is not null && _engine.Services.TryMatchHost(HostName, out var match))
        {
            if (match.Protocol != 0)
            {
                SetResult(protocol, match.Protocol, match.Category, MicroConfidence.Dpi);
                return;
            }

            SetResult(0, withoutService != 0 ? withoutService : protocol, match.Category, MicroConfidence.Dpi);
            return;
        }

        if (withoutService == 0 && _engine.Services.TryMatchAddress(Server, Client, out var byAddress) && byAddress.Protocol != 0)
        {
            SetResult(protocol, byAddress.Protocol, byAddress.Category, MicroConfidence.Dpi);
            return;
        }

        SetResult(0, withoutService != 0 ? withoutService : protocol, 0, MicroConfidence.Dpi);
    }

    /// <summary>Marks the metadata as changed so that the flow table's copy is refreshed.</summary>
    public void MetadataChanged() => Changed = true;

    internal void Start(in Decode.DecodedPacket packet, bool fromClient, ulong candidates, long timestampUs)
    {
        L4 = packet.Protocol;
        Client = fromClient ? packet.Src : packet.Dst;
        Server = fromClient ? packet.Dst : packet.Src;
        ClientPort = fromClient ? packet.SrcPort : packet.DstPort;
        ServerPort = fromClient ? packet.DstPort : packet.SrcPort;
        Live = candidates;
        Owner = -1;
        // The user's address and port rules decide a flow outright, before any inspection, as nDPI applies them.
        var user = _engine.User;
        if (!user.Rules.IsEmpty && user.Rules.MatchFlow(L4, Server, ServerPort, Client, ClientPort) is { } rule)
        {
            SetResult(0, user.IdOf(rule), 0, MicroConfidence.Dpi);
            Live = 0;
            return;
        }

        if (_engine.DnsCache.TryGet(Client, Server, timestampUs, out var cached) && cached.Protocol != 0)
        {
            CacheMatch = cached;
            SetResult(0, cached.Protocol, cached.Category, MicroConfidence.DpiCache);
        }
    }

    /// <summary>Clears everything for the next flow; arrays go back to the pool.</summary>
    internal void Reset()
    {
        _clientStream.Release();
        _serverStream.Release();
        _clientBuffer.Release();
        _serverBuffer.Release();
        Array.Clear(_state);
        _metadata = null;
        L4 = 0;
        Client = Server = default;
        ClientPort = ServerPort = 0;
        ClientPayloadPackets = ServerPayloadPackets = 0;
        Master = App = CategoryOverride = 0;
        Confidence = MicroConfidence.Unknown;
        HostName = null;
        _namedHost = false;
        Live = 0;
        Owner = -1;
        Changed = false;
        CacheMatch = default;
    }

    /// <summary>The protocols nDPI reports with a service after them (TLS.Google, STUN.Teams); others stay one-level.</summary>
    private static bool CarriesServices(ushort app) =>
        app is Catalog.NdpiIds.Tls or Catalog.NdpiIds.Http or Catalog.NdpiIds.Quic or Catalog.NdpiIds.HttpConnect;

    internal Span<byte> StateBlock(int offset, int length) => _state.AsSpan(offset, length);

    private void SetResult(ushort master, ushort app, ushort categoryOverride, MicroConfidence confidence)
    {
        // DPI found the protocol but no service: an earlier DNS answer for this server may still name it, unless
        // the flow carried a host name of its own (then that name is the better witness, even without a service;
        // an address in place of a name is no witness).
        if (confidence == MicroConfidence.Dpi && master == 0 && !_namedHost && CacheMatch.Protocol != 0 && CacheMatch.Protocol != app && CarriesServices(app))
        {
            master = app;
            app = CacheMatch.Protocol;
            categoryOverride = CacheMatch.Category;
            confidence = MicroConfidence.DpiCache;
        }

        Master = master;
        App = app;
        CategoryOverride = categoryOverride;
        Confidence = confidence;
        Changed = true;
    }
}
