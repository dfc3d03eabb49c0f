using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Flowhive.Shared.Flows;
using Flowhive.Shared.Net;

namespace Flowhive.Shared.Wire.NetFlow;

/// <summary>
/// Decodes NetFlow v5, v9 and IPFIX datagrams into <see cref="FlowRecord"/>s, keeping the templates each exporter
/// sends (per exporter address and port, version, and source id / observation domain). Every length is checked
/// against the bytes that are there; malformed input is counted by reason in <see cref="Counters"/> and never
/// throws. Memory is bounded: at most <c>maxTemplates</c> templates of at most <see cref="MaxTemplateFields"/>
/// fields, and at most the caller's record limit per datagram. Allocates only for new or changed templates, for
/// strings of records that carry them, and for growing the caller's list. Not thread-safe: one decoder per
/// receiving thread.
/// </summary>
public sealed class NetFlowDecoder
{
    public const int DefaultMaxTemplates = 1024;

    /// <summary>Real templates have tens of fields; nProbe's largest have a few hundred.</summary>
    public const int MaxTemplateFields = 512;

    /// <summary>Default bound on records taken from one datagram (a 64 KiB datagram of 1-byte records).</summary>
    public const int DefaultMaxRecords = 65_536;

    private const int V5HeaderLength = 24;
    private const int V5RecordLength = 48;
    private const int V9HeaderLength = 20;
    private const int IpfixHeaderLength = 16;
    private const ushort EnterpriseBit = 0x8000;
    private const ushort VariableLength = 0xFFFF;

    private readonly NetFlowTemplateCache _templates;
    private readonly DecodedField[] _scratch = new DecodedField[MaxTemplateFields];
    private readonly NetFlowSamplingRates _sampling;

    public NetFlowDecoder(int maxTemplates = DefaultMaxTemplates)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxTemplates);
        _templates = new NetFlowTemplateCache(maxTemplates);
        _sampling = new NetFlowSamplingRates(maxTemplates);
    }

    public NetFlowDecodeCounters Counters { get; } = new();

    /// <summary>Templates held, over all exporters.</summary>
    public int TemplateCount => _templates.Count;

    /// <summary>Sampling intervals exporters announced in options data (per exporter and source id / observation domain).</summary>
    public int SamplingRateCount => _sampling.Count;

    /// <summary>
    /// Writes every template and announced sampling interval, so that a restarted collector decodes data that
    /// arrives before the exporter's next template refresh (up to 30 minutes for some routers).
    /// </summary>
    public void SaveState(Stream destination) => NetFlowStateFile.Write(destination, _templates, _sampling);

    /// <summary>Loads what <see cref="SaveState"/> wrote; returns the templates loaded. Throws <see cref="InvalidDataException"/> for a damaged file.</summary>
    public int LoadState(Stream source) => NetFlowStateFile.Read(source, _templates, _sampling, Resolve);

    /// <summary>Decodes one datagram, appending its flow records to <paramref name="destination"/> (which the caller owns and may reuse).</summary>
    public NetFlowDecodeResult Decode(
        ReadOnlySpan<byte> datagram,
        NetFlowExporterId exporter,
        List<FlowRecord> destination,
        int maxRecords = DefaultMaxRecords)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxRecords);
        Counters.Datagrams++;
        var run = new Run(destination, maxRecords);
        var firstNew = destination.Count;
        ushort version = 0;
        if (datagram.Length < 2)
        {
            Problem(ref run, NetFlowDecodeStatus.Truncated);
        }
        else
        {
            version = BinaryPrimitives.ReadUInt16BigEndian(datagram);
            switch (version)
            {
                case (ushort)NetFlowVersion.V5:
                    DecodeV5(datagram, ref run);
                    break;
                case (ushort)NetFlowVersion.V9:
                    DecodeV9(datagram, exporter, ref run);
                    break;
                case (ushort)NetFlowVersion.Ipfix:
                    DecodeIpfix(datagram, exporter, ref run);
                    break;
                default:
                    Problem(ref run, NetFlowDecodeStatus.UnknownVersion);
                    break;
            }
        }

        // The router's address travels with its flows (EXPORTER_IPV4_ADDRESS when a probe's -3 port re-exports them).
        if (exporter.Address.IsV4 && destination.Count > firstNew)
        {
            foreach (ref var record in CollectionsMarshal.AsSpan(destination)[firstNew..])
            {
                record.ExporterIpv4 = exporter.Address.V4;
            }
        }

        Counters.Records += run.Decoded;
        Counters.RecordsDropped += run.Dropped;
        Counters.TemplatesLearned += run.Learned;
        return new NetFlowDecodeResult(run.Status, version, run.Decoded, run.Dropped, run.Learned);
    }

    private void DecodeV5(ReadOnlySpan<byte> datagram, ref Run run)
    {
        if (datagram.Length < V5HeaderLength)
        {
            Problem(ref run, NetFlowDecodeStatus.Truncated);
            return;
        }

        var count = BinaryPrimitives.ReadUInt16BigEndian(datagram[2..]);
        var uptime = BinaryPrimitives.ReadUInt32BigEndian(datagram[4..]);
        var seconds = BinaryPrimitives.ReadUInt32BigEndian(datagram[8..]);
        var nanoseconds = BinaryPrimitives.ReadUInt32BigEndian(datagram[12..]);
        var bootMs = (seconds * 1000L) + (Math.Min(nanoseconds, 999_999_999u) / 1_000_000) - uptime;

        // The low 14 bits of the last header field are the sampling interval (the top two its mode); 0 or 1 is unsampled.
        var sampling = (uint)(BinaryPrimitives.ReadUInt16BigEndian(datagram[22..]) & 0x3FFF);
        var available = (datagram.Length - V5HeaderLength) / V5RecordLength;
        if (count > available)
        {
            Problem(ref run, NetFlowDecodeStatus.Truncated);
            count = (ushort)available;
        }

        for (var i = 0; i < count; i++)
        {
            if (!run.HasRoom)
            {
                TooMany(ref run, count - i);
                return;
            }

            var r = datagram.Slice(V5HeaderLength + (i * V5RecordLength), V5RecordLength);
            var record = new FlowRecord
            {
                SrcAddr = IpAddr.FromV4Bytes(r),
                DstAddr = IpAddr.FromV4Bytes(r[4..]),
                InPkts = BinaryPrimitives.ReadUInt32BigEndian(r[16..]),
                InBytes = BinaryPrimitives.ReadUInt32BigEndian(r[20..]),
                FirstSwitchedUs = Math.Max(bootMs + BinaryPrimitives.ReadUInt32BigEndian(r[24..]), 0) * 1000,
                LastSwitchedUs = Math.Max(bootMs + BinaryPrimitives.ReadUInt32BigEndian(r[28..]), 0) * 1000,
                SrcPort = BinaryPrimitives.ReadUInt16BigEndian(r[32..]),
                DstPort = BinaryPrimitives.ReadUInt16BigEndian(r[34..]),
                ClientTcpFlags = r[37],
                Protocol = r[38],
                IpVersion = 4,
            };
            NetFlowSamplingRates.Apply(ref record, sampling);
            run.Add(record);
        }
    }

    private void DecodeV9(ReadOnlySpan<byte> datagram, NetFlowExporterId exporter, ref Run run)
    {
        if (datagram.Length < V9HeaderLength)
        {
            Problem(ref run, NetFlowDecodeStatus.Truncated);
            return;
        }

        var uptime = BinaryPrimitives.ReadUInt32BigEndian(datagram[4..]);
        var seconds = BinaryPrimitives.ReadUInt32BigEndian(datagram[8..]);
        var sourceId = BinaryPrimitives.ReadUInt32BigEndian(datagram[16..]);
        var bootMs = (seconds * 1000L) - uptime;
        DecodeSets(datagram[V9HeaderLength..], new TemplateKey(exporter, 9, sourceId, 0), bootMs, ref run);
    }

    private void DecodeIpfix(ReadOnlySpan<byte> datagram, NetFlowExporterId exporter, ref Run run)
    {
        if (datagram.Length < IpfixHeaderLength)
        {
            Problem(ref run, NetFlowDecodeStatus.Truncated);
            return;
        }

        int length = BinaryPrimitives.ReadUInt16BigEndian(datagram[2..]);
        if (length < IpfixHeaderLength)
        {
            Problem(ref run, NetFlowDecodeStatus.MalformedSet);
            return;
        }

        if (length > datagram.Length)
        {
            // The sets that did arrive are still read; the header says more was meant.
            Problem(ref run, NetFlowDecodeStatus.Truncated);
            length = datagram.Length;
        }

        var domain = BinaryPrimitives.ReadUInt32BigEndian(datagram[12..]);
        DecodeSets(datagram[IpfixHeaderLength..length], new TemplateKey(exporter, 10, domain, 0), bootMs: null, ref run);
    }

    /// <summary>The set loop both v9 and IPFIX use: sets are (id, length, body); ids differ per version.</summary>
    private void DecodeSets(ReadOnlySpan<byte> sets, TemplateKey scope, long? bootMs, ref Run run)
    {
        var ipfix = scope.Version == 10;
        while (sets.Length >= 4 && !run.Stopped)
        {
            var id = BinaryPrimitives.ReadUInt16BigEndian(sets);
            int length = BinaryPrimitives.ReadUInt16BigEndian(sets[2..]);
            if (length < 4 || length > sets.Length)
            {
                Problem(ref run, length > sets.Length ? NetFlowDecodeStatus.Truncated : NetFlowDecodeStatus.MalformedSet);
                return;
            }

            var body = sets[4..length];
            switch (id)
            {
                case 0 when !ipfix:
                case 2 when ipfix:
                    ReadTemplates(body, scope, options: false, ref run);
                    break;
                case 1 when !ipfix:
                case 3 when ipfix:
                    ReadTemplates(body, scope, options: true, ref run);
                    break;
                case >= 256:
                    ReadData(body, scope with { TemplateId = id }, bootMs, ref run);
                    break;
                default:
                    break; // reserved set ids carry nothing we know: skipped, as the RFCs ask
            }

            sets = sets[length..];
        }
    }

    private void ReadTemplates(ReadOnlySpan<byte> body, TemplateKey scope, bool options, ref Run run)
    {
        var ipfix = scope.Version == 10;
        var headerLength = options ? 6 : 4;
        while (body.Length >= headerLength)
        {
            var templateId = BinaryPrimitives.ReadUInt16BigEndian(body);
            int fieldCount = BinaryPrimitives.ReadUInt16BigEndian(body[2..]);
            int scopeCount;
            if (options && !ipfix)
            {
                // v9 options templates give byte lengths of the scope and option field lists (4 bytes per field).
                int scopeBytes = fieldCount;
                int optionBytes = BinaryPrimitives.ReadUInt16BigEndian(body[4..]);
                if (templateId == 0 && scopeBytes == 0 && optionBytes == 0)
                {
                    return; // padding at the end of the flowset
                }

                if (scopeBytes % 4 != 0 || optionBytes % 4 != 0)
                {
                    Problem(ref run, NetFlowDecodeStatus.TemplateLengthOverflow);
                    return;
                }

                scopeCount = scopeBytes / 4;
                fieldCount = scopeCount + (optionBytes / 4);
            }
            else
            {
                scopeCount = options ? BinaryPrimitives.ReadUInt16BigEndian(body[4..]) : 0;
                if (fieldCount == 0)
                {
                    if (!ipfix)
                    {
                        return; // v9 padding
                    }

                    // IPFIX withdrawal (RFC 7011 §8.1): a template record with no fields.
                    if (_templates.Remove(scope with { TemplateId = templateId }))
                    {
                        Counters.TemplatesWithdrawn++;
                    }

                    body = body[headerLength..];
                    continue;
                }
            }

            if (templateId < 256)
            {
                Problem(ref run, NetFlowDecodeStatus.ReservedTemplateId);
                return; // its length cannot be trusted either: the rest of the set is not read
            }

            if (fieldCount > MaxTemplateFields || (options && (scopeCount == 0 || scopeCount > fieldCount)))
            {
                Problem(ref run, NetFlowDecodeStatus.TemplateLengthOverflow);
                return;
            }

            var position = headerLength;
            var minRecordLength = 0;
            var zeroLength = false;
            for (var i = 0; i < fieldCount; i++)
            {
                if (body.Length - position < 4)
                {
                    Problem(ref run, NetFlowDecodeStatus.TemplateLengthOverflow);
                    return;
                }

                var type = BinaryPrimitives.ReadUInt16BigEndian(body[position..]);
                var length = BinaryPrimitives.ReadUInt16BigEndian(body[(position + 2)..]);
                position += 4;
                uint enterprise = 0;
                if (ipfix && (type & EnterpriseBit) != 0)
                {
                    if (body.Length - position < 4)
                    {
                        Problem(ref run, NetFlowDecodeStatus.TemplateLengthOverflow);
                        return;
                    }

                    enterprise = BinaryPrimitives.ReadUInt32BigEndian(body[position..]);
                    type &= 0x7FFF;
                    position += 4;
                }

                var variable = ipfix && length == VariableLength;
                zeroLength |= length == 0;
                minRecordLength += variable ? 1 : length;
                _scratch[i] = Resolve(type, enterprise, length, variable, ipfix, isScopeOrOption: options);
            }

            body = body[position..];
            if (zeroLength)
            {
                Problem(ref run, NetFlowDecodeStatus.ZeroLengthField);
                continue;
            }

            if (minRecordLength > ushort.MaxValue)
            {
                Problem(ref run, NetFlowDecodeStatus.TemplateLengthOverflow);
                continue;
            }

            if (_templates.Learn(scope with { TemplateId = templateId }, _scratch.AsSpan(0, fieldCount), options, Counters))
            {
                run.Learned++;
            }
        }
    }

    private void ReadData(ReadOnlySpan<byte> body, TemplateKey key, long? bootMs, ref Run run)
    {
        if (!_templates.TryGet(key, out var template))
        {
            Problem(ref run, NetFlowDecodeStatus.UnknownTemplate);
            return;
        }

        if (template.FixedRecordLength > 0)
        {
            ReadFixedLengthRecords(body, template, key, bootMs, ref run);
            return;
        }

        var fields = template.Fields;

        // Fewer bytes than the shortest record is padding (v9 pads flowsets to 4 bytes).
        while (body.Length >= template.MinRecordLength)
        {
            if (!template.IsOptions && !run.HasRoom)
            {
                TooMany(ref run, 1);
                return;
            }

            var builder = default(NetFlowRecordBuilder);
            var position = 0;
            ulong recordSampling = 0;
            for (var i = 0; i < fields.Length; i++)
            {
                ref readonly var field = ref fields[i];
                int length = field.Length;
                if (field.Variable)
                {
                    if (!TryVariableLength(body, ref position, out length))
                    {
                        Problem(ref run, NetFlowDecodeStatus.Truncated);
                        run.Dropped += template.IsOptions ? 0 : 1;
                        return;
                    }
                }

                if (body.Length - position < length)
                {
                    Problem(ref run, NetFlowDecodeStatus.Truncated);
                    run.Dropped += template.IsOptions ? 0 : 1;
                    return;
                }

                if (field.Known && !template.IsOptions && !builder.Apply(field, body.Slice(position, length)))
                {
                    Problem(ref run, NetFlowDecodeStatus.InvalidValue);
                }

                if (NetFlowSamplingRates.IsSamplingInterval(field) && length is > 0 and <= 8)
                {
                    recordSampling = NetFlowRecordBuilder.ReadUnsigned(body.Slice(position, length));
                }

                position += length;
            }

            body = body[position..];
            if (template.IsOptions)
            {
                Counters.OptionsRecords++;
                if (recordSampling > 0)
                {
                    // Sampler options (v9 SAMPLING_INTERVAL / FLOW_SAMPLER_RANDOM_INTERVAL, IPFIX samplingPacketInterval):
                    // the interval applies to every later record of this exporter and domain that does not carry its own.
                    _sampling.Set(key with { TemplateId = 0 }, recordSampling);
                    Counters.SamplingOptions++;
                }
            }
            else if (builder.IsComplete)
            {
                ref var record = ref run.Append();
                builder.CompleteInto(bootMs, ref record);
                NetFlowSamplingRates.Apply(ref record, recordSampling > 0 ? recordSampling : _sampling.Get(key with { TemplateId = 0 }));
            }
            else
            {
                Problem(ref run, NetFlowDecodeStatus.MissingAddresses);
                run.Dropped++;
            }
        }
    }

    /// <summary>
    /// The fast path for templates without variable-length fields (every NetFlow v9 template, most IPFIX ones):
    /// records sit at fixed offsets, so only the fields Flowhive uses are read and each record is one bounds check.
    /// Same results as the general loop in <see cref="ReadData"/>.
    /// </summary>
    private void ReadFixedLengthRecords(ReadOnlySpan<byte> body, DecodedTemplate template, TemplateKey key, long? bootMs, ref Run run)
    {
        var length = template.FixedRecordLength;
        var steps = template.Steps;
        var isOptions = template.IsOptions;
        var domainSampling = isOptions ? 0 : _sampling.Get(key with { TemplateId = 0 });

        // Fewer bytes than a record is padding (v9 pads flowsets to 4 bytes).
        while (body.Length >= length)
        {
            if (!isOptions && !run.HasRoom)
            {
                TooMany(ref run, 1);
                return;
            }

            var record = body[..length];
            body = body[length..];
            var builder = default(NetFlowRecordBuilder);
            ulong recordSampling = 0;
            foreach (ref readonly var step in steps.AsSpan())
            {
                var value = record.Slice(step.Offset, step.Field.Length);
                if (step.IsSamplingInterval && value.Length <= 8)
                {
                    recordSampling = NetFlowRecordBuilder.ReadUnsigned(value);
                }

                if (!isOptions && step.Field.Known && !builder.Apply(step.Field, value))
                {
                    Problem(ref run, NetFlowDecodeStatus.InvalidValue);
                }
            }

            if (isOptions)
            {
                Counters.OptionsRecords++;
                if (recordSampling > 0)
                {
                    _sampling.Set(key with { TemplateId = 0 }, recordSampling);
                    Counters.SamplingOptions++;
                    domainSampling = recordSampling;
                }
            }
            else if (builder.IsComplete)
            {
                ref var flow = ref run.Append();
                builder.CompleteInto(bootMs, ref flow);
                NetFlowSamplingRates.Apply(ref flow, recordSampling > 0 ? recordSampling : domainSampling);
            }
            else
            {
                Problem(ref run, NetFlowDecodeStatus.MissingAddresses);
                run.Dropped++;
            }
        }
    }

    /// <summary>RFC 7011 §7: one length byte, or 255 followed by a two-byte length.</summary>
    private static bool TryVariableLength(ReadOnlySpan<byte> body, ref int position, out int length)
    {
        length = 0;
        if (position >= body.Length)
        {
            return false;
        }

        length = body[position++];
        if (length < 255)
        {
            return true;
        }

        if (body.Length - position < 2)
        {
            return false;
        }

        length = BinaryPrimitives.ReadUInt16BigEndian(body[position..]);
        position += 2;
        return true;
    }

    internal static DecodedField Resolve(ushort type, uint enterprise, ushort length, bool variable, bool ipfix, bool isScopeOrOption)
    {
        InformationElement? element = null;
        var known = !isScopeOrOption && (ipfix
            ? InformationElements.TryGetByIpfixId(enterprise, type, out element)
            : InformationElements.TryGetByV9Id(type, out element));
        return known && element is not null
            ? new DecodedField(type, enterprise, length, variable, element.Source, element.Type, Known: true)
            : new DecodedField(type, enterprise, length, variable, ElementSource.None, ElementType.Unsigned, Known: false);
    }

    private void Problem(ref Run run, NetFlowDecodeStatus status)
    {
        Counters.Count(status);
        if (run.Status == NetFlowDecodeStatus.Ok)
        {
            run.Status = status;
        }
    }

    private void TooMany(ref Run run, int dropped)
    {
        Problem(ref run, NetFlowDecodeStatus.TooManyRecords);
        run.Dropped += dropped;
        run.Stopped = true;
    }

    /// <summary>Totals of one <see cref="Decode"/> call.</summary>
    private ref struct Run(List<FlowRecord> destination, int maxRecords)
    {
        public NetFlowDecodeStatus Status;
        public int Decoded;
        public int Dropped;
        public int Learned;
        public bool Stopped;

        public readonly bool HasRoom => Decoded < maxRecords;

        public void Add(in FlowRecord record) => Append() = record;

        /// <summary>A new slot at the end of the destination, to be filled in place.</summary>
        public ref FlowRecord Append()
        {
            var index = destination.Count;
            if (index == destination.Capacity)
            {
                destination.Capacity = Math.Max(16, index * 2);
            }

            CollectionsMarshal.SetCount(destination, index + 1);
            Decoded++;
            return ref CollectionsMarshal.AsSpan(destination)[index];
        }
    }
}
