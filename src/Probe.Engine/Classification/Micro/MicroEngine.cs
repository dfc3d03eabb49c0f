using Flowhive.Probe.Engine.Classification.Micro.Catalog;
using Flowhive.Probe.Engine.Classification.Micro.Framework;
using Flowhive.Probe.Engine.Classification.Micro.Services;
using Flowhive.Probe.Engine.Classification.Rules;

namespace Flowhive.Probe.Engine.Classification.Micro;

/// <summary>
/// The managed "micro" DPI engine: what every worker's classifier shares (the protocol catalog, the service table,
/// the DNS answer cache) and the factory of per-worker classifiers. Thread-safe; create one per probe and pass
/// <see cref="CreateClassifier"/> as the capture engine's classifier factory.
/// </summary>
public sealed class MicroEngine
{
    public const string EngineName = "micro";

    private readonly Func<IReadOnlyList<IDissector>> _dissectors;
    private volatile UserProtocols _user;
    private volatile CategoryRuleSet _categories = CategoryRuleSet.Empty;

    public MicroEngine(ServiceTable? services = null, DnsAnswerCache? dnsCache = null, Func<IReadOnlyList<IDissector>>? dissectors = null)
    {
        Catalog = ProtocolCatalog.Ndpi42;
        Services = services ?? ServiceTable.Default;
        DnsCache = dnsCache ?? new DnsAnswerCache();
        _dissectors = dissectors ?? MicroDissectors.Create;
        _user = new UserProtocols(ProtoRuleSet.Empty, Catalog);

        var sample = _dissectors();
        DissectorNames = [.. sample.Select(d => d.Name)];
        var supported = new HashSet<ushort>(Services.Protocols);
        foreach (var d in sample)
        {
            supported.UnionWith(d.Protocols);
        }

        supported.Remove(NdpiIds.Unknown);
        SupportedProtocols = supported;
    }

    public ProtocolCatalog Catalog { get; }

    public ServiceTable Services { get; }

    public DnsAnswerCache DnsCache { get; }

    /// <summary>Every protocol the engine can report: what its dissectors detect and the services its host table names.</summary>
    public IReadOnlySet<ushort> SupportedProtocols { get; }

    public IReadOnlyList<string> DissectorNames { get; }

    /// <summary>The protocols the engine can report, by id, as the catalog names them (for <c>--list-protocols</c>).</summary>
    public IReadOnlyList<ProtocolInfo> ListProtocols() => [.. SupportedProtocols.Order().Select(id => Catalog[id])];

    /// <summary>The user's protocol rules in force; flows that start after a change see the new ones.</summary>
    public UserProtocols User => _user;

    /// <summary>Puts <paramref name="rules"/> in force (at start, and on each reload): thread-safe, one reference swap.</summary>
    public void ApplyRules(ProtoRuleSet rules) => _user = new UserProtocols(rules, Catalog);

    /// <summary>The user's custom category rules in force (<c>--ndpi-categories</c>).</summary>
    public CategoryRuleSet CategoryRules => _categories;

    /// <summary>Puts <paramref name="rules"/> in force (at start, and on each reload): thread-safe, one reference swap.</summary>
    public void ApplyCategoryRules(CategoryRuleSet rules) => _categories = rules;

    /// <summary>Category names by id (nDPI 4.2's table), for reading a categories file that names them.</summary>
    public IReadOnlyList<string> CategoryNames()
    {
        var max = Catalog.Categories.Max(c => c.Key);
        return [.. Enumerable.Range(0, max + 1).Select(id => Catalog.CategoryName((ushort)id))];
    }

    /// <summary>A protocol by id: the user's custom protocols, then nDPI 4.2's.</summary>
    public ProtocolInfo Protocol(ushort id) => _user.TryGetCustom(id, out var custom) ? custom : Catalog[id];

    /// <summary>A classifier for one flow worker (not thread-safe itself; all of them share this engine's cache).</summary>
    public MicroClassifier CreateClassifier() => new(this, _dissectors());
}
