using Flowhive.Shared.Flows;
using Flowhive.Shared.Net;

namespace Flowhive.Shared.Messages.Tests.Wire;

/// <summary>Flow records with every field the TLV codec carries set to something recognisable.</summary>
internal static class SampleFlows
{
    /// <summary>2026-11-22T10:00:00.123Z in microseconds; millisecond-aligned so it survives the wire exactly.</summary>
    public const long StartUs = 1_795_341_600_123_000;

    public static FlowRecord Ipv4(int seed = 0) => new()
    {
        SrcAddr = IpAddr.FromV4(0xC0A80100u + (uint)(seed & 0xFF)),
        DstAddr = IpAddr.Parse("172.16.1.254"),
        SrcPort = (ushort)(40000 + (seed % 20000)),
        DstPort = 443,
        Protocol = 6,
        IpVersion = 4,
        Vlan = 100,
        SrcMac = 0x0011_2233_4455UL,
        DstMac = 0xAABB_CCDD_EEFFUL,
        InBytes = 7900 + (ulong)seed,
        InPkts = 12,
        OutBytes = 5_000_000_000, // above 32 bits: a u64 on the wire
        OutPkts = 70_000,
        FirstSwitchedUs = StartUs,
        LastSwitchedUs = StartUs + 2_500_000,
        ClientTcpFlags = 0x1B,
        ServerTcpFlags = 0x12,
        EndReason = FlowEndReason.EndOfFlow,
        Direction = FlowDirection.Egress,
        L7Master = 91,
        L7App = 124,
        RetransmittedInPkts = 3,
        RetransmittedOutPkts = 70_000,
        OutOfOrderInPkts = 1,
        OutOfOrderOutPkts = 2,
        ClientNwLatencyMs = 1.25f,
        ServerNwLatencyMs = 20.5f,
        TunnelId = 4_000_000_001, // Flowhive's own fields, under its enterprise number
        L7Category = 20,
    };

    public static FlowRecord Ipv6(int seed = 0)
    {
        var record = Ipv4(seed);
        record.SrcAddr = IpAddr.Parse("2001:db8::" + (seed & 0xFFFF).ToString("x", System.Globalization.CultureInfo.InvariantCulture));
        record.DstAddr = IpAddr.Parse("2a00:1450:4001:80b::200e");
        record.IpVersion = 6;
        record.Protocol = 17;
        record.ClientTcpFlags = 0;
        record.ServerTcpFlags = 0;
        record.L7Master = 0;
        record.L7App = 7;
        return record;
    }

    public static FlowMetadata Metadata() => new()
    {
        L7ProtoName = "TLS.YouTube",
        L7Info = "www.youtube.com",
        DnsQuery = "www.youtube.com",
        HttpSite = "www.example.org",
        HttpUrl = "/watch?v=dQw4w9WgXcQ&t=42",
        HttpMethod = "GET",
        HttpReturnCode = 200,
        HttpUserAgent = "Mozilla/5.0 (X11; Linux x86_64) — ünïcödé ✓",
        TlsServerName = "rr3---sn-4g5e6nz7.googlevideo.com",
        Ja4Client = "t13d1516h2_8daaf6152771_02713d6af862",
    };

    public static FlowRecord WithMetadata(FlowRecord record)
    {
        record.Metadata = Metadata();
        return record;
    }

    /// <summary>Field-by-field comparison with readable failures (FlowRecord has no equality of its own).</summary>
    public static void AssertEqual(FlowRecord expected, FlowRecord actual)
    {
        Assert.Equal(expected.SrcAddr, actual.SrcAddr);
        Assert.Equal(expected.DstAddr, actual.DstAddr);
        Assert.Equal(expected.SrcPort, actual.SrcPort);
        Assert.Equal(expected.DstPort, actual.DstPort);
        Assert.Equal(expected.Protocol, actual.Protocol);
        Assert.Equal(expected.IpVersion, actual.IpVersion);
        Assert.Equal(expected.Vlan, actual.Vlan);
        Assert.Equal(expected.SrcMac, actual.SrcMac);
        Assert.Equal(expected.DstMac, actual.DstMac);
        Assert.Equal(expected.InBytes, actual.InBytes);
        Assert.Equal(expected.InPkts, actual.InPkts);
        Assert.Equal(expected.OutBytes, actual.OutBytes);
        Assert.Equal(expected.OutPkts, actual.OutPkts);
        Assert.Equal(expected.FirstSwitchedUs, actual.FirstSwitchedUs);
        Assert.Equal(expected.LastSwitchedUs, actual.LastSwitchedUs);
        Assert.Equal(expected.ClientTcpFlags, actual.ClientTcpFlags);
        Assert.Equal(expected.ServerTcpFlags, actual.ServerTcpFlags);
        Assert.Equal(expected.EndReason, actual.EndReason);
        Assert.Equal(expected.Direction, actual.Direction);
        Assert.Equal(expected.L7Master, actual.L7Master);
        Assert.Equal(expected.L7App, actual.L7App);
        Assert.Equal(expected.RetransmittedInPkts, actual.RetransmittedInPkts);
        Assert.Equal(expected.RetransmittedOutPkts, actual.RetransmittedOutPkts);
        Assert.Equal(expected.OutOfOrderInPkts, actual.OutOfOrderInPkts);
        Assert.Equal(expected.OutOfOrderOutPkts, actual.OutOfOrderOutPkts);
        Assert.Equal(expected.ClientNwLatencyMs, actual.ClientNwLatencyMs);
        Assert.Equal(expected.ServerNwLatencyMs, actual.ServerNwLatencyMs);
        Assert.Equal(expected.TunnelId, actual.TunnelId);
        Assert.Equal(expected.L7Category, actual.L7Category);
        if (expected.Metadata is null)
        {
            Assert.Null(actual.Metadata);
            return;
        }

        Assert.NotNull(actual.Metadata);
        Assert.Equal(expected.Metadata.L7ProtoName, actual.Metadata.L7ProtoName);
        Assert.Equal(expected.Metadata.L7Info, actual.Metadata.L7Info);
        Assert.Equal(expected.Metadata.DnsQuery, actual.Metadata.DnsQuery);
        Assert.Equal(expected.Metadata.HttpSite, actual.Metadata.HttpSite);
        Assert.Equal(expected.Metadata.HttpUrl, actual.Metadata.HttpUrl);
        Assert.Equal(expected.Metadata.HttpMethod, actual.Metadata.HttpMethod);
        Assert.Equal(expected.Metadata.HttpReturnCode, actual.Metadata.HttpReturnCode);
        Assert.Equal(expected.Metadata.HttpUserAgent, actual.Metadata.HttpUserAgent);
        Assert.Equal(expected.Metadata.TlsServerName, actual.Metadata.TlsServerName);
        Assert.Equal(expected.Metadata.Ja4Client, actual.Metadata.Ja4Client);
    }
}
