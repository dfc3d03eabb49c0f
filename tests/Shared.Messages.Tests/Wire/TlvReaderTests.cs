using System.Text;
using Flowhive.Shared.Wire;

namespace Flowhive.Shared.Messages.Tests.Wire;

public sealed class TlvReaderTests
{
    private static byte[] Payload(params byte[] items) => [0x01, 0x01, .. items];

    [Fact]
    public void Reads_the_golden_items()
    {
        var payload = Payload([0x22, 0x0A, 0x0B, 0x2B, 0x82, 0x00, 0x0C, .. "172.16.1.254"u8.ToArray(), 0x01]);
        var reader = new TlvReader(payload);

        Assert.Equal(TlvReadStatus.Item, reader.Read());
        Assert.Equal((TlvType.UInt8, 10u, TlvType.UInt8, 11UL), (reader.KeyType, reader.Key, reader.ValueType, reader.UInt64Value));

        Assert.Equal(TlvReadStatus.Item, reader.Read());
        Assert.Equal(130u, reader.Key);
        Assert.Equal(TlvType.String, reader.ValueType);
        Assert.Equal("172.16.1.254", Encoding.ASCII.GetString(reader.StringValue));

        Assert.Equal(TlvReadStatus.EndOfRecord, reader.Read());
        Assert.Equal(TlvReadStatus.End, reader.Read());
        Assert.Equal(TlvReadStatus.End, reader.Read());
        Assert.Equal(payload.Length, reader.Position);
    }

    [Fact]
    public void Round_trips_every_value_and_key_type()
    {
        var buffer = new byte[512];
        var writer = new TlvWriter(buffer);
        writer.TryWriteHeader();
        writer.TryWriteUInt(1, 200);
        writer.TryWriteUInt(2, 60_000);
        writer.TryWriteUInt(3, 4_000_000_000);
        writer.TryWriteUInt(4, ulong.MaxValue);
        writer.TryWriteInt(5, -100);
        writer.TryWriteInt(6, -30_000);
        writer.TryWriteInt(7, -2_000_000_000);
        writer.TryWriteInt(8, long.MinValue);
        writer.TryWriteFloat(70_000, 3.25f);
        writer.TryWriteString(300, "héllo".AsSpan());
        writer.TryWriteUInt("35632.118"u8, 9);
        writer.TryWriteString(""u8, ""u8);
        writer.TryWriteEndOfRecord();

        var reader = new TlvReader(buffer.AsSpan(0, writer.Position));
        Expect(ref reader, TlvType.UInt8, 1, r => Assert.Equal(200UL, r.UInt64));
        Expect(ref reader, TlvType.UInt16, 2, r => Assert.Equal(60_000UL, r.UInt64));
        Expect(ref reader, TlvType.UInt32, 3, r => Assert.Equal(4_000_000_000UL, r.UInt64));
        Expect(ref reader, TlvType.UInt64, 4, r => Assert.Equal(ulong.MaxValue, r.UInt64));
        Expect(ref reader, TlvType.Int8, 5, r => Assert.Equal(-100L, r.Int64));
        Expect(ref reader, TlvType.Int16, 6, r => Assert.Equal(-30_000L, r.Int64));
        Expect(ref reader, TlvType.Int32, 7, r => Assert.Equal(-2_000_000_000L, r.Int64));
        Expect(ref reader, TlvType.Int64, 8, r => Assert.Equal(long.MinValue, r.Int64));
        Expect(ref reader, TlvType.Float, 70_000, r => Assert.Equal(3.25f, r.Float));
        Assert.Equal(TlvType.UInt32, reader.KeyType);
        Expect(ref reader, TlvType.String, 300, r => Assert.Equal("héllo", r.Text));
        Assert.Equal(TlvType.UInt16, reader.KeyType);

        Assert.Equal(TlvReadStatus.Item, reader.Read());
        Assert.True(reader.HasStringKey);
        Assert.Equal("35632.118", Encoding.ASCII.GetString(reader.KeyString));
        Assert.True(reader.IsUnsigned);
        Assert.Equal(9UL, reader.UInt64Value);

        Assert.Equal(TlvReadStatus.Item, reader.Read());
        Assert.True(reader.HasStringKey);
        Assert.True(reader.KeyString.IsEmpty);
        Assert.True(reader.StringValue.IsEmpty);

        Assert.Equal(TlvReadStatus.EndOfRecord, reader.Read());
        Assert.Equal(TlvReadStatus.End, reader.Read());
    }

    private readonly record struct Value(ulong UInt64, long Int64, float Float, string Text);

    private static void Expect(ref TlvReader reader, TlvType type, uint key, Action<Value> check)
    {
        Assert.Equal(TlvReadStatus.Item, reader.Read());
        Assert.Equal(type, reader.ValueType);
        Assert.Equal(key, reader.Key);
        Assert.False(reader.HasStringKey);
        check(new Value(reader.UInt64Value, reader.Int64Value, reader.FloatValue, Encoding.UTF8.GetString(reader.StringValue)));
    }

    [Theory]
    [InlineData(new byte[0], TlvReadStatus.BadHeader)]
    [InlineData(new byte[] { 0x01 }, TlvReadStatus.BadHeader)]
    [InlineData(new byte[] { 0x02, 0x01 }, TlvReadStatus.UnsupportedSerializerVersion)]
    [InlineData(new byte[] { 0x00, 0x01, 0x22, 0x01, 0x01 }, TlvReadStatus.UnsupportedSerializerVersion)]
    [InlineData(new byte[] { 0x01, 0x02 }, TlvReadStatus.UnsupportedFormat)]
    [InlineData(new byte[] { 0x01, 0x04, 0x22, 0x01, 0x01 }, TlvReadStatus.UnsupportedFormat)]
    public void Bad_headers_are_reported_on_first_read(byte[] payload, TlvReadStatus expected)
    {
        var reader = new TlvReader(payload);
        Assert.Equal(expected, reader.HeaderStatus);
        Assert.Equal(expected, reader.Read());
        Assert.Equal(expected, reader.Read());
        Assert.Equal(expected, TlvReader.CheckHeader(payload));
    }

    [Theory]
    [InlineData(new byte[] { 0x2B, 0x01 })] // string length missing
    [InlineData(new byte[] { 0x2B, 0x01, 0x00 })] // string length cut in half
    [InlineData(new byte[] { 0x2B, 0x01, 0x00, 0x05, (byte)'a' })] // string body short
    [InlineData(new byte[] { 0x2B, 0x01, 0xFF, 0xFF, (byte)'a' })] // huge declared length
    [InlineData(new byte[] { 0xB2, 0x00, 0x09, (byte)'k' })] // string key short
    [InlineData(new byte[] { 0x32, 0x01 })] // u16 key short
    [InlineData(new byte[] { 0x42, 0x00, 0x00, 0x01 })] // u32 key short
    [InlineData(new byte[] { 0x22 })] // key missing
    [InlineData(new byte[] { 0x22, 0x01 })] // u8 value missing
    [InlineData(new byte[] { 0x25, 0x01, 0, 0, 0, 0, 0, 0, 0 })] // u64 one byte short
    [InlineData(new byte[] { 0x29, 0x01, 0, 0, 0 })] // i64 short
    [InlineData(new byte[] { 0x2A, 0x01, 0, 0, 0 })] // float short
    public void Truncated_items_are_reported_without_reading_past_the_buffer(byte[] item)
    {
        var reader = new TlvReader(Payload(item));
        Assert.Equal(TlvReadStatus.TruncatedItem, reader.Read());
        Assert.Equal(2, reader.Position);
        Assert.Equal(TlvReadStatus.TruncatedItem, reader.Read());
    }

    [Theory]
    [InlineData(0x52)] // u64 key
    [InlineData(0x62)] // i8 key
    [InlineData(0x92)] // i64 key
    [InlineData(0xA2)] // float key
    [InlineData(0xC2)] // start-of-block key
    [InlineData(0xD2)] // end-of-block key
    [InlineData(0xE2)] // start-of-list key
    [InlineData(0xF2)] // end-of-list key
    [InlineData(0x02)] // unknown key with a value
    [InlineData(0x12)] // end-of-record as key
    [InlineData(0x21)] // a key in front of the end-of-record marker
    public void Unsupported_key_types_are_reported(byte type)
    {
        var reader = new TlvReader(Payload(type, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01));
        Assert.Equal(TlvReadStatus.UnsupportedKeyType, reader.Read());
    }

    [Theory]
    [InlineData(0x2C)] // start of block
    [InlineData(0x2D)] // end of block
    [InlineData(0x2E)] // start of list
    [InlineData(0x2F)] // end of list
    [InlineData(0xBC)]
    public void Block_and_list_values_are_reported(byte type)
    {
        var reader = new TlvReader(Payload(0x22, 0x01, 0x01, type, 0x01, 0x00, 0x01, 0x41));
        Assert.Equal(TlvReadStatus.Item, reader.Read());
        Assert.Equal(TlvReadStatus.UnsupportedValueType, reader.Read());
        Assert.Equal(5, reader.Position);
    }

    [Fact]
    public void The_double_type_16_cannot_be_expressed_and_0x10_ends_the_buffer()
    {
        // nDPI's double is type 16, which does not fit a 4-bit nibble; the byte 0x10 reads as key type 1 with
        // value type 0, and a value type of 0 is where ntopng's loop stops.
        var reader = new TlvReader(Payload(0x22, 0x01, 0x01, 0x10, 0x22, 0x01, 0x01));
        Assert.Equal(TlvReadStatus.Item, reader.Read());
        Assert.Equal(TlvReadStatus.End, reader.Read());
        Assert.Equal(5, reader.Position);
    }

    [Fact]
    public void A_zero_type_byte_ends_the_buffer()
    {
        var reader = new TlvReader(Payload(0x01, 0x00, 0x22, 0x01, 0x01));
        Assert.Equal(TlvReadStatus.EndOfRecord, reader.Read());
        Assert.Equal(TlvReadStatus.End, reader.Read());
    }

    [Fact]
    public void An_empty_body_is_the_end()
    {
        var reader = new TlvReader(Payload());
        Assert.Equal(TlvReadStatus.Item, reader.HeaderStatus);
        Assert.Equal(TlvReadStatus.End, reader.Read());
    }
}
