using System.Buffers.Binary;
using Flowhive.Shared.Flows;
using Flowhive.Shared.Net;

namespace Flowhive.Shared.Wire.SFlow;

/// <summary>
/// Reads the first bytes of a sampled packet (an sFlow raw packet header record) into the fields of a flow:
/// Ethernet with up to two VLAN tags, IPv4 or IPv6 (skipping the common IPv6 extension headers), TCP/UDP ports
/// and TCP flags. The header is cut wherever the agent chose: whatever is missing stays 0; no addresses, no flow.
/// </summary>
internal static class SFlowSampledHeader
{
    public const uint Ethernet = 1;
    public const uint Ipv4 = 11;
    public const uint Ipv6 = 12;

    /// <summary>Fills addresses, ports, protocol, flags, VLAN and MACs; returns the offset of the IP header, or -1 when there is no readable IP header.</summary>
    public static int TryRead(uint protocol, ReadOnlySpan<byte> header, ref FlowRecord record)
    {
        var offset = 0;
        ushort etherType;
        switch (protocol)
        {
            case Ethernet:
                if (header.Length < 14)
                {
                    return -1;
                }

                record.DstMac = ReadMac(header);
                record.SrcMac = ReadMac(header[6..]);
                etherType = BinaryPrimitives.ReadUInt16BigEndian(header[12..]);
                offset = 14;
                for (var tags = 0; tags < 2 && etherType is 0x8100 or 0x88A8; tags++)
                {
                    if (header.Length < offset + 4)
                    {
                        return -1;
                    }

                    record.Vlan = (ushort)(BinaryPrimitives.ReadUInt16BigEndian(header[offset..]) & 0x0FFF);
                    etherType = BinaryPrimitives.ReadUInt16BigEndian(header[(offset + 2)..]);
                    offset += 4;
                }

                break;
            case Ipv4:
                etherType = 0x0800;
                break;
            case Ipv6:
                etherType = 0x86DD;
                break;
            default:
                return -1;
        }

        var ip = header[offset..];
        int transport;
        bool firstFragment;
        if (etherType == 0x0800)
        {
            if (ip.Length < 20 || ip[0] >> 4 != 4)
            {
                return -1;
            }

            record.IpVersion = 4;
            record.Protocol = ip[9];
            record.SrcAddr = IpAddr.FromV4Bytes(ip[12..]);
            record.DstAddr = IpAddr.FromV4Bytes(ip[16..]);
            transport = (ip[0] & 0x0F) * 4;
            firstFragment = (BinaryPrimitives.ReadUInt16BigEndian(ip[6..]) & 0x1FFF) == 0;
        }
        else if (etherType == 0x86DD)
        {
            if (ip.Length < 40 || ip[0] >> 4 != 6)
            {
                return -1;
            }

            record.IpVersion = 6;
            record.SrcAddr = IpAddr.FromV6Bytes(ip[8..]);
            record.DstAddr = IpAddr.FromV6Bytes(ip[24..]);
            var next = ip[6];
            transport = 40;
            firstFragment = true;

            // Hop-by-hop, routing, destination options and fragment headers sit between IPv6 and TCP/UDP.
            for (var hops = 0; hops < 8 && next is 0 or 43 or 60 or 44 && ip.Length >= transport + 8; hops++)
            {
                if (next == 44)
                {
                    firstFragment = (BinaryPrimitives.ReadUInt16BigEndian(ip[(transport + 2)..]) & 0xFFF8) == 0;
                    next = ip[transport];
                    transport += 8;
                }
                else
                {
                    var length = (ip[transport + 1] + 1) * 8;
                    next = ip[transport];
                    transport += length;
                }
            }

            record.Protocol = next;
        }
        else
        {
            return -1;
        }

        if (firstFragment && transport >= 20 && ip.Length >= transport + 4)
        {
            var l4 = ip[transport..];
            switch (record.Protocol)
            {
                case 6 or 17 or 132:
                    record.SrcPort = BinaryPrimitives.ReadUInt16BigEndian(l4);
                    record.DstPort = BinaryPrimitives.ReadUInt16BigEndian(l4[2..]);
                    if (record.Protocol == 6 && l4.Length >= 14)
                    {
                        record.ClientTcpFlags = l4[13];
                    }

                    break;
                case 1 or 58:
                    // ICMP type and code in the destination port, as NetFlow exporters and nfdump show them.
                    record.DstPort = (ushort)((l4[0] << 8) | l4[1]);
                    break;
            }
        }

        return offset;
    }

    private static ulong ReadMac(ReadOnlySpan<byte> six) =>
        ((ulong)BinaryPrimitives.ReadUInt16BigEndian(six) << 32) | BinaryPrimitives.ReadUInt32BigEndian(six[2..]);
}
