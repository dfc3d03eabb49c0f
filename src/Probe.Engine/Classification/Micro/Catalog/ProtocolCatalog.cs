using System.Globalization;

namespace Flowhive.Probe.Engine.Classification.Micro.Catalog;

/// <summary>
/// nDPI 4.2's protocol and category tables (<c>Data/protocols.tsv</c>, <c>Data/categories.tsv</c>): the ids and
/// names every engine must report so that ntopng shows what it shows with nDPI. Immutable, shared by all workers.
/// </summary>
public sealed class ProtocolCatalog
{
    private readonly ProtocolInfo?[] _byId;
    private readonly Dictionary<string, ProtocolInfo> _byName;
    private readonly Dictionary<ushort, string> _categories;

    private ProtocolCatalog(IReadOnlyList<ProtocolInfo> protocols, Dictionary<ushort, string> categories)
    {
        Protocols = protocols;
        _categories = categories;
        _byId = new ProtocolInfo?[protocols.Max(p => p.Id) + 1];
        _byName = new Dictionary<string, ProtocolInfo>(StringComparer.Ordinal);
        foreach (var p in protocols)
        {
            _byId[p.Id] = p;
            _byName[p.Name] = p;
        }
    }

    /// <summary>The tables as nDPI 4.2 ships them.</summary>
    public static ProtocolCatalog Ndpi42 { get; } = Load();

    public IReadOnlyList<ProtocolInfo> Protocols { get; }

    /// <summary>Category ids and names, ordered by id.</summary>
    public IEnumerable<KeyValuePair<ushort, string>> Categories => _categories.OrderBy(c => c.Key);

    public ProtocolInfo this[ushort id] => TryGet(id, out var info) ? info : throw new KeyNotFoundException($"no nDPI 4.2 protocol has id {id}");

    public bool TryGet(ushort id, out ProtocolInfo info)
    {
        info = id < _byId.Length ? _byId[id]! : null!;
        return info is not null;
    }

    public bool TryFind(string name, out ProtocolInfo info) => _byName.TryGetValue(name, out info!);

    /// <summary>The id of a protocol by its exact nDPI 4.2 name.</summary>
    public ushort IdOf(string name) =>
        TryFind(name, out var info) ? info.Id : throw new KeyNotFoundException($"no nDPI 4.2 protocol is named '{name}'");

    public string CategoryName(ushort categoryId) => _categories.TryGetValue(categoryId, out var name) ? name : "Unspecified";

    public bool TryFindCategory(string name, out ushort categoryId)
    {
        foreach (var (id, categoryName) in _categories)
        {
            if (categoryName == name)
            {
                categoryId = id;
                return true;
            }
        }

        categoryId = 0;
        return false;
    }

    private static ProtocolCatalog Load()
    {
        const string categoriesFile = "categories.tsv";
        const string protocolsFile = "protocols.tsv";
        var categories = new Dictionary<ushort, string>();
        foreach (var (line, f) in EmbeddedTable.Read(categoriesFile))
        {
            if (f.Length != 2 || !ushort.TryParse(f[0], CultureInfo.InvariantCulture, out var id) || !categories.TryAdd(id, f[1]))
            {
                throw EmbeddedTable.Error(categoriesFile, line, "expected a unique id and a name");
            }
        }

        var protocols = new List<ProtocolInfo>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (line, f) in EmbeddedTable.Read(protocolsFile))
        {
            if (f.Length != 6 || !ushort.TryParse(f[0], CultureInfo.InvariantCulture, out var id) ||
                !ushort.TryParse(f[4], CultureInfo.InvariantCulture, out var category))
            {
                throw EmbeddedTable.Error(protocolsFile, line, "expected id, name, l4, breed, category id, category");
            }

            if (!categories.TryGetValue(category, out var categoryName) || categoryName != f[5])
            {
                throw EmbeddedTable.Error(protocolsFile, line, $"category {category} is not '{f[5]}' in {categoriesFile}");
            }

            if (!names.Add(f[1]) || protocols.Any(p => p.Id == id))
            {
                throw EmbeddedTable.Error(protocolsFile, line, $"duplicate protocol {id} {f[1]}");
            }

            protocols.Add(new ProtocolInfo(id, f[1], f[2], f[3], category, categoryName));
        }

        return new ProtocolCatalog(protocols, categories);
    }
}
