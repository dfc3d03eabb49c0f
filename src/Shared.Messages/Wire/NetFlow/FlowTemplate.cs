namespace Flowhive.Shared.Wire.NetFlow;

/// <summary>
/// A NetFlow v9/IPFIX template in nProbe's <c>-T</c> syntax: <c>%NAME</c> fields separated by spaces or commas
/// (or written back to back, <c>%IN_BYTES%IN_PKTS</c>), with <c>@NTOPNG@</c> standing for the fields ntopng
/// reads. Repeated fields are kept once. Like nProbe, the exporter keeps one template per IP version: an IPv6
/// flow is sent with the IPv6 twin of each IPv4 field (IPV6_SRC_ADDR for IPV4_SRC_ADDR) and without IPv4-only
/// fields, and the other way round.
/// </summary>
public sealed class FlowTemplate
{
    /// <summary>nProbe's template when <c>-T</c> is not given.</summary>
    public const string NprobeDefaultText =
        "%IPV4_SRC_ADDR %IPV4_DST_ADDR %INPUT_SNMP %OUTPUT_SNMP %IN_PKTS %IN_BYTES %FIRST_SWITCHED %LAST_SWITCHED " +
        "%L4_SRC_PORT %L4_DST_PORT %TCP_FLAGS %PROTOCOL %SRC_TOS %SRC_AS %DST_AS";

    /// <summary>What <c>@NTOPNG@</c> expands to in probe mode (nProbe <c>cli_options.rst</c>).</summary>
    public const string NtopngProbeModeText =
        "%IN_SRC_MAC %OUT_DST_MAC %INPUT_SNMP %OUTPUT_SNMP %SRC_VLAN %IPV4_SRC_ADDR %IPV4_DST_ADDR %L4_SRC_PORT %L4_DST_PORT " +
        "%IPV6_SRC_ADDR %IPV6_DST_ADDR %SRC_TOS %DST_TOS %IP_PROTOCOL_VERSION %PROTOCOL %L7_PROTO %L7_CONFIDENCE %IN_BYTES " +
        "%IN_PKTS %OUT_BYTES %OUT_PKTS %FIRST_SWITCHED %LAST_SWITCHED %CLIENT_TCP_FLAGS %SERVER_TCP_FLAGS %L7_PROTO_RISK " +
        "%L7_RISK_SCORE %EXPORTER_IPV4_ADDRESS %DIRECTION %SAMPLING_INTERVAL %TOTAL_FLOWS_EXP %NPROBE_IPV4_ADDRESS " +
        "%NPROBE_INSTANCE_NAME %FLOW_SOURCE %JA4C_HASH %UNIQUE_SOURCE_ID %CLIENT_NW_LATENCY_MS %SERVER_NW_LATENCY_MS " +
        "%APPL_LATENCY_MS %TCP_WIN_MAX_IN %TCP_WIN_MAX_OUT %OOORDER_IN_PKTS %OOORDER_OUT_PKTS %RETRANSMITTED_IN_PKTS " +
        "%RETRANSMITTED_OUT_PKTS %SRC_FRAGMENTS %DST_FRAGMENTS %L7_INFO %DNS_QUERY %DNS_QUERY_TYPE %DNS_RET_CODE %HTTP_URL " +
        "%HTTP_SITE %HTTP_METHOD %HTTP_RET_CODE %TLS_SERVER_NAME %BITTORRENT_HASH %SRC_TOS %DST_TOS %HTTP_USER_AGENT %L7_RISK_INFO";

    public const string NtopngMacro = "@NTOPNG@";

    private FlowTemplate(string text, IReadOnlyList<InformationElement> elements)
    {
        Text = text;
        Elements = elements;
        IsBidirectional = elements.Any(e => e.Source is ElementSource.ReverseBytes or ElementSource.ReversePackets);
    }

    public static FlowTemplate NprobeDefault { get; } = Parse(NprobeDefaultText);

    /// <summary>The template as given (before <c>@NTOPNG@</c> expansion).</summary>
    public string Text { get; }

    /// <summary>The fields in order, each once, both IP versions' fields included.</summary>
    public IReadOnlyList<InformationElement> Elements { get; }

    /// <summary>
    /// Whether one record carries both directions: the template names OUT_BYTES or OUT_PKTS, as nProbe's
    /// @NTOPNG@ does. Otherwise a flow is exported as two unidirectional records.
    /// </summary>
    public bool IsBidirectional { get; }

    /// <summary>Parses nProbe's syntax; throws <see cref="FormatException"/> with a one-line message naming the bad field.</summary>
    public static FlowTemplate Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var expanded = text.Replace(NtopngMacro, " " + NtopngProbeModeText + " ", StringComparison.Ordinal);
        var elements = new List<InformationElement>();
        foreach (var word in expanded.Split([' ', '\t', '\n', '\r', ','], StringSplitOptions.RemoveEmptyEntries))
        {
            if (word[0] != '%')
            {
                throw new FormatException($"'{word}' is not a field: fields are written %NAME (e.g. %IN_BYTES)");
            }

            foreach (var name in word.Split('%', StringSplitOptions.RemoveEmptyEntries))
            {
                if (!InformationElements.TryGet(name, out var element))
                {
                    var nearest = string.Join(", ", InformationElements.Nearest(name).Select(n => "%" + n));
                    throw new FormatException($"unknown field %{name} (nearest known: {nearest})");
                }

                if (!elements.Contains(element))
                {
                    elements.Add(element);
                }
            }
        }

        return elements.Count == 0
            ? throw new FormatException("the template names no field (e.g. \"%IPV4_SRC_ADDR %IPV4_DST_ADDR %IN_BYTES %IN_PKTS\")")
            : new FlowTemplate(text, elements);
    }

    /// <summary>
    /// The fields sent for flows of IP version <paramref name="family"/>: each field replaced by its twin of that
    /// version or dropped when it has none, repeats removed. In IPFIX, FIRST_SWITCHED/LAST_SWITCHED become
    /// flowStartMilliseconds/flowEndMilliseconds: IPFIX headers carry no sysUptime to count from.
    /// </summary>
    public IReadOnlyList<InformationElement> ForFamily(int family, NetFlowVersion version)
    {
        if (family is not (4 or 6))
        {
            throw new ArgumentOutOfRangeException(nameof(family), family, "4 or 6");
        }

        var result = new List<InformationElement>(Elements.Count);
        foreach (var element in Elements)
        {
            var chosen = InformationElements.ForFamily(element, family);
            if (chosen is not null && version == NetFlowVersion.Ipfix)
            {
                chosen = chosen.Source switch
                {
                    ElementSource.FirstSwitchedUptime => InformationElements.Get("FLOW_START_MILLISECONDS"),
                    ElementSource.LastSwitchedUptime => InformationElements.Get("FLOW_END_MILLISECONDS"),
                    _ => chosen,
                };
            }

            if (chosen is not null && !result.Contains(chosen))
            {
                result.Add(chosen);
            }
        }

        return result;
    }

    public override string ToString() => Text;
}
