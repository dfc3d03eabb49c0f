using System.Text;
using Flowhive.Shared.Wire;

namespace Flowhive.Shared.Messages.Tests.Wire;

public sealed class TlvWriterTests
{
    private delegate bool WriteAction(ref TlvWriter writer);

    private static byte[] Write(WriteAction action, int capacity = 256)
    {
        var buffer = new byte[capacity];
        var writer = new TlvWriter(buffer);
        Assert.True(action(ref writer));
        return buffer[..writer.Position];
    }

    [Fact]
    public void Header_is_version_1_format_tlv()
    {
        Assert.Equal(new byte[] { 0x01, 0x01 }, Write((ref TlvWriter w) => w.TryWriteHeader()));
    }

    [Fact]
    public void Golden_u8_key_u8_value()
    {
        Assert.Equal(new byte[] { 0x22, 0x0A, 0x0B }, Write((ref TlvWriter w) => w.TryWriteUInt(10, 11)));
    }

    [Fact]
    public void Golden_u8_key_string_value()
    {
        var expected = new byte[] { 0x2B, 0x82, 0x00, 0x0C }.Concat("172.16.1.254"u8.ToArray()).ToArray();
        Assert.Equal(expected, Write((ref TlvWriter w) => w.TryWriteString(130, "172.16.1.254"u8)));
        Assert.Equal(expected, Write((ref TlvWriter w) => w.TryWriteString(130, "172.16.1.254".AsSpan())));
    }

    [Fact]
    public void End_of_record_is_a_single_0x01()
    {
        Assert.Equal(new byte[] { 0x01 }, Write((ref TlvWriter w) => w.TryWriteEndOfRecord()));
    }

    [Theory]
    [InlineData(0UL, new byte[] { 0x22, 0x01, 0x00 })]
    [InlineData(255UL, new byte[] { 0x22, 0x01, 0xFF })]
    [InlineData(256UL, new byte[] { 0x23, 0x01, 0x01, 0x00 })]
    [InlineData(65535UL, new byte[] { 0x23, 0x01, 0xFF, 0xFF })]
    [InlineData(65536UL, new byte[] { 0x24, 0x01, 0x00, 0x01, 0x00, 0x00 })]
    [InlineData(4294967295UL, new byte[] { 0x24, 0x01, 0xFF, 0xFF, 0xFF, 0xFF })]
    [InlineData(4294967296UL, new byte[] { 0x25, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00 })]
    [InlineData(ulong.MaxValue, new byte[] { 0x25, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF })]
    public void Unsigned_values_shrink_to_the_smallest_big_endian_width(ulong value, byte[] expected)
    {
        Assert.Equal(expected, Write((ref TlvWriter w) => w.TryWriteUInt(1, value)));
    }

    [Theory]
    [InlineData(0L, new byte[] { 0x26, 0x01, 0x00 })]
    [InlineData(-1L, new byte[] { 0x26, 0x01, 0xFF })]
    [InlineData(127L, new byte[] { 0x26, 0x01, 0x7F })]
    [InlineData(-128L, new byte[] { 0x26, 0x01, 0x80 })]
    [InlineData(128L, new byte[] { 0x27, 0x01, 0x00, 0x80 })]
    [InlineData(-129L, new byte[] { 0x27, 0x01, 0xFF, 0x7F })]
    [InlineData(32767L, new byte[] { 0x27, 0x01, 0x7F, 0xFF })]
    [InlineData(-32769L, new byte[] { 0x28, 0x01, 0xFF, 0xFF, 0x7F, 0xFF })]
    [InlineData(2147483647L, new byte[] { 0x28, 0x01, 0x7F, 0xFF, 0xFF, 0xFF })]
    [InlineData(2147483648L, new byte[] { 0x29, 0x01, 0x00, 0x00, 0x00, 0x00, 0x80, 0x00, 0x00, 0x00 })]
    [InlineData(long.MinValue, new byte[] { 0x29, 0x01, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 })]
    public void Signed_values_shrink_to_the_smallest_big_endian_width(long value, byte[] expected)
    {
        Assert.Equal(expected, Write((ref TlvWriter w) => w.TryWriteInt(1, value)));
    }

    [Theory]
    [InlineData(255u, new byte[] { 0x22, 0xFF, 0x07 })]
    [InlineData(256u, new byte[] { 0x32, 0x01, 0x00, 0x07 })]
    [InlineData(57590u, new byte[] { 0x32, 0xE0, 0xF6, 0x07 })]
    [InlineData(65536u, new byte[] { 0x42, 0x00, 0x01, 0x00, 0x00, 0x07 })]
    public void Numeric_keys_shrink_to_u8_u16_u32(uint key, byte[] expected)
    {
        Assert.Equal(expected, Write((ref TlvWriter w) => w.TryWriteUInt(key, 7)));
    }

    [Fact]
    public void Float_is_four_little_endian_bytes_with_type_10()
    {
        Assert.Equal(new byte[] { 0x2A, 0x7B, 0x00, 0x00, 0xC0, 0x3F }, Write((ref TlvWriter w) => w.TryWriteFloat(123, 1.5f)));
    }

    [Fact]
    public void String_keys_carry_a_u16_length()
    {
        var expected = new byte[] { 0xB2, 0x00, 0x08 }.Concat("IN_BYTES"u8.ToArray()).Append((byte)0x05).ToArray();
        Assert.Equal(expected, Write((ref TlvWriter w) => w.TryWriteUInt("IN_BYTES"u8, 5)));
        Assert.Equal(
            new byte[] { 0xB6, 0x00, 0x01, (byte)'k', 0xFE },
            Write((ref TlvWriter w) => w.TryWriteInt("k"u8, -2)));
        Assert.Equal(
            new byte[] { 0xBA, 0x00, 0x01, (byte)'k', 0x00, 0x00, 0x80, 0x3F },
            Write((ref TlvWriter w) => w.TryWriteFloat("k"u8, 1f)));
        Assert.Equal(
            new byte[] { 0xBB, 0x00, 0x01, (byte)'k', 0x00, 0x02, (byte)'h', (byte)'i' },
            Write((ref TlvWriter w) => w.TryWriteString("k"u8, "hi"u8)));
    }

    [Fact]
    public void Text_is_transcoded_to_utf8_and_cut_at_a_character_boundary()
    {
        // "é" is two UTF-8 bytes: a 4-byte limit keeps "aé" (3 bytes) and none of the next "é".
        var bytes = Write((ref TlvWriter w) => w.TryWriteString(1, "aéé".AsSpan(), maxBytes: 4));
        Assert.Equal(new byte[] { 0x2B, 0x01, 0x00, 0x03 }.Concat(Encoding.UTF8.GetBytes("aé")).ToArray(), bytes);
    }

    [Fact]
    public void Lone_surrogates_become_replacement_characters()
    {
        var bytes = Write((ref TlvWriter w) => w.TryWriteString(1, "\uD800".AsSpan()));
        Assert.Equal(new byte[] { 0x2B, 0x01, 0x00, 0x03, 0xEF, 0xBF, 0xBD }, bytes);
    }

    [Fact]
    public void A_write_that_does_not_fit_writes_nothing_and_flags_overflow()
    {
        var buffer = new byte[5];
        var writer = new TlvWriter(buffer);
        Assert.True(writer.TryWriteHeader());
        Assert.False(writer.TryWriteUInt(1, 70000));
        Assert.True(writer.HasOverflowed);
        Assert.Equal(2, writer.Position);
        Assert.False(writer.TryWriteString(1, "abc"u8));
        Assert.False(writer.TryWriteString(1, "abc".AsSpan()));
        Assert.Equal(2, writer.Position);
        Assert.True(writer.TryWriteUInt(1, 1));
        Assert.Equal(5, writer.Position);
        Assert.False(writer.TryWriteEndOfRecord());
    }

    [Fact]
    public void Text_that_runs_out_of_buffer_is_an_overflow_not_a_cut()
    {
        var buffer = new byte[8];
        var writer = new TlvWriter(buffer);
        Assert.False(writer.TryWriteString(1, "abcdefgh".AsSpan(), maxBytes: 100));
        Assert.Equal(0, writer.Position);
        Assert.True(writer.HasOverflowed);
        Assert.True(writer.TryWriteString(1, "abcdefgh".AsSpan(), maxBytes: 4));
        Assert.Equal(8, writer.Position);
    }

    [Fact]
    public void Rewind_drops_a_partial_record()
    {
        var buffer = new byte[16];
        var writer = new TlvWriter(buffer);
        writer.TryWriteHeader();
        var mark = writer.Position;
        writer.TryWriteUInt(1, 1);
        writer.TryWriteString(2, "too long for the rest"u8);
        Assert.True(writer.HasOverflowed);
        writer.Rewind(mark);
        Assert.False(writer.HasOverflowed);
        Assert.Equal(2, writer.Position);
        Assert.Throws<ArgumentOutOfRangeException>(() =>
        {
            var w = new TlvWriter(new byte[4]);
            w.Rewind(1);
        });
    }

    [Fact]
    public void Oversized_strings_are_a_programming_error()
    {
        var big = new byte[70_000];
        Assert.Throws<ArgumentOutOfRangeException>(() =>
        {
            var w = new TlvWriter(new byte[100_000]);
            w.TryWriteString(1, big);
        });
        Assert.Throws<ArgumentOutOfRangeException>(() =>
        {
            var w = new TlvWriter(new byte[100_000]);
            w.TryWriteUInt(big, 1);
        });
    }
}
