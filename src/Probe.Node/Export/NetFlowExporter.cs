using Flowhive.Probe.Configuration;
using Flowhive.Shared.Flows;
using Flowhive.Shared.Wire.NetFlow;
using Microsoft.Extensions.Logging;

namespace Flowhive.Probe.Export;

/// <summary>
/// Exports flows as NetFlow v5, v9 or IPFIX over UDP, as nProbe's <c>-n</c>/<c>-V</c>/<c>-T</c> do. Several
/// collectors share the load as nProbe shares it: round robin by datagram, each datagram to one collector. Each
/// collector has its own encoder, so its sequence numbers have no gaps and it gets every template refresh. Encoding
/// runs on the export thread and allocates nothing per flow; send failures are counted.
/// </summary>
public sealed partial class NetFlowExporter : IFlowExporter
{
    private readonly NetFlowExportOptions _options;
    private readonly ILogger _log;
    private readonly NetFlowEncoder[] _encoders;
    private readonly NetFlowCollectorSocket[] _collectors;
    private readonly long[] _failuresLogged;
    private int _active;

    public NetFlowExporter(NetFlowExportOptions options, ProbeOptions probe, ILogger log)
    {
        _options = options;
        _log = log;
        var encoder = options.Encoder with { SourceId = probe.SourceId, InstanceName = probe.InstanceName };
        _encoders = [.. options.Collectors.Select(_ => NetFlowEncoder.Create(encoder))];
        _collectors = [.. options.Collectors.Select(c => new NetFlowCollectorSocket(c))];
        _failuresLogged = new long[_collectors.Length];
        Name = $"{VersionName} {string.Join(',', options.Collectors)}";
    }

    public string Name { get; }

    /// <summary>Flows encoded (IPv6 flows a v5 export cannot carry and flows without packets not included); datagrams and bytes sent.</summary>
    public ExporterCounters Counters { get; } = new();

    /// <summary>UDP has no peer to wait for: a replay starts at once.</summary>
    public bool ReadyForReplay => true;

    /// <summary>Every encoder's counters summed: records, slices, skipped flows, templates.</summary>
    public NetFlowEncoderCounters Totals
    {
        get
        {
            var totals = new NetFlowEncoderCounters();
            foreach (var c in _encoders.Select(e => e.Counters))
            {
                totals.Flows += c.Flows;
                totals.Records += c.Records;
                totals.ExtraSlices += c.ExtraSlices;
                totals.SkippedFlows += c.SkippedFlows;
                totals.EmptyFlows += c.EmptyFlows;
                totals.Datagrams += c.Datagrams;
                totals.Bytes += c.Bytes;
                totals.TemplatesSent += c.TemplatesSent;
                totals.ClockRebases += c.ClockRebases;
            }

            return totals;
        }
    }

    private string VersionName => _options.Encoder.Version == NetFlowVersion.Ipfix ? "ipfix" : $"netflow v{(int)_options.Encoder.Version}";

    public void Open()
    {
        foreach (var collector in _collectors)
        {
            collector.Open();
        }

        var fields = _encoders[0] is TemplateEncoder t
            ? $"IPv4 template {t.TemplateIdOf(4)} ({t.TemplateFields(4).Count} fields), IPv6 template {t.TemplateIdOf(6)} ({t.TemplateFields(6).Count} fields)"
            : "fixed v5 records, IPv4 only";
        LogOpened(_log, Name, fields, _options.Encoder.Template.IsBidirectional && _options.Encoder.Version != NetFlowVersion.V5
            ? "one record per flow" : "one record per direction");
    }

    public void Export(ReadOnlySpan<FlowRecord> flows)
    {
        var nowMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        foreach (ref readonly var flow in flows)
        {
            var encoder = _encoders[_active];
            var collector = _collectors[_active];
            var sentBefore = encoder.Counters.Datagrams;
            var encodedBefore = encoder.Counters.SkippedFlows + encoder.Counters.EmptyFlows;
            encoder.Add(flow, nowMs, collector);
            if (encoder.Counters.SkippedFlows + encoder.Counters.EmptyFlows == encodedBefore)
            {
                Interlocked.Increment(ref Counters.Flows);
            }

            if (encoder.Counters.Datagrams != sentBefore)
            {
                // A datagram went to this collector: the next one goes to the next collector.
                _active = (_active + 1) % _encoders.Length;
            }
        }

        UpdateCounters();
    }

    public void Tick(DateTimeOffset now)
    {
        var nowMs = now.ToUnixTimeMilliseconds();
        for (var i = 0; i < _encoders.Length; i++)
        {
            _encoders[i].Tick(nowMs, _collectors[i]);
        }

        UpdateCounters();
    }

    public void Flush()
    {
        var nowMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        for (var i = 0; i < _encoders.Length; i++)
        {
            _encoders[i].Flush(nowMs, _collectors[i]);
        }

        UpdateCounters();
        var totals = Totals;
        LogSummary(_log, Name, totals.Flows - totals.SkippedFlows - totals.EmptyFlows, totals.Records, Counters.Messages, totals.TemplatesSent,
            totals.SkippedFlows, totals.ExtraSlices, Counters.SendFailures);
    }

    public void Dispose()
    {
        foreach (var collector in _collectors)
        {
            collector.Dispose();
        }
    }

    private void UpdateCounters()
    {
        long datagrams = 0, bytes = 0, failures = 0;
        for (var i = 0; i < _collectors.Length; i++)
        {
            var c = _collectors[i];
            datagrams += c.Datagrams;
            bytes += c.Bytes;
            failures += c.SendFailures;
            if (c.SendFailures > _failuresLogged[i] && _failuresLogged[i] == 0)
            {
                // Once per collector: a collector that is down refuses every datagram.
                LogSendFailed(_log, c.Collector.ToString(), c.LastError.ToString());
            }

            _failuresLogged[i] = c.SendFailures;
        }

        Volatile.Write(ref Counters.Messages, datagrams);
        Volatile.Write(ref Counters.Bytes, bytes);
        Volatile.Write(ref Counters.SendFailures, failures);
    }

    [LoggerMessage(EventId = 110, Level = LogLevel.Information, Message = "{Exporter}: exporting over UDP, {Templates}, {Directions}")]
    private static partial void LogOpened(ILogger log, string exporter, string templates, string directions);

    [LoggerMessage(EventId = 111, Level = LogLevel.Warning, Message = "{Collector}: sending NetFlow failed ({Error}); failures are counted, export goes on")]
    private static partial void LogSendFailed(ILogger log, string collector, string error);

    [LoggerMessage(EventId = 112, Level = LogLevel.Information,
        Message = "{Exporter}: {Flows} flows exported as {Records} records in {Datagrams} datagrams ({Templates} template records); " +
                  "{Skipped} flows not expressible (IPv6 in v5), {ExtraSlices} extra records for counters over 32 bits, {Failures} send failures")]
    private static partial void LogSummary(ILogger log, string exporter, long flows, long records, long datagrams, long templates, long skipped, long extraSlices, long failures);
}
