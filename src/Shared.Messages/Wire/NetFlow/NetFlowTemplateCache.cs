namespace Flowhive.Shared.Wire.NetFlow;

/// <summary>
/// Received templates, bounded: when full, the least recently used template is forgotten (its exporter resends
/// it within a refresh interval). Allocation happens only when a template is new or changed; a refresh of an
/// identical template only touches it.
/// </summary>
internal sealed class NetFlowTemplateCache(int capacity)
{
    private readonly Dictionary<TemplateKey, DecodedTemplate> _templates = [];
    private long _useClock;

    public int Count => _templates.Count;

    public IEnumerable<KeyValuePair<TemplateKey, DecodedTemplate>> All => _templates;

    public bool TryGet(in TemplateKey key, out DecodedTemplate template)
    {
        if (_templates.TryGetValue(key, out template!))
        {
            template.LastUsed = ++_useClock;
            return true;
        }

        return false;
    }

    /// <summary>Stores a template; returns whether it was new or different from the one stored.</summary>
    public bool Learn(in TemplateKey key, ReadOnlySpan<DecodedField> fields, bool isOptions, NetFlowDecodeCounters counters)
    {
        if (_templates.TryGetValue(key, out var existing) && existing.SameFieldsAs(fields, isOptions))
        {
            existing.LastUsed = ++_useClock;
            return false;
        }

        if (existing is null && _templates.Count >= capacity)
        {
            EvictLeastRecentlyUsed();
            counters.TemplatesEvicted++;
        }

        _templates[key] = new DecodedTemplate(fields.ToArray(), isOptions) { LastUsed = ++_useClock };
        return true;
    }

    public bool Remove(in TemplateKey key) => _templates.Remove(key);

    private void EvictLeastRecentlyUsed()
    {
        // A linear scan, but only when a new template arrives at a full cache: rare outside attacks.
        var oldest = default(TemplateKey);
        var oldestUse = long.MaxValue;
        foreach (var (key, template) in _templates)
        {
            if (template.LastUsed < oldestUse)
            {
                oldest = key;
                oldestUse = template.LastUsed;
            }
        }

        _templates.Remove(oldest);
    }
}
