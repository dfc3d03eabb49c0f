using Flowhive.Probe.Engine.Classification.Rules;

namespace Flowhive.Probe.Engine.Classification.Micro.Catalog;

/// <summary>
/// The user's rules (<c>-p protos.txt</c>) with an id for every protocol they name: a name nDPI 4.2 knows keeps its
/// id ("HTTP"); a new one gets the next id after the catalog's, in file order, with the Unspecified category, as nDPI
/// numbers custom protocols. Immutable; a reload builds a new one.
/// </summary>
public sealed class UserProtocols
{
    private readonly Dictionary<string, ushort> _ids = new(StringComparer.Ordinal);
    private readonly Dictionary<ushort, ProtocolInfo> _custom = [];

    public UserProtocols(ProtoRuleSet rules, ProtocolCatalog catalog)
    {
        Rules = rules;
        var next = (ushort)(catalog.Protocols.Max(p => p.Id) + 1);
        foreach (var name in rules.Protocols)
        {
            if (catalog.TryFind(name, out var known))
            {
                _ids[name] = known.Id;
                continue;
            }

            var info = new ProtocolInfo(next, name, "TCP/UDP", "Acceptable", NdpiIds.CategoryUnspecified, catalog.CategoryName(NdpiIds.CategoryUnspecified));
            _ids[name] = next;
            _custom[next] = info;
            next++;
        }
    }

    public ProtoRuleSet Rules { get; }

    public IReadOnlyCollection<ProtocolInfo> Custom => _custom.Values;

    public ushort IdOf(ProtoRule rule) => _ids[rule.Protocol];

    public bool TryGetCustom(ushort id, out ProtocolInfo info) => _custom.TryGetValue(id, out info!);
}
