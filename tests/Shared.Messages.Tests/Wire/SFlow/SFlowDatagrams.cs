using Flowhive.Shared.Messages.Tests.Wire.NetFlow;

namespace Flowhive.Shared.Messages.Tests.Wire.SFlow;

/// <summary>
/// sFlow v5 datagrams written field by field from sflow.org's sflow_version_5.txt (XDR: big-endian 32-bit words,
/// opaque data padded to 4 bytes), for golden and fuzz tests.
/// </summary>
internal static class SFlowDatagrams
{
    public const uint SamplingRate = 256;

    /// <summary>An Ethernet frame with an 802.1Q tag (VLAN 42) carrying IPv4 TCP 10.0.0.1:40000 → 192.0.2.80:443, SYN|ACK, 1000 bytes on the wire.</summary>
    public static byte[] TcpFrameHeader()
    {
        var b = new DatagramBuilder();
        b.Bytes(0x00, 0x11, 0x22, 0x33, 0x44, 0x55).Bytes(0x66, 0x77, 0x88, 0x99, 0xAA, 0xBB).U16(0x8100).U16(42).U16(0x0800);
        b.U8(0x45).U8(0).U16(978).U16(0).U16(0x4000).U8(64).U8(6).U16(0).U32(0x0A000001).U32(0xC0000250);
        b.U16(40000).U16(443).U32(1).U32(2).U8(0x50).U8(0x12).U16(65535).U16(0).U16(0);
        return b.ToArray();
    }

    /// <summary>An IPv6 UDP packet header (raw IPv6, header protocol 12): 2001:db8::1:5353 → 2001:db8::2:53.</summary>
    public static byte[] Ipv6UdpHeader()
    {
        var b = new DatagramBuilder();
        b.U32(0x6000_0000).U16(20).U8(17).U8(64);
        b.U32(0x2001_0DB8).U32(0).U32(0).U32(1).U32(0x2001_0DB8).U32(0).U32(0).U32(2);
        b.U16(5353).U16(53).U16(20).U16(0);
        return b.ToArray();
    }

    /// <summary>The IPv4 agent address of <see cref="Header"/>: 192.0.2.1.</summary>
    public const uint AgentV4 = 0xC0000201;

    public static DatagramBuilder Header(int samples, bool ipv6Agent = false)
    {
        var b = new DatagramBuilder().U32(5);
        if (ipv6Agent)
        {
            b.U32(2).U32(0x2001_0DB8).U32(0).U32(0).U32(0x99);
        }
        else
        {
            b.U32(1).U32(AgentV4);
        }

        return b.U32(0).U32(17).U32(3_600_000).U32((uint)samples); // sub-agent, sequence, uptime, samples
    }

    /// <summary>A compact (format 1) or expanded (format 3) flow sample holding one raw packet header record.</summary>
    public static DatagramBuilder FlowSample(DatagramBuilder b, byte[] header, uint frameLength, uint headerProtocol = 1, bool expanded = false, uint rate = SamplingRate)
    {
        var padded = (header.Length + 3) / 4 * 4;
        var record = 16 + padded;
        var sample = (expanded ? 44 : 32) + 8 + record;
        b.U32(expanded ? 3u : 1u).U32((uint)sample);
        b.U32(1); // sequence
        if (expanded)
        {
            b.U32(0).U32(7);
        }
        else
        {
            b.U32(7);
        }

        b.U32(rate).U32(rate * 10).U32(0); // rate, pool, drops
        if (expanded)
        {
            b.U32(0).U32(1).U32(0).U32(2);
        }
        else
        {
            b.U32(1).U32(2);
        }

        b.U32(1); // one record
        b.U32(1).U32((uint)record).U32(headerProtocol).U32(frameLength).U32(4).U32((uint)header.Length).Bytes(header);
        return b.Bytes(new byte[padded - header.Length]);
    }

    /// <summary>A counter sample (format 2) with one generic interface counters record (format 1, 88 bytes).</summary>
    public static DatagramBuilder CounterSample(DatagramBuilder b, uint ifIndex, ulong inOctets, ulong outOctets)
    {
        b.U32(2).U32(12 + 8 + 88).U32(1).U32(ifIndex).U32(1);
        b.U32(1).U32(88);
        b.U32(ifIndex).U32(6).U64(10_000_000_000).U32(1).U32(3);
        b.U64(inOctets).U32(1000).U32(20).U32(5).U32(1).U32(2).U32(0);
        b.U64(outOctets).U32(900).U32(10).U32(4).U32(3).U32(4).U32(0);
        return b;
    }
}
