using Akka.Actor;
using Akka.Hosting;
using Flowhive.Collector.Cluster;
using Flowhive.Collector.Ingest;
using Flowhive.Shared.Cluster.Messages;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Flowhive.Collector.Apis;

/// <summary><c>/api/v1/interfaces</c>: the interfaces this node collects and each one's summary and ingest counters.</summary>
public static class InterfacesApi
{
    internal static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(5);

    public static IEndpointRouteBuilder MapInterfacesApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/interfaces", (HttpRequest request, IngestService ingest) =>
            ApiError.UnknownParameters(request) ?? Results.Json(ingest.Interfaces.Select(i => new
            {
                ifid = i.Config.IfId,
                name = i.Config.Name,
                type = i.Config.Kind,
                endpoints = i.Config.Endpoints.Select(e => new { address = e.Address, bind = e.Bind }),
                listen = i.Config.FlowListener?.ToString(),
            })));

        app.MapGet("/api/v1/interfaces/{ifid:int}", async (int ifid, HttpRequest request, IngestService ingest, IRequiredActor<InterfaceRegion> region,
            CancellationToken cancel) =>
        {
            if (ApiError.UnknownParameters(request) is { } bad)
            {
                return bad;
            }

            var iface = ingest.Interfaces.FirstOrDefault(i => i.Config.IfId == ifid);
            if (iface is null)
            {
                return ApiError.NotFound($"no interface {ifid}");
            }

            InterfaceSummary summary;
            try
            {
                summary = await region.ActorRef.Ask<InterfaceSummary>(new GetInterfaceSummary(ifid), AskTimeout, cancel);
            }
            catch (AskTimeoutException)
            {
                return ApiError.Unavailable($"interface {ifid} did not answer within {AskTimeout.TotalSeconds} s");
            }

            var counters = iface.Pipeline.Counters;
            var capture = iface.Capture?.Engine.Snapshot();
            return Results.Json(new
            {
                ifid,
                name = iface.Config.Name,
                type = iface.Config.Kind,
                bytes = summary.Bytes,
                packets = summary.Packets,
                flows_seen = summary.FlowsSeen,
                active_flows = summary.ActiveFlows,
                hosts = summary.Hosts,
                throughput_bps = summary.ThroughputBps,
                throughput_pps = summary.ThroughputPps,
                first_seen = ApiJson.Seconds(summary.FirstSeenUs),
                last_seen = ApiJson.Seconds(summary.LastSeenUs),
                ndpi = ApiJson.L7ByProtocol(summary.L7),
                ndpi_categories = ApiJson.L7ByCategory(summary.L7),
                localstats = ApiJson.LocalStats(summary.Local),
                // ntopng's names (ZMQCollectorInterface::lua); hellos, templates and options are Flowhive's additions.
                zmqRecvStats = new
                {
                    flows = Interlocked.Read(ref counters.Flows),
                    dropped_flows = Interlocked.Read(ref counters.DroppedFlows),
                    events = Interlocked.Read(ref counters.Events),
                    counters = Interlocked.Read(ref counters.Counters),
                    zmq_msg_rcvd = Interlocked.Read(ref counters.MessagesReceived),
                    zmq_msg_drops = Interlocked.Read(ref counters.MessageDrops),
                    zmq_avg_msg_flows = FlowsPerMessage(counters),
                    hellos = Interlocked.Read(ref counters.Hellos),
                    templates = Interlocked.Read(ref counters.Templates),
                    options = Interlocked.Read(ref counters.Options),
                },
                rejected_messages = counters.Rejected,
                dns_names_dropped = Interlocked.Read(ref counters.DnsNamesDropped),
                // Flow deltas sent again after a state node was lost, and those forgotten too early to be (memory full).
                deltas_resent = Interlocked.Read(ref counters.Resent),
                deltas_resend_overflow = Interlocked.Read(ref counters.ResendOverflow),
                received_formats = counters.Formats,
                encryption = iface.Config.IsZmq && ingest.Encryption is { } keys
                    ? new { public_key = keys.PublicKeyHex, public_key_z85 = keys.PublicKeyZ85 }
                    : null,
                probes = counters.Sources.Values.Select(s => new
                {
                    source_id = s.SourceId,
                    messages = s.Messages,
                    flows = Interlocked.Read(ref s.Flows),
                    drops = s.Drops,
                    rollbacks = s.Rollbacks,
                    first_msg_id = s.FirstMsgId,
                    last_msg_id = s.LastMsgId,
                    last_seen = ApiJson.Seconds(s.LastSeenUs),
                }),
                netflowRecvStats = iface.Listener is { } listener ? FlowListenerJson.Stats(listener) : null,
                interface_counters = iface.Subscriber is { } subscriber ? FlowListenerJson.InterfaceCounters(subscriber.InterfaceCounters) : null,
                capture = capture is null ? null : new
                {
                    source = capture.Source,
                    packets = capture.Packets,
                    wire_bytes = capture.WireBytes,
                    kernel_drops = capture.KernelDrops,
                    malformed_packets = capture.MalformedPackets,
                    decode_drops = capture.DecodeDrops,
                    active_flows = capture.ActiveFlows,
                    flows_exported = capture.FlowsExported,
                    table_full_evictions = capture.TableFullEvictions,
                    finished = capture.Finished,
                    progress = capture.Progress,
                    error = capture.Error,
                },
            });
        });
        return app;
    }

    private static double FlowsPerMessage(IngestCounters counters)
    {
        var messages = Interlocked.Read(ref counters.FlowMessages);
        return messages == 0 ? 0 : Math.Round((double)Interlocked.Read(ref counters.Flows) / messages, 1);
    }
}
