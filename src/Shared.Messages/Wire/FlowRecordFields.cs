using System.Globalization;
using Flowhive.Shared.Flows;

namespace Flowhive.Shared.Wire;

/// <summary>
/// Which nProbe fields a <see cref="FlowRecord"/> becomes and in what form, shared by the TLV and JSON
/// encoders so both send the same thing. Generic over the sink so the TLV path stays allocation-free.
/// </summary>
internal static class FlowRecordFields
{
    /// <summary>Longest short text written: an IPv6 address.</summary>
    private const int ScratchLength = IpAddressText.MaxLength;

    public static void Write<TSink>(ref TSink sink, in FlowRecord record, in FlowExporterIdentity identity)
        where TSink : IFlowFieldSink, allows ref struct
    {
        Span<byte> text = stackalloc byte[ScratchLength];

        if (record.SrcMac != 0)
        {
            sink.WriteUtf8(NtopFieldId.InSrcMac, text[..MacAddressText.Format(record.SrcMac, text)]);
        }

        if (record.DstMac != 0)
        {
            sink.WriteUtf8(NtopFieldId.OutDstMac, text[..MacAddressText.Format(record.DstMac, text)]);
        }

        if (record.Vlan != 0)
        {
            sink.WriteUInt(NtopFieldId.SrcVlan, record.Vlan);
        }

        // Addresses as text, which ntopng prefers; the family of each address picks the IPv4 or IPv6 field.
        sink.WriteUtf8(
            record.SrcAddr.IsV4 ? NtopFieldId.Ipv4SrcAddr : NtopFieldId.Ipv6SrcAddr,
            text[..IpAddressText.Format(record.SrcAddr, text)]);
        sink.WriteUtf8(
            record.DstAddr.IsV4 ? NtopFieldId.Ipv4DstAddr : NtopFieldId.Ipv6DstAddr,
            text[..IpAddressText.Format(record.DstAddr, text)]);

        // Ports as integers: ntopng's string path skips the byte swap its integer path does.
        sink.WriteUInt(NtopFieldId.L4SrcPort, record.SrcPort);
        sink.WriteUInt(NtopFieldId.L4DstPort, record.DstPort);
        var ipVersion = record.IpVersion != 0 ? record.IpVersion : (byte)(record.SrcAddr.IsV4 ? 4 : 6);
        sink.WriteUInt(NtopFieldId.IpProtocolVersion, ipVersion);
        sink.WriteUInt(NtopFieldId.Protocol, record.Protocol);

        if (record.L7Master != 0 || record.L7App != 0)
        {
            sink.WriteUtf8(NtopFieldId.L7Proto, text[..FormatL7(record.L7Master, record.L7App, text)]);
        }

        // ntopng's template check expects the counters and both timestamps even when they are zero.
        sink.WriteUInt(NtopFieldId.InBytes, record.InBytes);
        sink.WriteUInt(NtopFieldId.InPkts, record.InPkts);
        sink.WriteUInt(NtopFieldId.OutBytes, record.OutBytes);
        sink.WriteUInt(NtopFieldId.OutPkts, record.OutPkts);

        var firstUs = (ulong)Math.Max(record.FirstSwitchedUs, 0);
        var lastUs = (ulong)Math.Max(record.LastSwitchedUs, 0);
        sink.WriteUInt(NtopFieldId.FirstSwitched, firstUs / 1_000_000);
        sink.WriteUInt(NtopFieldId.LastSwitched, lastUs / 1_000_000);
        sink.WriteUInt(NtopFieldId.FlowStartMilliseconds, firstUs / 1000);
        sink.WriteUInt(NtopFieldId.FlowEndMilliseconds, lastUs / 1000);

        WriteNonZero(ref sink, NtopFieldId.ClientTcpFlags, record.ClientTcpFlags);
        WriteNonZero(ref sink, NtopFieldId.ServerTcpFlags, record.ServerTcpFlags);
        WriteNonZero(ref sink, NtopFieldId.TcpFlags, (uint)(record.ClientTcpFlags | record.ServerTcpFlags));

        if (record.ClientNwLatencyMs != 0)
        {
            sink.WriteFloat(NtopFieldId.ClientNwLatencyMs, record.ClientNwLatencyMs);
        }

        if (record.ServerNwLatencyMs != 0)
        {
            sink.WriteFloat(NtopFieldId.ServerNwLatencyMs, record.ServerNwLatencyMs);
        }

        WriteNonZero(ref sink, NtopFieldId.RetransmittedInPkts, record.RetransmittedInPkts);
        WriteNonZero(ref sink, NtopFieldId.RetransmittedOutPkts, record.RetransmittedOutPkts);
        WriteNonZero(ref sink, NtopFieldId.OoorderInPkts, record.OutOfOrderInPkts);
        WriteNonZero(ref sink, NtopFieldId.OoorderOutPkts, record.OutOfOrderOutPkts);
        WriteNonZero(ref sink, NtopFieldId.FlowEndReason, (uint)record.EndReason);
        if (FlowDirections.ToWire(record.Direction) is { } direction)
        {
            sink.WriteUInt(NtopFieldId.Direction, direction);
        }

        // A collected flow names the router that exported it; a captured one the probe itself, as nProbe does.
        var exporter = record.ExporterIpv4 != 0 ? record.ExporterIpv4 : identity.ProbeIpv4;
        if (exporter != 0)
        {
            sink.WriteUtf8(NtopFieldId.ExporterIpv4Address, text[..IpAddressText.Format(Net.IpAddr.FromV4(exporter), text)]);
        }

        if (identity.ProbeIpv4 != 0)
        {
            sink.WriteUtf8(NtopFieldId.NprobeIpv4Address, text[..IpAddressText.Format(Net.IpAddr.FromV4(identity.ProbeIpv4), text)]);
        }

        WriteNonZero(ref sink, NtopFieldId.UniqueSourceId, identity.UniqueSourceId);
        WriteNonZero(ref sink, FlowhiveFieldId.TunnelId, record.TunnelId);
        WriteNonZero(ref sink, FlowhiveFieldId.L7Category, record.L7Category);

        if (record.Metadata is { } metadata)
        {
            WriteText(ref sink, NtopFieldId.L7ProtoName, metadata.L7ProtoName);
            WriteText(ref sink, NtopFieldId.L7Info, metadata.L7Info);
            WriteText(ref sink, NtopFieldId.DnsQuery, metadata.DnsQuery);
            WriteText(ref sink, NtopFieldId.HttpSite, metadata.HttpSite);
            WriteText(ref sink, NtopFieldId.HttpUrl, metadata.HttpUrl);
            WriteText(ref sink, NtopFieldId.HttpMethod, metadata.HttpMethod);
            WriteNonZero(ref sink, NtopFieldId.HttpRetCode, metadata.HttpReturnCode);
            WriteText(ref sink, NtopFieldId.HttpUserAgent, metadata.HttpUserAgent);
            WriteText(ref sink, NtopFieldId.TlsServerName, metadata.TlsServerName);
            WriteText(ref sink, NtopFieldId.Ja4cHash, metadata.Ja4Client);
            WriteText(ref sink, NtopFieldId.Ja3cHash, metadata.Ja3Client);
            WriteText(ref sink, NtopFieldId.Ja3sHash, metadata.Ja3Server);
            WriteText(ref sink, NtopFieldId.BittorrentHash, metadata.BittorrentHash);
            WriteNonZero(ref sink, NtopFieldId.TlsCipher, metadata.TlsCipher);
            WriteNonZero(ref sink, NtopFieldId.DnsQueryType, metadata.DnsQueryType);
            WriteNonZero(ref sink, NtopFieldId.DnsRetCode, metadata.DnsReturnCode);
            WriteText(ref sink, FlowhiveFieldId.SshClientBanner, metadata.SshClientBanner);
            WriteText(ref sink, FlowhiveFieldId.SshServerBanner, metadata.SshServerBanner);
            WriteText(ref sink, FlowhiveFieldId.SshHasshClient, metadata.HasshClient);
            WriteText(ref sink, FlowhiveFieldId.SshHasshServer, metadata.HasshServer);
            WriteText(ref sink, FlowhiveFieldId.TlsAlpn, metadata.TlsAlpn);
            WriteText(ref sink, FlowhiveFieldId.TlsCertificateSubject, metadata.TlsCertificateSubject);
            WriteText(ref sink, FlowhiveFieldId.TlsCertificateIssuer, metadata.TlsCertificateIssuer);
            WriteNonZero(ref sink, FlowhiveFieldId.TlsVersion, metadata.TlsVersion);
            WriteText(ref sink, FlowhiveFieldId.HttpContentType, metadata.HttpContentType);
            WriteText(ref sink, FlowhiveFieldId.HostName, metadata.HostName);
            WriteText(ref sink, FlowhiveFieldId.DhcpVendor, metadata.DhcpVendor);
            WriteText(ref sink, FlowhiveFieldId.DnsAnswers, metadata.DnsAnswers);
        }
    }

    private static void WriteNonZero<TSink>(ref TSink sink, uint id, uint value)
        where TSink : IFlowFieldSink, allows ref struct
    {
        if (value != 0)
        {
            sink.WriteUInt(id, value);
        }
    }

    private static void WriteText<TSink>(ref TSink sink, uint id, string? value)
        where TSink : IFlowFieldSink, allows ref struct
    {
        if (!string.IsNullOrEmpty(value))
        {
            sink.WriteText(id, value.AsSpan(), FlowRecordTlv.MaxEncodedStringBytes);
        }
    }

    /// <summary>"master.app", the form ntopng splits with strtoll; "0" stands for an unknown half.</summary>
    private static int FormatL7(ushort master, ushort app, Span<byte> destination)
    {
        master.TryFormat(destination, out var position, default, CultureInfo.InvariantCulture);
        destination[position++] = (byte)'.';
        app.TryFormat(destination[position..], out var appLength, default, CultureInfo.InvariantCulture);
        return position + appLength;
    }
}
