using Flowhive.Shared.Flows;
using Flowhive.Shared.Net;

namespace Flowhive.Probe.Node.Tests.Support;

/// <summary>Distinct, recognisable flow records: record i has its own 5-tuple and counters, and every third one carries metadata.</summary>
public static class SampleFlows
{
    /// <summary>2026-01-01T00:00:00Z in microseconds; every timestamp is a whole millisecond, the TLV wire's resolution.</summary>
    public const long T0 = 1_767_225_600_000_000;

    public static FlowRecord Record(int i)
    {
        var record = new FlowRecord
        {
            SrcAddr = IpAddr.FromV4(0x0A00_0000u + (uint)i),
            DstAddr = i % 5 == 0 ? IpAddr.Parse("2001:db8::" + (i % 0xFFFF).ToString("x", System.Globalization.CultureInfo.InvariantCulture)) : IpAddr.FromV4(0xC633_6400u + (uint)(i % 200)),
            SrcPort = (ushort)(1024 + (i % 60_000)),
            DstPort = (ushort)(i % 3 == 0 ? 443 : 53),
            Protocol = (byte)(i % 3 == 0 ? 6 : 17),
            Vlan = (ushort)(i % 7 == 0 ? 100 : 0),
            SrcMac = 0x0200_0000_0000UL + (ulong)i,
            DstMac = 0x0400_0000_0000UL + (ulong)(i % 200),
            InBytes = 60 + (ulong)i,
            InPkts = 1 + (ulong)(i % 13),
            OutBytes = (ulong)i * 3,
            OutPkts = (ulong)(i % 11),
            FirstSwitchedUs = T0 + (i * 1000L),
            LastSwitchedUs = T0 + (i * 1000L) + 250_000,
            EndReason = (FlowEndReason)(1 + (i % 5)),
            L7Master = (ushort)(i % 3 == 0 ? 91 : 5),
            L7App = (ushort)(i % 4),
        };
        record.IpVersion = (byte)(record.DstAddr.IsV4 ? 4 : 6);
        if (!record.DstAddr.IsV4)
        {
            // Both ends of a flow share a family.
            record.SrcAddr = IpAddr.Parse("2001:db8:1::" + (i % 0xFFFF).ToString("x", System.Globalization.CultureInfo.InvariantCulture));
        }

        if (record.Protocol == 6)
        {
            record.ClientTcpFlags = 0x1B;
            record.ServerTcpFlags = 0x12;
        }

        if (i % 3 == 0)
        {
            record.Metadata = new FlowMetadata
            {
                L7ProtoName = "TLS.Example",
                TlsServerName = $"host{i}.example.org",
                L7Info = $"host{i}.example.org",
            };
        }

        return record;
    }

    public static void AssertSame(FlowRecord expected, FlowRecord actual)
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
        Assert.Equal(expected.L7Master, actual.L7Master);
        Assert.Equal(expected.L7App, actual.L7App);
        Assert.Equal(expected.Metadata?.L7ProtoName, actual.Metadata?.L7ProtoName);
        Assert.Equal(expected.Metadata?.TlsServerName, actual.Metadata?.TlsServerName);
        Assert.Equal(expected.Metadata?.L7Info, actual.Metadata?.L7Info);
    }
}
