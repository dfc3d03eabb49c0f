using System.Globalization;
using Flowhive.Shared.Cluster.Messages;

namespace Flowhive.Collector.Apis;

/// <summary>
/// A host's <see cref="HostProfile"/> in ntopng's host JSON keys: "name" and "names", "active_flows.as_client",
/// "dns", "http", "ja4_fingerprint", "hassh_fingerprint", "contacts.as_client", "used_ports", "sites" and
/// "sites.old". Flowhive's additions are named in the same style ("tls", the "other" counts of bounded lists).
/// ntopng sends "sites" as a JSON text; here it is an object.
/// </summary>
public static class HostProfileJson
{
    /// <param name="address">The host's address: its "name" when it has no other, as ntopng shows a host it cannot name.</param>
    public static void AddTo(Dictionary<string, object?> map, HostProfile p, string address)
    {
        map["name"] = p.Names.Best ?? address;
        map["names"] = Names(p.Names);
        map["active_flows.as_client"] = p.ActiveFlowsAsClient;
        map["active_flows.as_server"] = p.ActiveFlowsAsServer;
        map["dns"] = new Dictionary<string, object>
        {
            // As a client a host sends queries and receives replies; as a server the other way round.
            ["sent"] = Dns(p.Apps.DnsAsClient, p.Apps.DnsAsServer),
            ["rcvd"] = Dns(p.Apps.DnsAsServer, p.Apps.DnsAsClient),
        };
        map["http"] = new Dictionary<string, object>
        {
            ["sender"] = Http(p.Apps.HttpAsClient, p.Apps.HttpAsServer),
            ["receiver"] = Http(p.Apps.HttpAsServer, p.Apps.HttpAsClient),
        };
        map["tls"] = new Dictionary<string, long> { ["sni_flows.as_client"] = p.Apps.SniFlowsAsClient, ["sni_flows.as_server"] = p.Apps.SniFlowsAsServer };
        map["ja4_fingerprint"] = Fingerprints(p.Ja4);
        map["ja4_fingerprint.other_uses"] = p.Ja4.Other;
        map["hassh_fingerprint"] = Fingerprints(p.Hassh);
        map["hassh_fingerprint.other_uses"] = p.Hassh.Other;
        map["contacts.as_client"] = p.PeersAsClient.Estimate();
        map["contacts.as_server"] = p.PeersAsServer.Estimate();
        map["used_ports"] = new Dictionary<string, object>
        {
            ["local_server_ports"] = Ports(p.ServedPorts),
            ["remote_contacted_ports"] = Ports(p.ContactedPorts),
            ["local_server_ports.other_flows"] = p.ServedPorts.Other,
            ["remote_contacted_ports.other_flows"] = p.ContactedPorts.Other,
        };
        map["sites"] = Counts(p.Sites);
        map["sites.old"] = Counts(p.SitesOld);
        map["sites.other"] = p.Sites.Other;
    }

    private static Dictionary<string, string> Names(HostNames n)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        Put(names, "resolved", n.Resolved);
        Put(names, "dhcp", n.Dhcp);
        Put(names, "mdns", n.Mdns);
        Put(names, "netbios", n.Netbios);
        Put(names, "tls", n.Tls);
        Put(names, "http", n.Http);
        return names;

        static void Put(Dictionary<string, string> names, string source, string? name)
        {
            if (name is not null)
            {
                names[source] = name;
            }
        }
    }

    /// <summary>ntopng's DnsStats side: the queries of <paramref name="queries"/>, and the replies that went the same way (<paramref name="replies"/>'s).</summary>
    private static Dictionary<string, object> Dns(DnsCounters queries, DnsCounters replies) => new()
    {
        ["num_queries"] = queries.Queries,
        ["num_replies_ok"] = replies.RepliesOk,
        ["num_replies_error"] = replies.RepliesError,
        ["queries"] = new Dictionary<string, long> { ["num_a"] = queries.QueriesA, ["num_aaaa"] = queries.QueriesAaaa, ["num_other"] = queries.QueriesOther },
    };

    /// <summary>ntopng's HTTPstats side: the requests of <paramref name="requests"/>, the responses of <paramref name="responses"/>.</summary>
    private static Dictionary<string, object> Http(HttpCounters requests, HttpCounters responses) => new()
    {
        ["query"] = new Dictionary<string, long>
        {
            ["total"] = requests.Requests,
            ["num_get"] = requests.Get,
            ["num_post"] = requests.Post,
            ["num_head"] = requests.Head,
            ["num_put"] = requests.Put,
            ["num_other"] = requests.OtherMethod,
        },
        ["response"] = new Dictionary<string, long>
        {
            ["total"] = responses.Responses,
            ["num_1xx"] = responses.Status1xx,
            ["num_2xx"] = responses.Status2xx,
            ["num_3xx"] = responses.Status3xx,
            ["num_4xx"] = responses.Status4xx,
            ["num_5xx"] = responses.Status5xx,
        },
    };

    private static Dictionary<string, object> Fingerprints(TopCounts<string> top) =>
        top.Items.ToDictionary(c => c.Key, c => (object)new Dictionary<string, long> { ["num_uses"] = c.Count }, StringComparer.Ordinal);

    private static Dictionary<string, long> Counts(TopCounts<string> top) => top.Items.ToDictionary(c => c.Key, c => c.Count, StringComparer.Ordinal);

    /// <summary>"tcp:443" to the flows that used the port.</summary>
    private static Dictionary<string, long> Ports(TopCounts<uint> top) => top.Items.ToDictionary(
        c => string.Create(CultureInfo.InvariantCulture, $"{ApiJson.L4Name((byte)(c.Key >> 16)).ToLowerInvariant()}:{(ushort)c.Key}"),
        c => c.Count,
        StringComparer.Ordinal);
}
