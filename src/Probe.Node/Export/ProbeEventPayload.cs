using System.Buffers;
using System.Text.Json;
using Flowhive.Probe.Configuration;
using Flowhive.Probe.Engine.Workers;

namespace Flowhive.Probe.Export;

/// <summary>
/// The JSON statistics event nProbe publishes every few seconds on topic "event" (ntopng's
/// <c>ZMQParserInterface::parseEvent</c> reads these names): traffic totals, drops, timeouts and identity.
/// </summary>
public static class ProbeEventPayload
{
    public static int Write(IBufferWriter<byte> output, ProbeOptions options, IReadOnlyList<EngineStatistics> engines, ExporterCounters exported,
        DateTimeOffset now, DateTimeOffset started, string version)
    {
        long packets = 0, bytes = 0, kernelDrops = 0, malformed = 0, evictions = 0, activeFlows = 0;
        foreach (var e in engines)
        {
            packets += e.Packets;
            bytes += e.WireBytes;
            kernelDrops += e.KernelDrops;
            malformed += e.MalformedPackets;
            evictions += e.TableFullEvictions;
            activeFlows += e.ActiveFlows;
        }

        var uptime = Math.Max(1, (now - started).TotalSeconds);
        using var json = new Utf8JsonWriter(output);
        json.WriteStartObject();
        json.WriteNumber("time", now.ToUnixTimeSeconds());
        json.WriteNumber("uptime", (long)uptime);
        json.WriteNumber("bytes", bytes);
        json.WriteNumber("packets", packets);
        json.WriteNumber("packet_drops", kernelDrops);
        json.WriteNumber("malformed_packets", malformed);
        json.WriteNumber("active_flows", activeFlows);
        json.WriteString("mode", options.ZmqProbeMode ? "probe-connect" : "probe");

        json.WriteStartObject("iface");
        json.WriteString("name", string.Join(',', options.Interfaces));
        json.WriteEndObject();

        json.WriteStartObject("probe");
        json.WriteString("version", version);
        json.WriteString("edition", "Flowhive");
        json.WriteString("osname", Environment.OSVersion.VersionString);
        json.WriteNumber("unique_source_id", options.SourceId);
        json.WriteString("uuid", options.SourceId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        json.WriteString("instance_name", options.InstanceName);
        json.WriteEndObject();

        json.WriteStartObject("avg");
        json.WriteNumber("bps", (long)(bytes * 8 / uptime));
        json.WriteNumber("pps", (long)(packets / uptime));
        json.WriteEndObject();

        json.WriteStartObject("timeout");
        json.WriteNumber("lifetime", (long)options.FlowTable.Lifetime.TotalSeconds);
        json.WriteNumber("idle", (long)options.FlowTable.IdleTimeout.TotalSeconds);
        json.WriteEndObject();

        json.WriteStartObject("drops");
        json.WriteNumber("export_queue_full", Interlocked.Read(ref exported.SendFailures));
        json.WriteNumber("too_many_flows", evictions);
        json.WriteEndObject();

        json.WriteStartObject("zmq");
        json.WriteNumber("num_flow_exports", Interlocked.Read(ref exported.Messages));
        json.WriteNumber("num_exported_flows", Interlocked.Read(ref exported.Flows));
        json.WriteNumber("num_zmq_exporters", options.ZmqEndpoints.Count);
        json.WriteEndObject();

        json.WriteEndObject();
        json.Flush();
        return (int)json.BytesCommitted;
    }
}
