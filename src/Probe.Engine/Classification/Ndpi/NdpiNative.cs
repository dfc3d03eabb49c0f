using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Flowhive.Probe.Engine.Classification.Ndpi;

/// <summary>
/// P/Invoke into libflowhive_ndpi.so, the shim compiled against the installed nDPI headers at build time
/// (native/flowhive_ndpi.c). Nothing here knows nDPI's own structs: only the shim's plain functions and its
/// <see cref="NdpiResult"/>.
/// </summary>
internal static unsafe partial class NdpiNative
{
    public const string Library = "flowhive_ndpi";
    public const string LibraryFile = "libflowhive_ndpi.so";

    /// <summary>Must equal FH_SHIM_ABI in flowhive_ndpi.c.</summary>
    public const int ShimAbi = 1;

    /// <summary>fh_flow_process result bits.</summary>
    public const int Detected = 0x01;
    public const int ExtraPossible = 0x02;

    [LibraryImport(Library, EntryPoint = "fh_shim_abi")]
    public static partial int ShimAbiVersion();

    [LibraryImport(Library, EntryPoint = "fh_result_size")]
    public static partial int ResultSize();

    [LibraryImport(Library, EntryPoint = "fh_built_against")]
    public static partial byte* BuiltAgainst();

    [LibraryImport(Library, EntryPoint = "fh_built_major")]
    public static partial int BuiltMajor();

    [LibraryImport(Library, EntryPoint = "fh_built_minor")]
    public static partial int BuiltMinor();

    [LibraryImport(Library, EntryPoint = "fh_runtime_revision")]
    public static partial byte* RuntimeRevision();

    [LibraryImport(Library, EntryPoint = "fh_check_runtime")]
    public static partial int CheckRuntime(byte* error, int errorLength);

    [LibraryImport(Library, EntryPoint = "fh_flow_size")]
    public static partial uint FlowSize();

    [LibraryImport(Library, EntryPoint = "fh_num_categories")]
    public static partial int CategoryCount();

    [LibraryImport(Library, EntryPoint = "fh_num_risks")]
    public static partial int RiskCount();

    [LibraryImport(Library, EntryPoint = "fh_num_confidences")]
    public static partial int ConfidenceCount();

    [LibraryImport(Library, EntryPoint = "fh_first_custom_category")]
    public static partial int FirstCustomCategory();

    [LibraryImport(Library, EntryPoint = "fh_confidence_name")]
    public static partial byte* ConfidenceName(int confidence);

    [LibraryImport(Library, EntryPoint = "fh_risk_name")]
    public static partial byte* RiskName(int risk);

    [LibraryImport(Library, EntryPoint = "fh_module_new")]
    public static partial nint ModuleNew();

    [LibraryImport(Library, EntryPoint = "fh_module_load_protocols", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int ModuleLoadProtocols(nint module, string path);

    [LibraryImport(Library, EntryPoint = "fh_module_load_category", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int ModuleLoadCategory(nint module, string hostOrIp, int category);

    [LibraryImport(Library, EntryPoint = "fh_module_finalize")]
    public static partial void ModuleFinalize(nint module);

    [LibraryImport(Library, EntryPoint = "fh_module_free")]
    public static partial void ModuleFree(nint module);

    [LibraryImport(Library, EntryPoint = "fh_num_protocols")]
    public static partial uint ProtocolCount(nint module);

    [LibraryImport(Library, EntryPoint = "fh_protocol_name")]
    public static partial byte* ProtocolName(nint module, int id);

    [LibraryImport(Library, EntryPoint = "fh_protocol_category")]
    public static partial int ProtocolCategory(nint module, int id);

    [LibraryImport(Library, EntryPoint = "fh_category_name")]
    public static partial byte* CategoryName(nint module, int category);

    [LibraryImport(Library, EntryPoint = "fh_flow_new")]
    public static partial nint FlowNew();

    [LibraryImport(Library, EntryPoint = "fh_flow_reset")]
    public static partial void FlowReset(nint flow);

    [LibraryImport(Library, EntryPoint = "fh_flow_free")]
    public static partial void FlowFree(nint flow);

    [LibraryImport(Library, EntryPoint = "fh_flow_process")]
    public static partial int FlowProcess(nint module, nint flow, byte* ip, ushort length, ulong timeMs);

    [LibraryImport(Library, EntryPoint = "fh_flow_finish")]
    public static partial void FlowFinish(nint module, nint flow, int completed, NdpiResult* result);

    /// <summary>A NUL-terminated UTF-8 string owned by the library, or null.</summary>
    public static string? Text(byte* text) => text is null ? null : Marshal.PtrToStringUTF8((nint)text);

    /// <summary>A NUL-terminated string in a fixed buffer of <see cref="NdpiResult"/>; null when empty.</summary>
    public static string? Text(ReadOnlySpan<byte> buffer)
    {
        var end = buffer.IndexOf((byte)0);
        var text = end < 0 ? buffer : buffer[..end];
        return text.IsEmpty ? null : System.Text.Encoding.UTF8.GetString(text);
    }
}

/// <summary>fh_result.kind: which families of fields the shim filled (decided from nDPI's protocol ids).</summary>
[Flags]
internal enum NdpiResultKind : byte
{
    None = 0,
    Tls = 0x01,
    Http = 0x02,
    Dns = 0x04,
    Ssh = 0x08,
    Dhcp = 0x10,
    Name = 0x20,
}

/// <summary>fh_result.flags.</summary>
[Flags]
internal enum NdpiResultFlags : byte
{
    None = 0,
    Guessed = 0x01,
    SelfSigned = 0x02,
}

/// <summary>
/// Mirror of fh_result in flowhive_ndpi.c, field for field (integers, then NUL-terminated strings truncated to
/// their buffers). The engine refuses to start when the shim reports another size (<see cref="NdpiNative.ResultSize"/>).
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NdpiResult
{
    public ulong Risk;
    public uint TlsNotBefore;
    public uint TlsNotAfter;
    public ushort Master;
    public ushort App;
    public ushort Category;
    public ushort TlsVersion;
    public ushort TlsCipher;
    public ushort HttpStatus;
    public ushort DnsQueryType;
    public byte Confidence;
    public byte DnsReplyCode;
    public NdpiResultKind Kind;
    public NdpiResultFlags Flags;
    public Bytes6 Reserved;
    public Bytes64 ProtoName;
    public Bytes96 Host;
    public Bytes36 Ja3Client;
    public Bytes36 Ja3Server;
    public Bytes16 HttpMethod;
    public Bytes256 HttpUrl;
    public Bytes256 HttpUserAgent;
    public Bytes128 HttpContentType;
    public Bytes128 TlsAlpn;
    public Bytes256 TlsIssuer;
    public Bytes256 TlsSubject;
    public Bytes48 SshClient;
    public Bytes48 SshServer;
    public Bytes36 HasshClient;
    public Bytes36 HasshServer;
    public Bytes48 DhcpClass;
    public Bytes48 DnsAnswer;

    public const int Size = 1832;
}

[InlineArray(6)]
internal struct Bytes6
{
    private byte _first;
}

[InlineArray(16)]
internal struct Bytes16
{
    private byte _first;
}

[InlineArray(36)]
internal struct Bytes36
{
    private byte _first;
}

[InlineArray(48)]
internal struct Bytes48
{
    private byte _first;
}

[InlineArray(64)]
internal struct Bytes64
{
    private byte _first;
}

[InlineArray(96)]
internal struct Bytes96
{
    private byte _first;
}

[InlineArray(128)]
internal struct Bytes128
{
    private byte _first;
}

[InlineArray(256)]
internal struct Bytes256
{
    private byte _first;
}
