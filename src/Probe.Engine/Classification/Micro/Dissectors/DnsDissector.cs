using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using Flowhive.Probe.Engine.Classification.Micro.Catalog;
using Flowhive.Probe.Engine.Classification.Micro.Framework;
using Flowhive.Probe.Engine.Classification.Micro.Parsers;
using Flowhive.Shared.Net;

namespace Flowhive.Probe.Engine.Classification.Micro.Dissectors;

/// <summary>
/// DNS (port 53, over UDP and TCP), multicast DNS (5353) and LLMNR (5355): the same wire format, told apart by
/// port as nDPI does. Reports the query (name, type; a DNS name of a known service makes the flow "DNS.Service"),
/// the response code and the A/AAAA answers, and remembers those answers per client in the shared cache so that
/// the flow the lookup announces is labelled with the service even without a host name of its own.
/// </summary>
public sealed class DnsDissector : IDissector
{
    public const ushort DnsPort = 53;
    public const ushort MdnsPort = 5353;
    public const ushort LlmnrPort = 5355;

    /// <summary>Addresses listed in the metadata (a response may carry hundreds).</summary>
    public const int MaxAnswersShown = 8;

    private const ushort TypeA = 1;
    private const ushort TypeAaaa = 28;

    public string Name => "DNS";

    public DissectorTransports Transports => DissectorTransports.Udp | DissectorTransports.Tcp;

    public IReadOnlyList<ushort> Protocols { get; } = [NdpiIds.Dns, NdpiIds.Mdns, NdpiIds.Llmnr];

    public int StateSize => Unsafe.SizeOf<DnsState>();

    public bool MayStartWith(byte firstByte) => true;

    public Identification Identify(ref DissectorContext context)
    {
        var protocol = ProtocolOf(context.Flow.L4, context.ClientPort, context.ServerPort);
        if (protocol == NdpiIds.Unknown)
        {
            return Identification.NotMine;
        }

        var message = context.Flow.L4 == 6 ? (context.Payload.Length > 2 ? context.Payload[2..] : []) : context.Payload;
        return LooksLikeDns(message) ? Identification.Mine : Identification.NotMine;
    }

    public Inspection Inspect(ref DissectorContext context)
    {
        ref var state = ref context.State<DnsState>();
        if (state.Protocol == 0)
        {
            state.Protocol = ProtocolOf(context.Flow.L4, context.ClientPort, context.ServerPort);
        }

        if (context.Flow.L4 != 6)
        {
            Message(ref context, ref state, context.Payload);
        }
        else
        {
            // DNS over TCP: a two-byte length, then the message, possibly over several segments.
            ref var stream = ref context.Stream;
            var data = stream.Accept(context.Packet.TcpSeq, context.Payload);
            if (data.Length >= 2)
            {
                var length = (data[0] << 8) | data[1];
                if (data.Length - 2 < length && data.Length < BoundedBuffer.MaxLength && !stream.Overflowed)
                {
                    stream.Keep(data, 0);
                    return Inspection.Continue;
                }

                Message(ref context, ref state, data.Slice(2, Math.Min(length, data.Length - 2)));
                stream.Keep(data, data.Length);
            }
            else if (!data.IsEmpty)
            {
                stream.Keep(data, 0);
            }
        }

        // Plain DNS waits for the answer; multicast and link-local name queries say all in one message.
        return state.ResponseSeen != 0 || (state.QuerySeen != 0 && state.Protocol != NdpiIds.Dns) ? Inspection.Done : Inspection.Continue;
    }

    /// <summary>DNS on 53, mDNS on 5353, LLMNR on 5355 (either side), else unknown.</summary>
    private static ushort ProtocolOf(byte l4, ushort clientPort, ushort serverPort)
    {
        if (clientPort == DnsPort || serverPort == DnsPort)
        {
            return NdpiIds.Dns;
        }

        if (l4 != 17)
        {
            return NdpiIds.Unknown;
        }

        if (clientPort == MdnsPort || serverPort == MdnsPort)
        {
            return NdpiIds.Mdns;
        }

        return clientPort == LlmnrPort || serverPort == LlmnrPort ? NdpiIds.Llmnr : NdpiIds.Unknown;
    }

    /// <summary>A header with a standard opcode and plausible counts, and a readable first question when it has one.</summary>
    private static bool LooksLikeDns(ReadOnlySpan<byte> bytes)
    {
        if (!DnsMessage.TryParse(bytes, out var message) || message.Opcode is not (0 or 1 or 2 or 4 or 5) ||
            message.QuestionCount > 64 || (message.QuestionCount == 0 && (!message.IsResponse || message.AnswerCount == 0)))
        {
            return false;
        }

        Span<byte> name = stackalloc byte[DnsName.MaxLength];
        return message.QuestionCount == 0 ? message.TryReadRecord(DnsMessage.HeaderLength, out _, out _, out _, out _, out _)
            : message.TryReadQuestion(DnsMessage.HeaderLength, name, out _, out _, out _, out _);
    }

    private static void Message(ref DissectorContext context, ref DnsState state, ReadOnlySpan<byte> bytes)
    {
        if (!DnsMessage.TryParse(bytes, out var message))
        {
            return;
        }

        var flow = context.Flow;
        Span<byte> nameBytes = stackalloc byte[DnsName.MaxLength];
        string? name = null;
        ushort type = 0;
        var offset = DnsMessage.HeaderLength;
        if (message.QuestionCount > 0 && message.TryReadQuestion(offset, nameBytes, out var nameLength, out type, out _, out var next))
        {
            name = HostNameText.From(nameBytes[..nameLength]);
            offset = message.SkipQuestions(next, message.QuestionCount - 1);
        }
        else if (message.QuestionCount > 0)
        {
            offset = -1;
        }

        if (name is null && message.AnswerCount > 0 && offset > 0 &&
            message.TryReadRecord(offset, out var ownerOffset, out _, out _, out _, out _) &&
            DnsName.TryRead(message.Bytes, ownerOffset, nameBytes, out var ownerLength, out _))
        {
            name = HostNameText.From(nameBytes[..ownerLength]); // an mDNS announcement: answers only
        }

        if (state.QuerySeen == 0 && state.ResponseSeen == 0)
        {
            Report(ref context, ref state, name, type);
        }

        if (message.IsResponse)
        {
            state.ResponseSeen = 1;
            flow.Metadata.DnsReturnCode = message.ResponseCode;
            if (offset > 0)
            {
                Answers(ref context, message, offset, name);
            }
        }
        else
        {
            state.QuerySeen = 1;
        }

        flow.MetadataChanged();
    }

    private static void Report(ref DissectorContext context, ref DnsState state, string? name, ushort type)
    {
        var flow = context.Flow;
        var metadata = flow.Metadata;
        if (state.Protocol == NdpiIds.Dns)
        {
            metadata.DnsQuery = name;
            metadata.DnsQueryType = type;
            flow.DetectWithHost(NdpiIds.Dns, name);
            return;
        }

        // Multicast and link-local names are host names of the local network, not services.
        metadata.HostName = name;
        metadata.L7Info = name;
        flow.Detect(state.Protocol);
    }

    /// <summary>Lists the A/AAAA answers and, for a name of a known service, remembers them for the querier.</summary>
    private static void Answers(ref DissectorContext context, DnsMessage message, int offset, string? name)
    {
        var flow = context.Flow;
        var querier = context.FromClient ? flow.Server : flow.Client; // the response goes to whoever asked
        var known = name is not null && flow.Services.TryMatchHost(name, out var service) && service.Protocol != 0 ? service : default;
        StringBuilder? text = null;
        var shown = 0;
        for (var i = 0; i < message.AnswerCount && offset > 0; i++)
        {
            if (!message.TryReadRecord(offset, out _, out var type, out var ttl, out var data, out offset))
            {
                break;
            }

            IpAddr address;
            if (type == TypeA && data.Length == 4)
            {
                address = IpAddr.FromV4Bytes(data);
            }
            else if (type == TypeAaaa && data.Length == 16)
            {
                address = IpAddr.FromV6Bytes(data);
            }
            else
            {
                continue;
            }

            if (known.Protocol != 0)
            {
                flow.DnsCache.Remember(querier, address, known, ttl, context.TimestampUs);
            }

            if (shown < MaxAnswersShown)
            {
                text ??= new StringBuilder();
                if (shown > 0)
                {
                    text.Append(',');
                }

                text.Append(new IPAddress(data).ToString());
                shown++;
            }
        }

        if (text is not null)
        {
            flow.Metadata.DnsAnswers = text.ToString();
        }
    }

    private struct DnsState
    {
        public ushort Protocol;
        public byte QuerySeen;
        public byte ResponseSeen;
    }
}
