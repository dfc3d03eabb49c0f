using System.Buffers.Binary;
using System.Text.Unicode;
using Flowhive.Shared.Flows;

namespace Flowhive.Shared.Wire.NetFlow;

/// <summary>Writes one information element's value for one exported record. Allocates nothing.</summary>
internal static class ElementWriter
{
    /// <summary>Encodes <paramref name="element"/> at the start of <paramref name="destination"/>; returns the bytes written.</summary>
    public static int Write(InformationElement element, bool variableLength, scoped in DirectionalFlow flow, in EncodeState state, Span<byte> destination)
    {
        switch (element.Type)
        {
            case ElementType.Ipv4Address:
                BinaryPrimitives.WriteUInt32BigEndian(destination, Ipv4(element.Source, flow, state));
                return 4;
            case ElementType.Ipv6Address:
                var address = element.Source switch
                {
                    ElementSource.SrcAddr => flow.SrcAddr,
                    ElementSource.DstAddr => flow.DstAddr,
                    _ => default,
                };
                address.WriteV6Bytes(destination);
                return 16;
            case ElementType.MacAddress:
                var mac = element.Source switch
                {
                    ElementSource.SrcMac => flow.SrcMac,
                    ElementSource.DstMac => flow.DstMac,
                    _ => 0UL,
                };
                WriteUnsigned(destination[..6], mac);
                return 6;
            case ElementType.Float32:
                BinaryPrimitives.WriteSingleBigEndian(destination, element.Source switch
                {
                    ElementSource.ClientNwLatency => flow.Record.ClientNwLatencyMs,
                    ElementSource.ServerNwLatency => flow.Record.ServerNwLatencyMs,
                    _ => 0f,
                });
                return 4;
            case ElementType.Text:
                return WriteText(Text(element.Source, flow, state), element.Length, variableLength, destination);
            default:
                WriteUnsigned(destination[..element.Length], Unsigned(element.Source, flow, state));
                return element.Length;
        }
    }

    /// <summary>Big-endian, saturating: a value too wide for its field is sent as the field's maximum, never wrapped.</summary>
    public static void WriteUnsigned(Span<byte> destination, ulong value)
    {
        var capacity = TemplateLayout.Capacity(destination.Length);
        if (value > capacity)
        {
            value = capacity;
        }

        for (var i = destination.Length - 1; i >= 0; i--)
        {
            destination[i] = (byte)value;
            value >>= 8;
        }
    }

    private static ulong Unsigned(ElementSource source, scoped in DirectionalFlow flow, in EncodeState state)
    {
        ref readonly var r = ref flow.Record;
        return source switch
        {
            ElementSource.Bytes => flow.Bytes,
            ElementSource.Packets => flow.Packets,
            ElementSource.ReverseBytes => flow.ReverseBytes,
            ElementSource.ReversePackets => flow.ReversePackets,
            ElementSource.SrcPort => flow.SrcPort,
            ElementSource.DstPort => flow.DstPort,
            ElementSource.Protocol => r.Protocol,
            ElementSource.IpVersion => (ulong)flow.Family,
            ElementSource.TcpFlags => flow.TcpFlags,
            ElementSource.ClientTcpFlags => r.ClientTcpFlags,
            ElementSource.ServerTcpFlags => r.ServerTcpFlags,
            ElementSource.Vlan => r.Vlan,
            ElementSource.Direction => flow.Direction == FlowDirection.Reverse ? 1UL : 0UL,
            ElementSource.EndReason => (ulong)r.EndReason,
            ElementSource.FirstSwitchedUptime => state.Clock?.Uptime(flow.FirstMs) ?? 0,
            ElementSource.LastSwitchedUptime => state.Clock?.Uptime(flow.LastMs) ?? 0,
            ElementSource.FlowStartSeconds => (ulong)(flow.FirstMs / 1000),
            ElementSource.FlowEndSeconds => (ulong)(flow.LastMs / 1000),
            ElementSource.FlowStartMilliseconds => (ulong)flow.FirstMs,
            ElementSource.FlowEndMilliseconds => (ulong)flow.LastMs,
            ElementSource.FlowDurationMilliseconds => (ulong)(flow.LastMs - flow.FirstMs),
            ElementSource.SystemInitMilliseconds => state.Clock is { IsSet: true } clock ? (ulong)Math.Max(clock.BootMs, 0) : 0,
            ElementSource.L7Proto => r.L7App != 0 ? r.L7App : r.L7Master,
            ElementSource.HttpReturnCode => r.Metadata?.HttpReturnCode ?? 0,
            ElementSource.RetransmittedPackets => flow.RetransmittedPackets,
            ElementSource.ReverseRetransmittedPackets => flow.ReverseRetransmittedPackets,
            ElementSource.OutOfOrderPackets => flow.OutOfOrderPackets,
            ElementSource.ReverseOutOfOrderPackets => flow.ReverseOutOfOrderPackets,
            ElementSource.TunnelId => r.TunnelId,
            ElementSource.SamplingInterval => 1,
            ElementSource.TotalFlowsExported => (ulong)state.RecordsExported,
            ElementSource.UniqueSourceId => state.Options.SourceId,
            _ => 0,
        };
    }

    private static uint Ipv4(ElementSource source, scoped in DirectionalFlow flow, in EncodeState state) => source switch
    {
        ElementSource.SrcAddr => flow.SrcAddr.IsV4 ? flow.SrcAddr.V4 : 0,
        ElementSource.DstAddr => flow.DstAddr.IsV4 ? flow.DstAddr.V4 : 0,
        ElementSource.ExporterIpv4 => state.Options.ExporterIpv4,
        _ => 0,
    };

    private static string? Text(ElementSource source, scoped in DirectionalFlow flow, in EncodeState state)
    {
        var metadata = flow.Record.Metadata;
        return source switch
        {
            ElementSource.InstanceName => state.Options.InstanceName,
            ElementSource.L7ProtoName => metadata?.L7ProtoName,
            ElementSource.L7Info => metadata?.L7Info,
            ElementSource.DnsQuery => metadata?.DnsQuery,
            ElementSource.HttpSite => metadata?.HttpSite,
            ElementSource.HttpUrl => metadata?.HttpUrl,
            ElementSource.HttpMethod => metadata?.HttpMethod,
            ElementSource.HttpUserAgent => metadata?.HttpUserAgent,
            ElementSource.TlsServerName => metadata?.TlsServerName,
            ElementSource.Ja4Client => metadata?.Ja4Client,
            _ => null,
        };
    }

    /// <summary>
    /// UTF-8, cut at a character boundary to at most <paramref name="maxBytes"/>. Fixed length (NetFlow v9):
    /// zero-padded to exactly <paramref name="maxBytes"/>. Variable length (IPFIX, RFC 7011 §7): a one-byte
    /// length, or 255 and a two-byte length from 255 bytes on.
    /// </summary>
    private static int WriteText(string? text, int maxBytes, bool variableLength, Span<byte> destination)
    {
        if (!variableLength)
        {
            var field = destination[..maxBytes];
            var used = Encode(text, field);
            field[used..].Clear();
            return maxBytes;
        }

        var written = Encode(text, destination.Slice(3, maxBytes));
        if (written < 255)
        {
            destination[0] = (byte)written;
            destination.Slice(3, written).CopyTo(destination[1..]);
            return 1 + written;
        }

        destination[0] = 255;
        BinaryPrimitives.WriteUInt16BigEndian(destination[1..], (ushort)written);
        return 3 + written;
    }

    private static int Encode(string? text, Span<byte> destination)
    {
        if (string.IsNullOrEmpty(text))
        {
            return 0;
        }

        // Stops before a character that would not fit whole, so a cut never leaves half a UTF-8 sequence.
        Utf8.FromUtf16(text, destination, out _, out var written, replaceInvalidSequences: true, isFinalBlock: true);
        return written;
    }
}

