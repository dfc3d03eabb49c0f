using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using Flowhive.Probe.Engine.Decode;
using Flowhive.Shared.Flows;

namespace Flowhive.Probe.Engine.Classification.Ndpi;

/// <summary>
/// nDPI for one flow worker: its own detection module, flows fed as ndpiReader (nDPI's reference reader)
/// feeds them. Each packet of a flow goes to ndpi_detection_process_packet as an IP packet until nDPI has an
/// application protocol and wants no more packets (certificate, HTTP response, DNS answer...), or until the
/// budget is used up (80 TCP / 24 UDP packets); a flow that ends undecided gets ndpi_detection_giveup's guess.
/// Used by one thread; nDPI's flow state lives only while a flow is being inspected and is pooled.
/// <para>
/// Bad input. nDPI 4.2 has known memory-safety bugs in its dissectors, fixed in later releases (heap over-reads
/// in the text line parser that HTTP-like dissectors share, in TLS certificate RDN parsing, in ClientHello
/// extension parsing; several have CVEs). What protects us: nDPI gets exactly the captured bytes of one IP
/// packet with their exact length (never a header-declared length; packets the capture cut short are not given
/// at all, as ndpiReader), so a dissector that keeps within the length it is told reads only captured bytes;
/// and it reads them from a private copy with zeroed guard space before (4 KiB) and after (64 KiB) the packet,
/// so an over-read of the kind above (a few bytes, or an offset taken from the packet's own 16-bit fields) reads
/// zeros, never another packet or unmapped memory. What does not: a write past a buffer inside nDPI's own heap
/// objects, or an over-read larger than the guard, would still corrupt or crash the process; only a newer
/// libndpi fixes those. The fuzz test drives a million mutated packets through this path.
/// </para>
/// </summary>
public sealed unsafe class NdpiClassifier : IFlowClassifier, IDisposable
{
    private const int PoolLimit = 4096;
    private const int GuardBefore = 4096;
    private const int MaxPacket = ushort.MaxValue;
    private const int GuardAfter = 65536;
    private const int CacheLimit = 4096;

    private readonly NdpiEngine _engine;
    private readonly Stack<FlowState> _pool = new();
    private readonly Dictionary<uint, string> _protoNames = [];
    private readonly Dictionary<ulong, string> _riskText = [];
    private readonly int _maxTcp;
    private readonly int _maxUdp;
    private NdpiModuleHandle _module;
    private NdpiModuleHandle? _pending;
    private readonly byte* _scratch;
    private NdpiResult _result;
    private bool _disposed;

    internal NdpiClassifier(NdpiEngine engine, NdpiModuleHandle module)
    {
        _engine = engine;
        _module = module;
        _scratch = (byte*)NativeMemory.AllocZeroed(GuardBefore + MaxPacket + GuardAfter);
        _maxTcp = engine.Options.MaxTcpPackets;
        _maxUdp = engine.Options.MaxUdpPackets;
    }

    public string Name => "ndpi";

    /// <summary>
    /// The table's bound: one more than the TCP budget, since ndpiReader decides on the packet after it. UDP stops
    /// earlier on its own budget; other protocols (ICMP, ESP...) run until nDPI decides or this bound.
    /// </summary>
    public int MaxPacketsPerFlow => Math.Max(_maxTcp, _maxUdp) + 1;

    /// <summary>Flows being inspected now (holding nDPI state).</summary>
    public int ActiveFlows { get; private set; }

    /// <summary>Packets given to nDPI.</summary>
    public long PacketsProcessed { get; private set; }

    /// <summary>nDPI reads the IP header, so the L4 payload alone is not enough: the flow table calls <see cref="InspectFrame"/>.</summary>
    bool IFlowClassifier.Inspect(ref FlowClassification state, in DecodedPacket packet, ReadOnlySpan<byte> payload, bool fromClient, long timestampUs) =>
        throw new NotSupportedException("nDPI inspects whole IP packets: call InspectFrame with the captured frame");

    public bool InspectFrame(ref FlowClassification state, in DecodedPacket packet, ReadOnlySpan<byte> frame, bool fromClient, long timestampUs)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);

        // As ndpiReader: IPv4 fragments after the first (no L4 header) and packets cut short by the capture never
        // reach nDPI. The direction is nDPI's own business in 4.2: it orders the flow by address and port.
        if (packet.IsLaterFragment || (uint)packet.L3Offset >= (uint)frame.Length)
        {
            return false;
        }

        var ip = frame[packet.L3Offset..];
        if (!IsWholePacket(ip))
        {
            return false;
        }

        var flow = state.EngineState as FlowState ?? Start(ref state);
        flow.Packets++;
        PacketsProcessed++;
        // The copy goes between zeroed guards (see the class notes) and is wiped after, so the guards stay zero.
        var length = Math.Min(ip.Length, MaxPacket);
        var packetCopy = new Span<byte>(_scratch + GuardBefore, length);
        ip[..length].CopyTo(packetCopy);
        var rc = NdpiNative.FlowProcess(flow.ModulePointer, flow.Native, _scratch + GuardBefore, (ushort)length, (ulong)Math.Max(0, timestampUs / 1000));
        packetCopy.Clear();

        var enough = (packet.Protocol == 6 && flow.Packets > _maxTcp) || (packet.Protocol == 17 && flow.Packets > _maxUdp);
        if (enough || (rc & (NdpiNative.Detected | NdpiNative.ExtraPossible)) == NdpiNative.Detected)
        {
            // Detected and nothing more to learn, or the budget is used up: ndpiReader's "detection completed".
            flow.Completed = true;
            return true;
        }

        return false;
    }

    public void Release(ref FlowClassification state)
    {
        if (state.EngineState is not FlowState flow)
        {
            return;
        }

        state.EngineState = null;
        try
        {
            fixed (NdpiResult* r = &_result)
            {
                NdpiNative.FlowFinish(flow.ModulePointer, flow.Native, flow.Completed ? 1 : 0, r);
            }

            state.Master = _result.Master;
            state.App = _result.App;
            state.Category = _result.Category;
            state.Metadata = Describe(ref _result);
        }
        finally
        {
            Recycle(flow);
        }
    }

    /// <summary>From the next new flow on, use this module (a rule reload); called from any thread.</summary>
    internal void Offer(NdpiModuleHandle module)
    {
        Interlocked.Exchange(ref _pending, module)?.Dispose();
        if (_disposed)
        {
            Interlocked.Exchange(ref _pending, null)?.Dispose();
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _engine.Forget(this);
        Interlocked.Exchange(ref _pending, null)?.Dispose();

        // Flows still being inspected keep the module alive (they hold a reference) until they are released.
        _module.Dispose();
        while (_pool.TryPop(out var flow))
        {
            NdpiNative.FlowFree(flow.Native);
        }

        NativeMemory.Free(_scratch);
    }

    /// <summary>The captured bytes hold the whole IP packet its header declares (ndpiReader's test).</summary>
    private static bool IsWholePacket(ReadOnlySpan<byte> ip)
    {
        if (ip.Length < 20)
        {
            return false;
        }

        return (ip[0] >> 4) switch
        {
            4 => ip.Length >= BinaryPrimitives.ReadUInt16BigEndian(ip[2..]) && ip.Length >= (ip[0] & 0x0F) * 4,
            6 => ip.Length >= 40 && ip.Length >= 40 + BinaryPrimitives.ReadUInt16BigEndian(ip[4..]),
            _ => false,
        };
    }

    private FlowState Start(ref FlowClassification state)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (Volatile.Read(ref _pending) is not null && Interlocked.Exchange(ref _pending, null) is { } next)
        {
            // Flows that started on the old module keep it alive through their own references.
            _module.Dispose();
            _module = next;
            _protoNames.Clear();
        }

        if (!_pool.TryPop(out var flow))
        {
            var native = NdpiNative.FlowNew();
            if (native == 0)
            {
                throw new OutOfMemoryException("nDPI flow allocation failed");
            }

            flow = new FlowState(native);
        }

        var added = false;
        _module.DangerousAddRef(ref added);
        flow.Module = _module;
        flow.ModulePointer = _module.DangerousGetHandle();
        state.EngineState = flow;
        ActiveFlows++;
        return flow;
    }

    private void Recycle(FlowState flow)
    {
        ActiveFlows--;
        flow.Module?.DangerousRelease();
        flow.Module = null;
        flow.ModulePointer = 0;
        flow.Packets = 0;
        flow.Completed = false;
        if (_pool.Count < PoolLimit && !_disposed)
        {
            // Frees what nDPI allocated inside the flow (URLs, certificate names...) and zeroes it for reuse.
            NdpiNative.FlowReset(flow.Native);
            _pool.Push(flow);
        }
        else
        {
            NdpiNative.FlowFree(flow.Native);
        }
    }

    private FlowMetadata Describe(ref NdpiResult r)
    {
        var host = NdpiNative.Text(r.Host);
        var kind = r.Kind;
        var m = new FlowMetadata
        {
            L7ProtoName = ProtoName(ref r),
            Confidence = _engine.ConfidenceName(r.Confidence),
            CategoryName = r.Category != 0 ? _engine.CategoryName(r.Category) : null,
            Risks = r.Risk != 0 ? RiskText(r.Risk) : null,
            L7Info = host,
        };

        if ((kind & NdpiResultKind.Tls) != 0)
        {
            m.TlsServerName = host;
            m.TlsVersion = r.TlsVersion;
            m.TlsCipher = r.TlsCipher;
            m.Ja3Client = NdpiNative.Text(r.Ja3Client);
            m.Ja3Server = NdpiNative.Text(r.Ja3Server);
            m.TlsAlpn = NdpiNative.Text(r.TlsAlpn);
            m.TlsCertificateIssuer = NdpiNative.Text(r.TlsIssuer);
            m.TlsCertificateSubject = NdpiNative.Text(r.TlsSubject);
            m.TlsNotBefore = r.TlsNotBefore;
            m.TlsNotAfter = r.TlsNotAfter;
            m.TlsSelfSigned = (r.Flags & NdpiResultFlags.SelfSigned) != 0;
        }

        if ((kind & NdpiResultKind.Http) != 0)
        {
            m.HttpSite = host;
            m.HttpUrl = NdpiNative.Text(r.HttpUrl);
            m.HttpMethod = NdpiNative.Text(r.HttpMethod);
            m.HttpReturnCode = r.HttpStatus;
            m.HttpContentType = NdpiNative.Text(r.HttpContentType);
        }

        m.HttpUserAgent = NdpiNative.Text(r.HttpUserAgent);
        if ((kind & NdpiResultKind.Dns) != 0)
        {
            m.DnsQuery = host;
            m.DnsQueryType = r.DnsQueryType;
            m.DnsReturnCode = r.DnsReplyCode;
            m.DnsAnswers = NdpiNative.Text(r.DnsAnswer);
        }

        if ((kind & NdpiResultKind.Ssh) != 0)
        {
            m.SshClientBanner = NdpiNative.Text(r.SshClient);
            m.SshServerBanner = NdpiNative.Text(r.SshServer);
            m.HasshClient = NdpiNative.Text(r.HasshClient);
            m.HasshServer = NdpiNative.Text(r.HasshServer);
        }

        if ((kind & (NdpiResultKind.Dhcp | NdpiResultKind.Name)) != 0)
        {
            m.HostName = host;
            m.DhcpVendor = NdpiNative.Text(r.DhcpClass);
        }

        return m;
    }

    /// <summary>nDPI's "Master.App" (ndpi_protocol2name, computed by the shim), one string per pair.</summary>
    private string ProtoName(ref NdpiResult r)
    {
        var key = ((uint)r.Master << 16) | r.App;
        if (_protoNames.TryGetValue(key, out var name))
        {
            return name;
        }

        name = NdpiNative.Text(r.ProtoName) ?? "Unknown";
        if (_protoNames.Count < CacheLimit)
        {
            _protoNames[key] = name;
        }

        return name;
    }

    /// <summary>Risk names from the library's table, comma-separated, one string per risk set.</summary>
    private string RiskText(ulong risk)
    {
        if (_riskText.TryGetValue(risk, out var text))
        {
            return text;
        }

        var names = _engine.RiskNames;
        var builder = new StringBuilder();
        for (var bit = 0; bit < 64; bit++)
        {
            if ((risk & (1UL << bit)) == 0)
            {
                continue;
            }

            if (builder.Length > 0)
            {
                builder.Append(',');
            }

            builder.Append(bit < names.Count ? names[bit] : $"risk {bit}");
        }

        text = builder.ToString();
        if (_riskText.Count < CacheLimit)
        {
            _riskText[risk] = text;
        }

        return text;
    }

    /// <summary>One flow being inspected: nDPI's native state (kept across reuse) and the module it started on.</summary>
    private sealed class FlowState(nint native)
    {
        public nint Native { get; } = native;

        public NdpiModuleHandle? Module { get; set; }

        public nint ModulePointer { get; set; }

        public int Packets { get; set; }

        public bool Completed { get; set; }
    }
}
