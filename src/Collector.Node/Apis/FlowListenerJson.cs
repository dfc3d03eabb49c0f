using Flowhive.Hosting.FlowCollection;
using Flowhive.Shared.Wire.SFlow;

namespace Flowhive.Collector.Apis;

/// <summary>The <c>netflowRecvStats</c> block of a <c>udp://</c> interface: datagrams, flows, templates and drops by reason, per protocol.</summary>
internal static class FlowListenerJson
{
    public static object Stats(FlowDatagramListener listener)
    {
        var netflow = listener.NetFlow;
        var sflow = listener.SFlow;
        return new
        {
            netflow = new
            {
                datagrams = netflow.Datagrams,
                flows = netflow.Records,
                flows_dropped = netflow.RecordsDropped,
                templates = listener.Templates,
                templates_loaded = listener.TemplatesLoaded,
                templates_learned = netflow.TemplatesLearned,
                templates_withdrawn = netflow.TemplatesWithdrawn,
                templates_evicted = netflow.TemplatesEvicted,
                options_records = netflow.OptionsRecords,
                sampling_options = netflow.SamplingOptions,
                drops = netflow.Problems.ToDictionary(p => Snake(p.Status.ToString()), p => p.Count),
            },
            sflow = new
            {
                datagrams = sflow.Datagrams,
                flow_samples = sflow.FlowSamples,
                counter_samples = sflow.CounterSamples,
                flows = sflow.Records,
                skipped_unknown_formats = sflow.SkippedUnknownFormats,
                drops = sflow.Problems.ToDictionary(p => Snake(p.Status.ToString()), p => p.Count),
                interfaces = InterfaceCounters(listener.InterfaceCounters),
            },
            decoder_exceptions = Interlocked.Read(ref listener.DecoderExceptions),
        };
    }

    /// <summary>sFlow interface counters, from a udp:// interface's counter samples or a probe's "counter" messages.</summary>
    public static IEnumerable<object> InterfaceCounters(IEnumerable<SFlowInterfaceCounters> counters) =>
        counters.OrderBy(c => c.Agent).ThenBy(c => c.IfIndex).Select(c => (object)new
        {
            agent = c.Agent.ToString(),
            if_index = c.IfIndex,
            if_type = c.IfType,
            if_speed = c.IfSpeed,
            in_octets = c.InOctets,
            in_packets = c.InPackets,
            in_discards = c.InDiscards,
            in_errors = c.InErrors,
            out_octets = c.OutOctets,
            out_packets = c.OutPackets,
            out_discards = c.OutDiscards,
            out_errors = c.OutErrors,
            agent_uptime_ms = c.UptimeMs,
        });

    /// <summary>TemplateLengthOverflow → template_length_overflow, as the API's other keys.</summary>
    private static string Snake(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
