using Flowhive.Shared.Flows;

namespace Flowhive.Shared.Wire.NetFlow;

/// <summary>
/// Sampling intervals announced in options data, per exporter, version and source id / observation domain
/// (the template id of the key is 0). Packets and bytes of sampled records are multiplied by the interval, as
/// nfdump and nProbe do, so that totals estimate the real traffic. Bounded like the template cache; a full table
/// forgets everything and relearns from the next options refresh rather than growing.
/// </summary>
internal sealed class NetFlowSamplingRates(int capacity)
{
    private const ushort SamplingIntervalId = 34;        // v9 SAMPLING_INTERVAL, IPFIX samplingInterval (deprecated but common)
    private const ushort SamplerRandomIntervalId = 50;   // v9 FLOW_SAMPLER_RANDOM_INTERVAL, IPFIX samplerRandomInterval
    private const ushort SamplingPacketIntervalId = 305; // IPFIX samplingPacketInterval (RFC 7270)

    private readonly Dictionary<TemplateKey, ulong> _rates = [];

    public int Count => _rates.Count;

    public IEnumerable<KeyValuePair<TemplateKey, ulong>> All => _rates;

    public static bool IsSamplingInterval(in DecodedField field) =>
        field.Enterprise == 0 && field.Id is SamplingIntervalId or SamplerRandomIntervalId or SamplingPacketIntervalId;

    public ulong Get(in TemplateKey scope) => _rates.Count == 0 ? 0 : _rates.GetValueOrDefault(scope);

    public void Set(in TemplateKey scope, ulong interval)
    {
        if (!_rates.ContainsKey(scope) && _rates.Count >= capacity)
        {
            _rates.Clear();
        }

        _rates[scope] = interval;
    }

    /// <summary>Scales the record's counters by <paramref name="interval"/> (0 and 1 mean unsampled); saturates instead of wrapping.</summary>
    public static void Apply(ref FlowRecord record, ulong interval)
    {
        if (interval <= 1)
        {
            return;
        }

        record.InPkts = Scale(record.InPkts, interval);
        record.InBytes = Scale(record.InBytes, interval);
        record.OutPkts = Scale(record.OutPkts, interval);
        record.OutBytes = Scale(record.OutBytes, interval);
    }

    private static ulong Scale(ulong value, ulong interval) =>
        value != 0 && interval > ulong.MaxValue / value ? ulong.MaxValue : value * interval;
}
