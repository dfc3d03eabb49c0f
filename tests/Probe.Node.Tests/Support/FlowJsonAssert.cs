using System.Globalization;
using System.Text.Json;
using Flowhive.Shared.Flows;
using Flowhive.Shared.Net;

namespace Flowhive.Probe.Node.Tests.Support;

/// <summary>Checks one exported JSON flow object against the record it came from, key by nProbe label.</summary>
public static class FlowJsonAssert
{
    private static readonly string[] MetadataKeys = ["L7_PROTO_NAME", "L7_INFO", "TLS_SERVER_NAME", "DNS_QUERY", "HTTP_SITE", "HTTP_URL", "JA4C_HASH"];

    public static void Matches(FlowRecord expected, JsonElement flow)
    {
        Assert.Equal(JsonValueKind.Object, flow.ValueKind);
        var (family, other) = expected.SrcAddr.IsV4 ? ("IPV4", "IPV6") : ("IPV6", "IPV4");
        Assert.Equal(expected.SrcAddr, IpAddr.Parse(flow.GetProperty(family + "_SRC_ADDR").GetString()!));
        Assert.Equal(expected.DstAddr, IpAddr.Parse(flow.GetProperty(family + "_DST_ADDR").GetString()!));
        Assert.False(flow.TryGetProperty(other + "_SRC_ADDR", out _));
        Assert.False(flow.TryGetProperty(other + "_DST_ADDR", out _));

        Assert.Equal(expected.SrcPort, flow.GetProperty("L4_SRC_PORT").GetUInt16());
        Assert.Equal(expected.DstPort, flow.GetProperty("L4_DST_PORT").GetUInt16());
        Assert.Equal(expected.Protocol, flow.GetProperty("PROTOCOL").GetByte());
        Assert.Equal(expected.SrcAddr.IsV4 ? 4 : 6, flow.GetProperty("IP_PROTOCOL_VERSION").GetInt32());
        Assert.Equal(expected.InBytes, flow.GetProperty("IN_BYTES").GetUInt64());
        Assert.Equal(expected.InPkts, flow.GetProperty("IN_PKTS").GetUInt64());
        Assert.Equal(expected.OutBytes, flow.GetProperty("OUT_BYTES").GetUInt64());
        Assert.Equal(expected.OutPkts, flow.GetProperty("OUT_PKTS").GetUInt64());
        Assert.Equal(expected.FirstSwitchedUs / 1_000_000, flow.GetProperty("FIRST_SWITCHED").GetInt64());
        Assert.Equal(expected.LastSwitchedUs / 1_000_000, flow.GetProperty("LAST_SWITCHED").GetInt64());

        if (expected.L7Master != 0 || expected.L7App != 0)
        {
            Assert.Equal(string.Create(CultureInfo.InvariantCulture, $"{expected.L7Master}.{expected.L7App}"), flow.GetProperty("L7_PROTO").GetString());
        }

        if (expected.Vlan != 0)
        {
            Assert.Equal(expected.Vlan, flow.GetProperty("SRC_VLAN").GetUInt16());
        }

        if (expected.Metadata is { } metadata)
        {
            Assert.Equal(metadata.L7ProtoName, flow.GetProperty("L7_PROTO_NAME").GetString());
            Assert.Equal(metadata.L7Info, flow.GetProperty("L7_INFO").GetString());
            Assert.Equal(metadata.TlsServerName, flow.GetProperty("TLS_SERVER_NAME").GetString());
        }
        else
        {
            Assert.DoesNotContain(flow.EnumerateObject(), p => MetadataKeys.Contains(p.Name));
        }
    }
}
