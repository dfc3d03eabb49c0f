using System.Text.Json;
using Flowhive.Collector.Apis;
using Flowhive.Shared.Cluster;
using Flowhive.Shared.Cluster.Messages;
using Flowhive.Shared.Net;

namespace Flowhive.Collector.Node.Tests.Apis;

/// <summary>The host details JSON as the API writes it (ASP.NET Core's web defaults), read back by key path.</summary>
public sealed class HostProfileJsonTests
{
    private static readonly HostKey Key = new(0, 0, IpAddr.Parse("192.168.1.10"));

    private static JsonElement Json(HostProfile? profile)
    {
        var details = new HostDetails(Key, 0, new HostCounters(1, 2, 3, 4, 5, 6), 1_000_000, 2_000_000, true, [], profile);
        var text = JsonSerializer.Serialize(ApiJson.HostDetails(details, NetworkList.Empty), new JsonSerializerOptions(JsonSerializerDefaults.Web));
        return JsonDocument.Parse(text).RootElement;
    }

    private static JsonElement At(JsonElement e, params string[] path) => path.Aggregate(e, (x, key) => x.GetProperty(key));

    [Fact]
    public void A_profile_answers_in_ntopngs_keys()
    {
        var registers = new byte[PeerSketch.Registers];
        PeerSketch.Add(registers, IpAddr.Parse("203.0.113.1"));
        PeerSketch.Add(registers, IpAddr.Parse("203.0.113.2"));
        var profile = HostProfile.Empty with
        {
            Names = new HostNames("host.example.com", "laptop", null, null, null, null),
            ActiveFlowsAsClient = 2,
            Apps = new ApplicationCounters(new DnsCounters(3, 1, 1, 4, 1), new DnsCounters(0, 0, 2, 2, 0), new HttpCounters(2, 1, 0, 0, 0, 0, 2, 0, 1, 0), default, 0, 0),
            Ja4 = new TopCounts<string>([new("t13d1516h2_8daaf6152771_02713d6af862", 7)], 2),
            PeersAsClient = new PeerSketch(registers),
            ContactedPorts = new TopCounts<uint>([new(HostProfile.PortKey(6, 443), 5), new(HostProfile.PortKey(17, 53), 4)], 1),
            Sites = new TopCounts<string>([new("www.example.com", 3)], 0),
            SitesOld = new TopCounts<string>([new("old.example.com", 1)], 0),
        };

        var json = Json(profile);

        Assert.Equal("host.example.com", At(json, "name").GetString());
        Assert.Equal("laptop", At(json, "names", "dhcp").GetString());
        Assert.Equal(5, At(json, "flows.as_client").GetInt64());
        Assert.Equal(2, At(json, "active_flows.as_client").GetInt32());
        Assert.Equal(5, At(json, "dns", "sent", "num_queries").GetInt64());
        Assert.Equal(3, At(json, "dns", "sent", "queries", "num_a").GetInt64());
        Assert.Equal(4, At(json, "dns", "rcvd", "num_replies_ok").GetInt64()); // replies the client received
        Assert.Equal(1, At(json, "dns", "rcvd", "num_replies_error").GetInt64());
        Assert.Equal(2, At(json, "dns", "rcvd", "num_queries").GetInt64()); // queries it answered as a server
        Assert.Equal(2, At(json, "dns", "sent", "num_replies_ok").GetInt64());
        Assert.Equal(3, At(json, "http", "sender", "query", "total").GetInt64());
        Assert.Equal(2, At(json, "http", "receiver", "response", "num_2xx").GetInt64());
        Assert.Equal(7, At(json, "ja4_fingerprint", "t13d1516h2_8daaf6152771_02713d6af862", "num_uses").GetInt64());
        Assert.Equal(2, At(json, "ja4_fingerprint.other_uses").GetInt64());
        Assert.Equal(2, At(json, "contacts.as_client").GetInt64());
        Assert.Equal(5, At(json, "used_ports", "remote_contacted_ports", "tcp:443").GetInt64());
        Assert.Equal(4, At(json, "used_ports", "remote_contacted_ports", "udp:53").GetInt64());
        Assert.Equal(1, At(json, "used_ports", "remote_contacted_ports.other_flows").GetInt64());
        Assert.Equal(3, At(json, "sites", "www.example.com").GetInt64());
        Assert.Equal(1, At(json, "sites.old", "old.example.com").GetInt64());
    }

    [Fact]
    public void A_host_without_a_profile_answers_empty_names_and_zero_counts()
    {
        var json = Json(null);

        Assert.Equal("192.168.1.10", At(json, "name").GetString()); // as ntopng names a host it cannot name
        Assert.Empty(At(json, "names").EnumerateObject());
        Assert.Equal(0, At(json, "dns", "sent", "num_queries").GetInt64());
        Assert.Equal(0, At(json, "contacts.as_server").GetInt64());
        Assert.Empty(At(json, "sites").EnumerateObject());
    }
}
