using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Flowhive.Probe.Engine.Classification.Rules;

namespace Flowhive.Probe.Engine.Classification.Ndpi;

/// <summary>
/// The system's libndpi behind <see cref="IFlowClassifier"/>. One engine per probe; one
/// <see cref="NdpiClassifier"/> (with its own detection module: nDPI modules are not thread-safe) per flow worker.
/// The protocol, category, confidence and risk names come from the library at run time.
/// <para>
/// Rule reload (<see cref="TryReload"/>, on SIGHUP): every classifier gets a freshly built module, which it starts
/// using for the next new flow; flows already being inspected finish with the module they started on, which is
/// freed when the last of them is done.
/// </para>
/// </summary>
public sealed class NdpiEngine : IDisposable
{
    /// <summary>nDPI major versions whose API this engine's shim is written for.</summary>
    public static readonly IReadOnlyList<int> KnownMajorVersions = [4];

    /// <summary>Serialises module creation and destruction: nDPI's init touches process-wide state (libgcrypt, tables).</summary>
    internal static readonly Lock NativeLock = new();

    private readonly Lock _reloadLock = new();
    private readonly List<NdpiClassifier> _classifiers = [];
    private string[] _confidenceNames = [];
    private string[] _riskNames = [];
    private string[] _categoryNames = [];
    private IReadOnlyList<CategoryRule> _categoryRules = [];
    private string? _protocolRules;
    private bool _disposed;

    private NdpiEngine(NdpiOptions options, string version, string builtAgainst)
    {
        Options = options;
        Version = version;
        BuiltAgainst = builtAgainst;
    }

    public NdpiOptions Options { get; }

    /// <summary>The loaded library's release (ndpi_revision()), e.g. "4.2.0".</summary>
    public string Version { get; }

    /// <summary>The nDPI release whose headers the shim was compiled against.</summary>
    public string BuiltAgainst { get; }

    /// <summary>Every protocol the current rules know, by id (built-in ones, then custom ones from the protocols file).</summary>
    public IReadOnlyList<NdpiProtocol> Protocols { get; private set; } = [];

    /// <summary>Category names by nDPI category id.</summary>
    public IReadOnlyList<string> Categories => _categoryNames;

    /// <summary>Category rules loaded from <see cref="NdpiOptions.CategoriesFile"/>.</summary>
    public int CategoryRules => _categoryRules.Count;

    /// <summary>What the current rules will not do as written (nDPI quirks), for the log.</summary>
    public IReadOnlyList<string> Warnings { get; private set; } = [];

    /// <summary>Times the rules were reloaded.</summary>
    public int Reloads { get; private set; }

    /// <summary>
    /// Loads libndpi through the shim and checks that it is the version the shim was built for, then reads the rule
    /// files. When nDPI cannot be used, <paramref name="reason"/> says why in one line (no shim, no library, wrong
    /// version): the caller may fall back to another engine. A rule file that is missing or malformed is the user's
    /// to fix, not a reason to fall back: it throws <see cref="NdpiException"/> naming the file and line.
    /// </summary>
    public static bool TryCreate(NdpiOptions options, [NotNullWhen(true)] out NdpiEngine? engine, out string reason)
    {
        engine = null;
        if (!OperatingSystem.IsLinux())
        {
            reason = "the nDPI engine is built for Linux only";
            return false;
        }

        if (!TryLoadShim(out reason))
        {
            return false;
        }

        try
        {
            if (!CheckVersions(out var version, out var builtAgainst, out reason))
            {
                return false;
            }

            engine = new NdpiEngine(options, version, builtAgainst);
            engine.LoadNames();
        }
        catch (EntryPointNotFoundException e)
        {
            reason = $"{NdpiNative.LibraryFile} is from another Flowhive build ({e.Message}); rebuild the probe";
            return false;
        }

        engine.LoadCatalog();
        reason = "";
        return true;
    }

    /// <summary>A classifier with its own detection module, for one flow worker (one thread).</summary>
    public NdpiClassifier CreateClassifier()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        lock (_reloadLock)
        {
            var classifier = new NdpiClassifier(this, BuildModule(_protocolRules, _categoryRules));
            _classifiers.Add(classifier);
            return classifier;
        }
    }

    /// <summary>
    /// Re-reads the rule files and gives every classifier a new module. When a file is bad, nothing changes and
    /// <paramref name="message"/> says why.
    /// </summary>
    public bool TryReload(out string message)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        lock (_reloadLock)
        {
            // Every module is built before any is handed over: a bad file leaves all workers on the old rules.
            var modules = new List<NdpiModuleHandle>(_classifiers.Count);
            try
            {
                LoadCatalog();
                foreach (var _ in _classifiers)
                {
                    modules.Add(BuildModule(_protocolRules, _categoryRules));
                }
            }
            catch (NdpiException e)
            {
                modules.ForEach(m => m.Dispose());
                message = $"nDPI rules not reloaded, the previous ones stay: {e.Message}";
                return false;
            }

            for (var i = 0; i < modules.Count; i++)
            {
                _classifiers[i].Offer(modules[i]);
            }

            Reloads++;
            message = $"nDPI rules reloaded: {Protocols.Count} protocols ({CustomProtocolCount} custom), {CategoryRules} category rules; " +
                      "flows already being inspected finish with the previous rules";
            return true;
        }
    }

    /// <summary>Protocols that came from the protocols file rather than nDPI's built-in table.</summary>
    public int CustomProtocolCount { get; private set; }

    public string CategoryName(int category) =>
        (uint)category < (uint)_categoryNames.Length ? _categoryNames[category] : category.ToString(CultureInfo.InvariantCulture);

    internal string ConfidenceName(int confidence) =>
        (uint)confidence < (uint)_confidenceNames.Length ? _confidenceNames[confidence] : "Unknown";

    internal IReadOnlyList<string> RiskNames => _riskNames;

    internal void Forget(NdpiClassifier classifier)
    {
        lock (_reloadLock)
        {
            _classifiers.Remove(classifier);
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        NdpiClassifier[] classifiers;
        lock (_reloadLock)
        {
            classifiers = [.. _classifiers];
        }

        foreach (var classifier in classifiers)
        {
            classifier.Dispose();
        }
    }

    private static bool TryLoadShim(out string reason)
    {
        var directory = AppContext.BaseDirectory;
        var assemblyDirectory = Path.GetDirectoryName(typeof(NdpiEngine).Assembly.Location);
        var path = Path.Combine(string.IsNullOrEmpty(assemblyDirectory) ? directory : assemblyDirectory, NdpiNative.LibraryFile);
        if (!File.Exists(path))
        {
            reason = $"{NdpiNative.LibraryFile} is not next to {Path.GetFileName(typeof(NdpiEngine).Assembly.Location)}: " +
                     "this build had no nDPI headers (install libndpi-dev and rebuild)";
            return false;
        }

        try
        {
            // Loaded once by path so that a missing libndpi shows the loader's own words; the P/Invokes then find it loaded.
            NativeLibrary.Load(path);
        }
        catch (DllNotFoundException e)
        {
            reason = $"cannot load {NdpiNative.LibraryFile} (is libndpi installed? apt-get install libndpi4.2): {FirstLine(e.Message)}";
            return false;
        }
        catch (BadImageFormatException e)
        {
            reason = $"cannot load {NdpiNative.LibraryFile}: {FirstLine(e.Message)}";
            return false;
        }

        reason = "";
        return true;
    }

    private static unsafe bool CheckVersions(out string version, out string builtAgainst, out string reason)
    {
        version = NdpiNative.Text(NdpiNative.RuntimeRevision()) ?? "";
        builtAgainst = NdpiNative.Text(NdpiNative.BuiltAgainst()) ?? "";
        if (NdpiNative.ShimAbiVersion() != NdpiNative.ShimAbi || NdpiNative.ResultSize() != Unsafe.SizeOf<NdpiResult>() ||
            Unsafe.SizeOf<NdpiResult>() != NdpiResult.Size)
        {
            reason = $"{NdpiNative.LibraryFile} does not match this Flowhive build (shim ABI {NdpiNative.ShimAbiVersion()}, " +
                     $"result {NdpiNative.ResultSize()} bytes; expected {NdpiNative.ShimAbi} and {Unsafe.SizeOf<NdpiResult>()}); rebuild the probe";
            return false;
        }

        if (!TryParseVersion(version, out var major, out var minor))
        {
            reason = $"libndpi reports an unreadable version '{version}'";
            return false;
        }

        if (!KnownMajorVersions.Contains(major))
        {
            reason = $"libndpi {version}: nDPI {major}.x is not a version this probe knows (it works with {string.Join(", ", KnownMajorVersions.Select(v => v + ".x"))})";
            return false;
        }

        if (major != NdpiNative.BuiltMajor() || minor != NdpiNative.BuiltMinor())
        {
            reason = $"libndpi {version} is installed but {NdpiNative.LibraryFile} was compiled against nDPI {builtAgainst} headers; " +
                     "its flow layout differs: rebuild the probe on this machine";
            return false;
        }

        var error = stackalloc byte[512];
        if (NdpiNative.CheckRuntime(error, 512) != 0)
        {
            reason = $"libndpi {version} does not match the headers {NdpiNative.LibraryFile} was built with: {NdpiNative.Text(error)}";
            return false;
        }

        reason = "";
        return true;
    }

    /// <summary>"4.2.0", "4.3.0-3456-ab12cd" or "4.2" into major and minor.</summary>
    internal static bool TryParseVersion(string version, out int major, out int minor)
    {
        major = minor = 0;
        var parts = version.Split('.', '-');
        return parts.Length >= 2 &&
               int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out major) &&
               int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out minor);
    }

    private unsafe void LoadNames()
    {
        _confidenceNames = new string[NdpiNative.ConfidenceCount()];
        for (var i = 0; i < _confidenceNames.Length; i++)
        {
            _confidenceNames[i] = NdpiNative.Text(NdpiNative.ConfidenceName(i)) ?? i.ToString(CultureInfo.InvariantCulture);
        }

        _riskNames = new string[NdpiNative.RiskCount()];
        for (var i = 0; i < _riskNames.Length; i++)
        {
            _riskNames[i] = NdpiNative.Text(NdpiNative.RiskName(i)) ?? $"risk {i}";
        }
    }

    /// <summary>Builds a module from the current files to read nDPI's tables (and to check the files), then frees it.</summary>
    private unsafe void LoadCatalog()
    {
        // Category names first (a module with no category rules): the categories file may name categories.
        nint module;
        lock (NativeLock)
        {
            module = NdpiNative.ModuleNew();
        }

        if (module == 0)
        {
            throw new NdpiException("ndpi_init_detection_module failed (out of memory?)");
        }

        string[] categoryNames;
        try
        {
            categoryNames = new string[NdpiNative.CategoryCount()];
            for (var i = 0; i < categoryNames.Length; i++)
            {
                categoryNames[i] = NdpiNative.Text(NdpiNative.CategoryName(module, i)) ?? i.ToString(CultureInfo.InvariantCulture);
            }
        }
        finally
        {
            lock (NativeLock)
            {
                NdpiNative.ModuleFree(module);
            }
        }

        IReadOnlyList<CategoryRule> rules;
        try
        {
            rules = CategoryRuleFile.Load(Options.CategoriesFile, categoryNames);
        }
        catch (FormatException e)
        {
            throw new NdpiException(e.Message);
        }

        var protocolRules = Options.ProtocolsFile is { } file ? ProtocolRuleFile.Read(file) : null;
        using var handle = BuildModule(protocolRules, rules, out var builtIn);
        var catalog = handle.DangerousGetHandle();
        var count = (int)NdpiNative.ProtocolCount(catalog);
        var protocols = new NdpiProtocol[count];
        for (var id = 0; id < count; id++)
        {
            var name = NdpiNative.Text(NdpiNative.ProtocolName(catalog, id)) ?? id.ToString(CultureInfo.InvariantCulture);
            var category = NdpiNative.ProtocolCategory(catalog, id);
            var categoryName = (uint)category < (uint)categoryNames.Length ? categoryNames[category] : category.ToString(CultureInfo.InvariantCulture);
            protocols[id] = new NdpiProtocol((ushort)id, name, (ushort)category, categoryName);
        }

        _categoryNames = categoryNames;
        Protocols = protocols;
        CustomProtocolCount = Math.Max(0, count - builtIn);
        _categoryRules = rules;
        _protocolRules = protocolRules;
        Warnings = CustomProtocolCount == 0 && rules.Any(r => System.Net.IPAddress.TryParse(r.HostOrIp.Split('/')[0], out _))
            ? [$"{Options.CategoriesFile}: nDPI {Version} applies IP category rules only when the protocols file (-p) defines a protocol; " +
               "these IP rules have no effect"]
            : [];
    }

    private NdpiModuleHandle BuildModule(string? protocolRules, IReadOnlyList<CategoryRule> rules) => BuildModule(protocolRules, rules, out _);

    private NdpiModuleHandle BuildModule(string? protocolRules, IReadOnlyList<CategoryRule> rules, out int builtInProtocols)
    {
        lock (NativeLock)
        {
            var module = NdpiNative.ModuleNew();
            if (module == 0)
            {
                throw new NdpiException("ndpi_init_detection_module failed (out of memory?)");
            }

            try
            {
                builtInProtocols = (int)NdpiNative.ProtocolCount(module);
                if (protocolRules is not null && ProtocolRuleFile.LoadInto(module, protocolRules) != 0)
                {
                    throw new NdpiException($"{Options.ProtocolsFile}: nDPI could not load the protocols file");
                }

                foreach (var rule in rules)
                {
                    if (NdpiNative.ModuleLoadCategory(module, rule.HostOrIp, rule.Category) < 0)
                    {
                        throw new NdpiException($"{rule.File}:{rule.Line}: nDPI refused '{rule.HostOrIp}' for category {rule.Category}");
                    }
                }

                NdpiNative.ModuleFinalize(module);
                return new NdpiModuleHandle(module);
            }
            catch
            {
                NdpiNative.ModuleFree(module);
                throw;
            }
        }
    }

    private static string FirstLine(string text)
    {
        var end = text.IndexOf('\n', StringComparison.Ordinal);
        return end < 0 ? text : text[..end];
    }
}
