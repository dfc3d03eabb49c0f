using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Flowhive.Shared.Flows;
using Flowhive.Shared.Net;

namespace Flowhive.Shared.Wire.SFlow;

/// <summary>
/// Decodes sFlow version 5 datagrams (sflow.org sflow_version_5.txt): flow samples (compact and expanded) whose
/// raw packet header record becomes one flow record, with the sampling rate applied to packets and bytes; counter
/// samples whose generic interface counters record becomes one <see cref="SFlowInterfaceCounters"/>. Other sample
/// and record formats are skipped by their length, as the spec intends. Every length is checked against the bytes
/// there; problems are counted by reason and never throw. Allocates nothing but the caller's lists growing. Not
/// thread-safe: one decoder per receiving thread.
/// </summary>
public sealed class SFlowDecoder
{
    public const uint Version5 = 5;

    /// <summary>Default bound on flow records taken from one datagram.</summary>
    public const int DefaultMaxRecords = 4096;

    private const uint FlowSample = 1;
    private const uint CounterSample = 2;
    private const uint ExpandedFlowSample = 3;
    private const uint ExpandedCounterSample = 4;
    private const uint RawPacketHeader = 1;
    private const uint GenericInterfaceCounters = 1;
    private const int GenericInterfaceCountersLength = 88;

    public SFlowDecodeCounters Counters { get; } = new();

    /// <summary>True when the datagram starts as sFlow v5 does (a 32-bit version 5, which no NetFlow header can start with).</summary>
    public static bool LooksLikeSFlow(ReadOnlySpan<byte> datagram) =>
        datagram.Length >= 4 && BinaryPrimitives.ReadUInt32BigEndian(datagram) == Version5;

    /// <summary>
    /// Decodes one datagram. Flow records get <paramref name="nowUs"/> as first and last time (sFlow samples carry
    /// no timestamp: they describe a packet seen now).
    /// </summary>
    public SFlowDecodeResult Decode(
        ReadOnlySpan<byte> datagram,
        long nowUs,
        List<FlowRecord> flows,
        List<SFlowInterfaceCounters> interfaces,
        int maxRecords = DefaultMaxRecords)
    {
        ArgumentNullException.ThrowIfNull(flows);
        ArgumentNullException.ThrowIfNull(interfaces);
        Counters.Datagrams++;
        var run = new Run { FlowsBefore = flows.Count, InterfacesBefore = interfaces.Count };
        Read(datagram, nowUs, flows, interfaces, maxRecords, ref run);
        var flowRecords = flows.Count - run.FlowsBefore;
        foreach (ref var flow in CollectionsMarshal.AsSpan(flows)[run.FlowsBefore..])
        {
            flow.ExporterIpv4 = run.AgentV4; // the agent is the exporter (EXPORTER_IPV4_ADDRESS when re-exported)
        }

        Counters.Records += flowRecords;
        return new SFlowDecodeResult(run.Status, flowRecords, interfaces.Count - run.InterfacesBefore);
    }

    private void Read(ReadOnlySpan<byte> d, long nowUs, List<FlowRecord> flows, List<SFlowInterfaceCounters> interfaces, int maxRecords, ref Run run)
    {
        if (d.Length < 8)
        {
            Problem(ref run, SFlowDecodeStatus.Truncated);
            return;
        }

        if (BinaryPrimitives.ReadUInt32BigEndian(d) != Version5)
        {
            Problem(ref run, SFlowDecodeStatus.UnknownVersion);
            return;
        }

        var addressType = BinaryPrimitives.ReadUInt32BigEndian(d[4..]);
        var addressLength = addressType switch { 1 => 4, 2 => 16, _ => -1 };
        if (addressLength < 0)
        {
            Problem(ref run, SFlowDecodeStatus.BadAgentAddress);
            return;
        }

        // agent address, sub-agent id, sequence number, uptime, sample count
        if (d.Length < 8 + addressLength + 16)
        {
            Problem(ref run, SFlowDecodeStatus.Truncated);
            return;
        }

        var agent = addressLength == 4 ? IpAddr.FromV4Bytes(d[8..]) : IpAddr.FromV6Bytes(d[8..]);
        run.AgentV4 = agent.IsV4 ? agent.V4 : 0;
        var p = 8 + addressLength + 4 + 4;
        var uptime = BinaryPrimitives.ReadUInt32BigEndian(d[p..]);
        var samples = BinaryPrimitives.ReadUInt32BigEndian(d[(p + 4)..]);
        var rest = d[(p + 8)..];
        for (uint s = 0; s < samples; s++)
        {
            if (!TryNext(ref rest, SFlowDecodeStatus.BadSampleLength, out var format, out var body, ref run))
            {
                return;
            }

            switch (format)
            {
                case FlowSample or ExpandedFlowSample:
                    Counters.FlowSamples++;
                    if (flows.Count - run.FlowsBefore >= maxRecords)
                    {
                        Problem(ref run, SFlowDecodeStatus.TooManyRecords);
                        return;
                    }

                    ReadFlowSample(body, format == ExpandedFlowSample, nowUs, flows, ref run);
                    break;
                case CounterSample or ExpandedCounterSample:
                    Counters.CounterSamples++;
                    if (interfaces.Count - run.InterfacesBefore >= maxRecords)
                    {
                        Problem(ref run, SFlowDecodeStatus.TooManyRecords);
                        return;
                    }

                    ReadCounterSample(body, format == ExpandedCounterSample, agent, uptime, interfaces, ref run);
                    break;
                default:
                    Counters.SkippedUnknownFormats++;
                    break;
            }
        }
    }

    private void ReadFlowSample(ReadOnlySpan<byte> body, bool expanded, long nowUs, List<FlowRecord> flows, ref Run run)
    {
        // sequence, source id (1 or 2 words), sampling rate, sample pool, drops, input, output (1 or 2 words each), record count
        var fixedLength = expanded ? 44 : 32;
        if (body.Length < fixedLength)
        {
            Problem(ref run, SFlowDecodeStatus.BadSampleLength);
            return;
        }

        var rateOffset = expanded ? 12 : 8;
        var rate = BinaryPrimitives.ReadUInt32BigEndian(body[rateOffset..]);
        var records = BinaryPrimitives.ReadUInt32BigEndian(body[(fixedLength - 4)..]);
        var rest = body[fixedLength..];
        for (uint r = 0; r < records; r++)
        {
            if (!TryNext(ref rest, SFlowDecodeStatus.BadRecordLength, out var format, out var data, ref run))
            {
                return;
            }

            if (format != RawPacketHeader)
            {
                Counters.SkippedUnknownFormats++;
                continue; // extended switch/router/gateway data, ethernet/IP summaries: nothing a flow needs beyond the header
            }

            // header protocol, frame length, stripped, header length, header bytes
            if (data.Length < 16)
            {
                Problem(ref run, SFlowDecodeStatus.BadRecordLength);
                continue;
            }

            var protocol = BinaryPrimitives.ReadUInt32BigEndian(data);
            var frameLength = BinaryPrimitives.ReadUInt32BigEndian(data[4..]);
            var headerLength = BinaryPrimitives.ReadUInt32BigEndian(data[12..]);
            if (headerLength > (uint)(data.Length - 16))
            {
                Problem(ref run, SFlowDecodeStatus.UnreadableHeader);
                continue;
            }

            if (rate == 0)
            {
                Problem(ref run, SFlowDecodeStatus.ZeroSamplingRate);
                continue;
            }

            var record = default(FlowRecord);
            var ipOffset = SFlowSampledHeader.TryRead(protocol, data.Slice(16, (int)headerLength), ref record);
            if (ipOffset < 0)
            {
                Problem(ref run, SFlowDecodeStatus.UnreadableHeader);
                continue;
            }

            // The frame's original length, as sfcapd/nfdump and nProbe count sFlow bytes (link header and FCS included).
            record.InPkts = rate;
            record.InBytes = (ulong)frameLength * rate;
            record.FirstSwitchedUs = nowUs;
            record.LastSwitchedUs = nowUs;
            flows.Add(record);
        }
    }

    private void ReadCounterSample(ReadOnlySpan<byte> body, bool expanded, IpAddr agent, uint uptime, List<SFlowInterfaceCounters> interfaces, ref Run run)
    {
        var fixedLength = expanded ? 16 : 12; // sequence, source id (1 or 2 words), record count
        if (body.Length < fixedLength)
        {
            Problem(ref run, SFlowDecodeStatus.BadSampleLength);
            return;
        }

        var records = BinaryPrimitives.ReadUInt32BigEndian(body[(fixedLength - 4)..]);
        var rest = body[fixedLength..];
        for (uint r = 0; r < records; r++)
        {
            if (!TryNext(ref rest, SFlowDecodeStatus.BadRecordLength, out var format, out var c, ref run))
            {
                return;
            }

            if (format != GenericInterfaceCounters)
            {
                Counters.SkippedUnknownFormats++;
                continue; // ethernet, VLAN, processor... counters
            }

            if (c.Length < GenericInterfaceCountersLength)
            {
                Problem(ref run, SFlowDecodeStatus.BadRecordLength);
                continue;
            }

            interfaces.Add(new SFlowInterfaceCounters(
                agent,
                IfIndex: U32(c, 0),
                IfType: U32(c, 4),
                IfSpeed: BinaryPrimitives.ReadUInt64BigEndian(c[8..]),
                InOctets: BinaryPrimitives.ReadUInt64BigEndian(c[24..]),
                InPackets: (ulong)U32(c, 32) + U32(c, 36) + U32(c, 40),
                InDiscards: U32(c, 44),
                InErrors: U32(c, 48),
                OutOctets: BinaryPrimitives.ReadUInt64BigEndian(c[56..]),
                OutPackets: (ulong)U32(c, 64) + U32(c, 68) + U32(c, 72),
                OutDiscards: U32(c, 76),
                OutErrors: U32(c, 80),
                UptimeMs: uptime));
        }
    }

    /// <summary>
    /// Takes the next (format, length, data) element: samples in a datagram and records in a sample share this
    /// framing. Fewer than 8 bytes left, or a length past the end, is <paramref name="lengthProblem"/>.
    /// </summary>
    private bool TryNext(ref ReadOnlySpan<byte> rest, SFlowDecodeStatus lengthProblem, out uint format, out ReadOnlySpan<byte> data, ref Run run)
    {
        format = 0;
        data = default;
        if (rest.Length < 8)
        {
            Problem(ref run, lengthProblem);
            return false;
        }

        format = BinaryPrimitives.ReadUInt32BigEndian(rest);
        var length = BinaryPrimitives.ReadUInt32BigEndian(rest[4..]);
        if (length > (uint)(rest.Length - 8))
        {
            Problem(ref run, lengthProblem);
            return false;
        }

        data = rest.Slice(8, (int)length);
        rest = rest[(8 + (int)length)..];
        return true;
    }

    private static uint U32(ReadOnlySpan<byte> span, int offset) => BinaryPrimitives.ReadUInt32BigEndian(span[offset..]);

    private void Problem(ref Run run, SFlowDecodeStatus status)
    {
        Counters.Count(status);
        if (run.Status == SFlowDecodeStatus.Ok)
        {
            run.Status = status;
        }
    }

    private struct Run
    {
        public uint AgentV4;
        public SFlowDecodeStatus Status;
        public int FlowsBefore;
        public int InterfacesBefore;
    }
}
