using Flowhive.Shared.Flows;
using Flowhive.Shared.Net;
using Flowhive.Shared.Wire.NetFlow;

namespace Flowhive.Shared.Messages.Tests.Wire.NetFlow;

/// <summary>
/// Byte-exact datagrams, written out field by field from the format specifications (Cisco's NetFlow v5 export
/// format, RFC 3954 §5, RFC 7011 §3), so that a change in layout cannot pass unnoticed through a round trip.
/// </summary>
public sealed class NetFlowGoldenBytesTests
{
    /// <summary>2026-01-01T00:00:00.500Z.</summary>
    private const long T0Ms = 1_767_225_600_500;

    /// <summary>9.5 s later: the export happens at 00:00:09.500.</summary>
    private const long NowMs = T0Ms + 9_000;

    private static FlowRecord DnsQuery() => new()
    {
        SrcAddr = IpAddr.Parse("192.168.1.23"),
        DstAddr = IpAddr.Parse("8.8.8.8"),
        SrcPort = 53000,
        DstPort = 53,
        Protocol = 17,
        IpVersion = 4,
        InPkts = 1,
        InBytes = 75,
        FirstSwitchedUs = T0Ms * 1000,
        LastSwitchedUs = (T0Ms + 30) * 1000,
    };

    private static byte[] Single(NetFlowEncoderOptions options, Action<NetFlowEncoder, DatagramCollector> act)
    {
        var encoder = NetFlowEncoder.Create(options);
        var sink = new DatagramCollector();
        act(encoder, sink);
        return Assert.Single(sink.Datagrams);
    }

    [Fact]
    public void V5_header_and_record()
    {
        var datagram = Single(new NetFlowEncoderOptions { Version = NetFlowVersion.V5, SourceId = 0x01020304 }, (encoder, sink) =>
        {
            encoder.Add(DnsQuery(), NowMs, sink);
            encoder.Flush(NowMs, sink);
        });

        // Boot = first packet - 10 min margin = 00:50:00.500 the day before; header time = now rounded up to a second.
        const string header =
            "0005" + "0001" +    // version, count
            "00094CDC" +         // sysUptime: 00:00:10.000 - boot = 609500 ms
            "6955B90A" +         // unix_secs 1767225610 (2026-01-01T00:00:10Z)
            "00000000" +         // unix_nsecs: header times are whole seconds
            "00000000" +         // flow_sequence: no flow before this one
            "00" + "04" +        // engine type, engine id (low byte of the source id)
            "0000";              // sampling: none
        const string record =
            "C0A80117" + "08080808" + "00000000" + // srcaddr, dstaddr, nexthop
            "0000" + "0000" +                       // input, output SNMP index
            "00000001" + "0000004B" +               // dPkts 1, dOctets 75
            "000927C0" + "000927DE" +               // First 600000 ms, Last 600030 ms after boot
            "CF08" + "0035" +                       // ports 53000 -> 53
            "00" + "00" + "11" + "00" +             // pad, tcp_flags, prot 17, tos
            "0000" + "0000" + "00" + "00" + "0000"; // src_as, dst_as, masks, pad
        Assert.Equal(header + record, Convert.ToHexString(datagram));
    }

    [Fact]
    public void V9_template_flowset_of_the_default_template()
    {
        var datagram = Single(new NetFlowEncoderOptions { Version = NetFlowVersion.V9, SourceId = 0x01020304 }, (encoder, sink) => encoder.Tick(NowMs, sink));

        const string common = "000A0004" + "000E0004" + "00020004" + "00010004" + "00160004" + "00150004" +
                              "00070002" + "000B0002" + "00060001" + "00040001" + "00050001" + "00100004" + "00110004";
        Assert.Equal(
            "0009" + "0002" +     // version, count: two template records
            "00000000" +          // sysUptime: no flow has set the clock yet
            "6955B909" +          // unix_secs 1767225609
            "00000000" +          // sequence: first datagram
            "01020304" +          // source id
            "0000" + "0084" +     // template flowset, 132 bytes
            "0101" + "000F" + "00080004" + "000C0004" + common + // 257: IPv4 flows
            "0102" + "000F" + "001B0010" + "001C0010" + common,  // 258: IPv6 flows, IPV6_SRC/DST_ADDR in place of the IPv4 ones
            Convert.ToHexString(datagram));
    }

    [Fact]
    public void V9_data_flowsets_are_padded_to_four_bytes()
    {
        var encoder = NetFlowEncoder.Create(new NetFlowEncoderOptions { Version = NetFlowVersion.V9 });
        var sink = new DatagramCollector();
        encoder.Tick(NowMs, sink);
        encoder.Add(DnsQuery(), NowMs, sink);
        encoder.Flush(NowMs, sink);

        // The default template's record is 47 bytes: the flowset is 4 + 47 = 51, padded to 52 with one zero.
        var data = sink.Datagrams[1];
        Assert.Equal(20 + 52, data.Length);
        Assert.Equal("0101" + "0034", Convert.ToHexString(data, 20, 4));
        Assert.Equal(0, data[^1]);
    }

    [Fact]
    public void Ipfix_template_set_with_enterprise_and_variable_length_fields()
    {
        var options = new NetFlowEncoderOptions
        {
            Version = NetFlowVersion.Ipfix,
            SourceId = 0x01020304,
            Template = FlowTemplate.Parse("%IPV4_SRC_ADDR %L7_PROTO %IN_BYTES %L7_INFO"),
        };
        var datagram = Single(options, (encoder, sink) => encoder.Tick(NowMs, sink));

        Assert.Equal(
            "000A" + "004C" +                    // version 10, message length 76
            "6955B909" +                         // export time
            "00000000" +                         // sequence: no data record before
            "01020304" +                         // observation domain
            "0002" + "003C" +                    // template set, 60 bytes
            "0101" + "0004" +                    // template 257, 4 fields
            "00080004" +                         // sourceIPv4Address
            "8076" + "0002" + "00008B30" +       // enterprise bit | 118 (L7_PROTO), 2 bytes, PEN 35632
            "00010004" +                         // octetDeltaCount, reduced to 4 bytes as nProbe sends it
            "821B" + "FFFF" + "00008B30" +       // enterprise bit | 539 (L7_INFO), variable length, PEN 35632
            "0102" + "0004" + "001B0010" + "8076000200008B30" + "00010004" + "821BFFFF00008B30",
            Convert.ToHexString(datagram));
    }
}
