using System.Buffers.Binary;
using System.Text;
using Flowhive.Shared.Wire;

namespace Flowhive.Shared.Messages.Tests.Wire;

public sealed class ZmqHeaderCodecTests
{
    [Fact]
    public void WriteV2_produces_the_28_byte_version_3_layout()
    {
        var buffer = new byte[64];
        var written = ZmqHeaderCodec.WriteV2(buffer, ZmqTopic.Flow, msgId: 0x01020304, sourceId: 0x0A0B0C0D, payloadLength: 300);

        byte[] expected =
        [
            (byte)'f', (byte)'l', (byte)'o', (byte)'w', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            0x03, // version: ZMQ_MSG_VERSION_TLV
            0x00, // padding
            0x2C, 0x01, // size 300, host (little-endian) order
            0x01, 0x02, 0x03, 0x04, // msg_id big-endian
            0x0D, 0x0C, 0x0B, 0x0A, // source_id little-endian
        ];
        Assert.Equal(28, written);
        Assert.Equal(expected, buffer[..written]);
        Assert.All(buffer[written..], b => Assert.Equal(0, b));
    }

    [Fact]
    public void WriteV2_json_uses_version_2()
    {
        var buffer = new byte[28];
        ZmqHeaderCodec.WriteV2(buffer, ZmqTopic.Event, 1, 2, 10, ZmqPayloadFormat.Json);
        Assert.Equal(ZmqHeaderCodec.JsonVersion, buffer[16]);
        Assert.Equal("event"u8.ToArray(), buffer[..5]);
    }

    [Fact]
    public void WriteV2_saturates_the_16_bit_size_field()
    {
        var buffer = new byte[28];
        ZmqHeaderCodec.WriteV2(buffer, ZmqTopic.Flow, 1, 2, 131_000);
        Assert.Equal(ushort.MaxValue, BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(18)));
    }

    [Fact]
    public void WriteV3_produces_the_36_byte_version_4_layout_with_uncompressed_length_in_compressed_size()
    {
        var buffer = new byte[36];
        var written = ZmqHeaderCodec.WriteV3(
            buffer, ZmqTopic.Flow, ZmqHeaderFlags.Tlv | ZmqHeaderFlags.Compressed, msgId: 0x01020304, sourceId: 0x0A0B0C0D, uncompressedLength: 5000);

        byte[] expected =
        [
            (byte)'f', (byte)'l', (byte)'o', (byte)'w', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            0x04, // version: ZMQ_MSG_VERSION
            0x06, // flags: TLV | compressed
            0x00, 0x00, // padding
            0x88, 0x13, 0x00, 0x00, // uncompressed_size 5000 little-endian
            0x88, 0x13, 0x00, 0x00, // compressed_size: also the uncompressed length (ntopng's inflate buffer)
            0x01, 0x02, 0x03, 0x04, // msg_id big-endian at offset 28
            0x0D, 0x0C, 0x0B, 0x0A, // source_id little-endian
        ];
        Assert.Equal(36, written);
        Assert.Equal(expected, buffer);
    }

    [Fact]
    public void Writers_reject_a_short_destination_and_the_unknown_topic()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ZmqHeaderCodec.WriteV2(new byte[27], ZmqTopic.Flow, 0, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ZmqHeaderCodec.WriteV3(new byte[35], ZmqTopic.Flow, ZmqHeaderFlags.Tlv, 0, 0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ZmqHeaderCodec.WriteV2(new byte[28], ZmqTopic.Unknown, 0, 0, 0));
    }

    [Fact]
    public void Parses_the_40_byte_legacy_header()
    {
        var frame = new byte[40];
        Encoding.ASCII.GetBytes("counter").CopyTo(frame, 0);
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(32), 2);
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(36), 777);

        Assert.Equal(ZmqHeaderStatus.Ok, ZmqHeaderCodec.TryParse(frame, out var header));
        Assert.Equal(ZmqTopic.Counter, header.Topic);
        Assert.Equal(2, header.Version);
        Assert.Equal(0u, header.MsgId);
        Assert.Equal(0u, header.SourceId);
        Assert.Equal(777u, header.UncompressedSize);
        Assert.Equal(0u, header.CompressedSize);
        Assert.Equal(40, header.HeaderLength);
        Assert.False(header.IsTlv);
    }

    [Fact]
    public void Parses_the_24_byte_header_with_one_byte_source_id_and_big_endian_msg_id()
    {
        var frame = new byte[24];
        "flow"u8.CopyTo(frame);
        frame[16] = 3;
        frame[17] = 42;
        BinaryPrimitives.WriteUInt16LittleEndian(frame.AsSpan(18), 1234);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(20), 99);

        Assert.Equal(ZmqHeaderStatus.Ok, ZmqHeaderCodec.TryParse(frame, out var header));
        Assert.Equal(ZmqTopic.Flow, header.Topic);
        Assert.Equal(3, header.Version);
        Assert.Equal(42u, header.SourceId);
        Assert.Equal(99u, header.MsgId);
        Assert.Equal(1234u, header.UncompressedSize);
        Assert.Equal(24, header.HeaderLength);
        Assert.True(header.IsTlv);
    }

    [Theory]
    [InlineData(24)]
    [InlineData(28)]
    [InlineData(36)]
    public void Version_1_reads_msg_id_in_host_order_and_no_source_id_in_every_layout(int length)
    {
        var frame = new byte[length];
        "flow"u8.CopyTo(frame);
        frame[16] = 1;
        frame[17] = 42;
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(20), 0x01020304);
        if (length >= 28)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(24), 555);
        }

        Assert.Equal(ZmqHeaderStatus.Ok, ZmqHeaderCodec.TryParse(frame, out var header));
        Assert.Equal(1, header.Version);
        Assert.Equal(0x01020304u, header.MsgId);
        Assert.Equal(0u, header.SourceId);
        Assert.Equal(length, header.HeaderLength);
    }

    [Fact]
    public void Parses_the_28_byte_header()
    {
        var frame = new byte[28];
        "hello"u8.CopyTo(frame);
        frame[16] = 2;
        BinaryPrimitives.WriteUInt16LittleEndian(frame.AsSpan(18), 10);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(20), 0xDEADBEEF);
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(24), 0xCAFEF00D);

        Assert.Equal(ZmqHeaderStatus.Ok, ZmqHeaderCodec.TryParse(frame, out var header));
        Assert.Equal(ZmqTopic.Hello, header.Topic);
        Assert.Equal(2, header.Version);
        Assert.Equal(0xDEADBEEFu, header.MsgId);
        Assert.Equal(0xCAFEF00Du, header.SourceId);
        Assert.Equal(10u, header.UncompressedSize);
        Assert.Equal(ZmqHeaderFlags.None, header.Flags);
        Assert.False(header.IsTlv);
    }

    [Fact]
    public void Parses_the_36_byte_version_4_header()
    {
        var frame = new byte[36];
        "flow"u8.CopyTo(frame);
        frame[16] = 4;
        frame[17] = 0x06;
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(20), 100);
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(24), 200);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(28), 7);
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(32), 9);

        Assert.Equal(ZmqHeaderStatus.Ok, ZmqHeaderCodec.TryParse(frame, out var header));
        Assert.Equal(4, header.Version);
        Assert.Equal(ZmqHeaderFlags.Tlv | ZmqHeaderFlags.Compressed, header.Flags);
        Assert.Equal(100u, header.UncompressedSize);
        Assert.Equal(200u, header.CompressedSize);
        Assert.Equal(7u, header.MsgId);
        Assert.Equal(9u, header.SourceId);
        Assert.True(header.IsTlv);
        Assert.True(header.IsCompressed);
        Assert.True(header.IsPayloadCompressed([0x78, 0x9C]));
        Assert.Equal(0, header.CompressedDataOffset);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(3)]
    public void A_36_byte_frame_without_version_4_matches_no_ntopng_branch(byte version)
    {
        var frame = new byte[36];
        "flow"u8.CopyTo(frame);
        frame[16] = version;
        frame[17] = 0x02;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(28), 7);
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(32), 9);

        Assert.Equal(ZmqHeaderStatus.Ok, ZmqHeaderCodec.TryParse(frame, out var header));
        Assert.Equal(0, header.Version);
        Assert.Equal(0u, header.MsgId);
        Assert.Equal(0u, header.SourceId);
        Assert.False(header.IsTlv);
        Assert.Equal(36, header.HeaderLength);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(23)]
    [InlineData(25)]
    [InlineData(27)]
    [InlineData(32)]
    [InlineData(39)]
    [InlineData(41)]
    [InlineData(200)]
    public void Other_lengths_are_rejected(int length)
    {
        Assert.Equal(ZmqHeaderStatus.BadLength, ZmqHeaderCodec.TryParse(new byte[length], out var header));
        Assert.Equal(0, header.HeaderLength);
    }

    [Theory]
    [InlineData(24)]
    [InlineData(28)]
    [InlineData(36)]
    public void Versions_above_4_are_rejected(int length)
    {
        var frame = new byte[length];
        "flow"u8.CopyTo(frame);
        frame[16] = 5;
        Assert.Equal(ZmqHeaderStatus.UnsupportedVersion, ZmqHeaderCodec.TryParse(frame, out _));
    }

    [Fact]
    public void Legacy_header_versions_above_4_are_rejected()
    {
        var frame = new byte[40];
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(32), 0x100);
        Assert.Equal(ZmqHeaderStatus.UnsupportedVersion, ZmqHeaderCodec.TryParse(frame, out _));
    }

    [Fact]
    public void WriteV2_and_WriteV3_round_trip_through_the_parser()
    {
        var buffer = new byte[36];
        ZmqHeaderCodec.WriteV2(buffer, ZmqTopic.Counter, 123456, 0xFFFFFFFE, 4000);
        Assert.Equal(ZmqHeaderStatus.Ok, ZmqHeaderCodec.TryParse(buffer.AsSpan(0, 28), out var v2));
        Assert.Equal((ZmqTopic.Counter, (byte)3, 123456u, 0xFFFFFFFEu, 4000u), (v2.Topic, v2.Version, v2.MsgId, v2.SourceId, v2.UncompressedSize));
        Assert.True(v2.IsTlv);
        Assert.False(v2.IsPayloadCompressed([0x00, 0x01]));

        ZmqHeaderCodec.WriteV3(buffer, ZmqTopic.Flow, ZmqHeaderFlags.Tlv, uint.MaxValue, 5, 70_000);
        Assert.Equal(ZmqHeaderStatus.Ok, ZmqHeaderCodec.TryParse(buffer, out var v3));
        Assert.Equal((ZmqTopic.Flow, (byte)4, uint.MaxValue, 5u, 70_000u, 70_000u), (v3.Topic, v3.Version, v3.MsgId, v3.SourceId, v3.UncompressedSize, v3.CompressedSize));
        Assert.True(v3.IsTlv);
        Assert.False(v3.IsCompressed);
    }

    [Fact]
    public void Pre_version_4_json_payloads_starting_with_zero_are_zlib_after_the_marker()
    {
        var buffer = new byte[28];
        ZmqHeaderCodec.WriteV2(buffer, ZmqTopic.Event, 1, 1, 10, ZmqPayloadFormat.Json);
        ZmqHeaderCodec.TryParse(buffer, out var header);
        Assert.True(header.IsPayloadCompressed([0x00, 0x78, 0x9C]));
        Assert.False(header.IsPayloadCompressed("{}"u8));
        Assert.False(header.IsPayloadCompressed([]));
        Assert.Equal(1, header.CompressedDataOffset);
    }

    [Fact]
    public void A_24_byte_header_with_version_4_is_plain_json_like_ntopng_flow_export()
    {
        // ntopng's own -I exporter sends zmq_msg_hdr_v1 with version 4 and a JSON payload.
        var frame = new byte[24];
        "flow"u8.CopyTo(frame);
        frame[16] = 4;
        Assert.Equal(ZmqHeaderStatus.Ok, ZmqHeaderCodec.TryParse(frame, out var header));
        Assert.False(header.IsTlv);
        Assert.False(header.IsPayloadCompressed([0x00]));
    }

    [Theory]
    [InlineData("flow", ZmqTopic.Flow)]
    [InlineData("f", ZmqTopic.Flow)]
    [InlineData("fxyz", ZmqTopic.Flow)]
    [InlineData("counter", ZmqTopic.Counter)]
    [InlineData("event", ZmqTopic.Event)]
    [InlineData("template", ZmqTopic.Template)]
    [InlineData("option", ZmqTopic.Option)]
    [InlineData("hello", ZmqTopic.Hello)]
    [InlineData("listening-ports", ZmqTopic.ListeningPorts)]
    [InlineData("snmp-ifaces", ZmqTopic.SnmpInterfaces)]
    [InlineData("message", ZmqTopic.Unknown)]
    [InlineData("Flow", ZmqTopic.Unknown)]
    [InlineData("", ZmqTopic.Unknown)]
    public void Topic_is_chosen_by_its_first_character(string topic, ZmqTopic expected)
    {
        Assert.Equal(expected, ZmqTopics.Classify(Encoding.ASCII.GetBytes(topic)));
    }

    [Fact]
    public void Every_topic_name_fits_the_url_field_and_classifies_back()
    {
        foreach (var topic in Enum.GetValues<ZmqTopic>().Where(t => t != ZmqTopic.Unknown))
        {
            var name = ZmqTopics.GetUtf8Name(topic);
            Assert.True(name.Length < ZmqHeaderCodec.TopicFieldLength);
            Assert.Equal(topic, ZmqTopics.Classify(name));
            Assert.Equal(ZmqTopics.GetName(topic), Encoding.ASCII.GetString(name));

            var frame = new byte[28];
            ZmqHeaderCodec.WriteV2(frame, topic, 0, 0, 0);
            ZmqHeaderCodec.TryParse(frame, out var header);
            Assert.Equal(topic, header.Topic);
        }
    }
}
