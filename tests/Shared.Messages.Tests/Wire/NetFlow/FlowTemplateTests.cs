using Flowhive.Shared.Wire.NetFlow;

namespace Flowhive.Shared.Messages.Tests.Wire.NetFlow;

public sealed class FlowTemplateTests
{
    private static string[] Names(IEnumerable<InformationElement> elements) => [.. elements.Select(e => e.Name)];

    [Fact]
    public void The_default_is_nprobes_template_in_its_order()
    {
        Assert.Equal(
            ["IPV4_SRC_ADDR", "IPV4_DST_ADDR", "INPUT_SNMP", "OUTPUT_SNMP", "IN_PKTS", "IN_BYTES", "FIRST_SWITCHED", "LAST_SWITCHED",
             "L4_SRC_PORT", "L4_DST_PORT", "TCP_FLAGS", "PROTOCOL", "SRC_TOS", "SRC_AS", "DST_AS"],
            Names(FlowTemplate.NprobeDefault.Elements));
        Assert.False(FlowTemplate.NprobeDefault.IsBidirectional);
    }

    [Fact]
    public void Fields_may_be_separated_by_spaces_commas_newlines_or_nothing()
    {
        var template = FlowTemplate.Parse("%IPV4_SRC_ADDR,%IPV4_DST_ADDR\n%IN_BYTES%IN_PKTS  ,  %PROTOCOL");

        Assert.Equal(["IPV4_SRC_ADDR", "IPV4_DST_ADDR", "IN_BYTES", "IN_PKTS", "PROTOCOL"], Names(template.Elements));
    }

    [Fact]
    public void Ntopng_macro_expands_to_the_fields_ntopng_reads_each_once()
    {
        var template = FlowTemplate.Parse("@NTOPNG@ %L7_PROTO_NAME");
        var names = Names(template.Elements);

        // nProbe's list names SRC_TOS and DST_TOS twice; a template keeps each field once.
        var listed = FlowTemplate.NtopngProbeModeText.Split(' ').Select(n => n.TrimStart('%')).Distinct().ToArray();
        Assert.Equal([.. listed, "L7_PROTO_NAME"], names);
        Assert.True(template.IsBidirectional);
    }

    [Fact]
    public void Aliases_resolve_to_the_same_field()
    {
        var template = FlowTemplate.Parse("%SRC_TO_DST_BYTES %octetDeltaCount %IN_BYTES %DST_TO_SRC_PKTS");

        Assert.Equal(["IN_BYTES", "OUT_PKTS"], Names(template.Elements));
        Assert.True(template.IsBidirectional);
    }

    [Fact]
    public void An_unknown_field_is_named_with_the_nearest_known_ones()
    {
        var error = Assert.Throws<FormatException>(() => FlowTemplate.Parse("%IPV4_SRC_ADDR %IPV4_SCR_ADDR"));

        Assert.DoesNotContain('\n', error.Message);
        Assert.StartsWith("unknown field %IPV4_SCR_ADDR (nearest known: %IPV4_SRC_ADDR", error.Message, StringComparison.Ordinal);
        var nearest = Assert.Throws<FormatException>(() => FlowTemplate.Parse("%NOT_A_FIELD")).Message;
        Assert.Contains("unknown field %NOT_A_FIELD (nearest known: %", nearest, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("IN_BYTES", "'IN_BYTES' is not a field")]
    [InlineData("", "names no field")]
    [InlineData(" , %", "names no field")]
    [InlineData("%in_bytes", "unknown field %in_bytes (nearest known: %IN_BYTES")]
    public void Malformed_templates_fail_with_one_line(string text, string expected)
    {
        var error = Assert.Throws<FormatException>(() => FlowTemplate.Parse(text));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Each_ip_version_gets_its_own_fields_twins_replacing_the_other_versions()
    {
        var template = FlowTemplate.Parse("%IPV4_SRC_ADDR %IPV4_DST_ADDR %IPV4_NEXT_HOP %POST_NAT_SRC_IPV4_ADDR %IN_BYTES %IPV6_SRC_ADDR");

        Assert.Equal(["IPV4_SRC_ADDR", "IPV4_DST_ADDR", "IPV4_NEXT_HOP", "POST_NAT_SRC_IPV4_ADDR", "IN_BYTES"],
            Names(template.ForFamily(4, NetFlowVersion.V9)));

        // IPv4-only fields without a twin are dropped; IPV6_SRC_ADDR, already there through its twin, is not repeated.
        Assert.Equal(["IPV6_SRC_ADDR", "IPV6_DST_ADDR", "IPV6_NEXT_HOP", "IN_BYTES"], Names(template.ForFamily(6, NetFlowVersion.V9)));
    }

    [Fact]
    public void Ipfix_sends_absolute_milliseconds_for_first_and_last_switched()
    {
        var template = FlowTemplate.Parse("%FIRST_SWITCHED %LAST_SWITCHED %FLOW_START_MILLISECONDS %IN_BYTES");

        Assert.Equal(["FIRST_SWITCHED", "LAST_SWITCHED", "FLOW_START_MILLISECONDS", "IN_BYTES"], Names(template.ForFamily(4, NetFlowVersion.V9)));
        Assert.Equal(["FLOW_START_MILLISECONDS", "FLOW_END_MILLISECONDS", "IN_BYTES"], Names(template.ForFamily(4, NetFlowVersion.Ipfix)));
    }

    [Fact]
    public void Ntop_fields_are_enterprise_35632_in_ipfix_and_57472_plus_n_in_v9()
    {
        foreach (var element in InformationElements.All.Where(e => e.IsEnterprise))
        {
            Assert.Equal(35632u, element.Enterprise);
            Assert.Equal(57472 + element.IpfixId, element.V9Id);
            Assert.True(element.IpfixId < 0x8000);
        }

        Assert.Equal(57590, InformationElements.Get("L7_PROTO").V9Id);
        Assert.Equal(58011, InformationElements.Get("L7_INFO").V9Id);
        Assert.Equal(57660, InformationElements.Get("TLS_SERVER_NAME").V9Id);

        // The table agrees with the ids the ZMQ codecs use.
        foreach (var element in InformationElements.All)
        {
            if (Flowhive.Shared.Wire.NtopFieldLabels.TryGetId(element.Name, out var id))
            {
                Assert.Equal(id, element.V9Id);
            }
        }
    }
}
