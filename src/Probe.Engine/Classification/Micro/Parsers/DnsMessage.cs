using System.Buffers.Binary;

namespace Flowhive.Probe.Engine.Classification.Micro.Parsers;

/// <summary>A DNS message header (RFC 1035 section 4.1.1) over the message bytes, with readers for its question and answers.</summary>
public readonly ref struct DnsMessage
{
    public const int HeaderLength = 12;

    private DnsMessage(ReadOnlySpan<byte> bytes)
    {
        Bytes = bytes;
        Id = BinaryPrimitives.ReadUInt16BigEndian(bytes);
        Flags = BinaryPrimitives.ReadUInt16BigEndian(bytes[2..]);
        QuestionCount = BinaryPrimitives.ReadUInt16BigEndian(bytes[4..]);
        AnswerCount = BinaryPrimitives.ReadUInt16BigEndian(bytes[6..]);
        AuthorityCount = BinaryPrimitives.ReadUInt16BigEndian(bytes[8..]);
        AdditionalCount = BinaryPrimitives.ReadUInt16BigEndian(bytes[10..]);
    }

    public ReadOnlySpan<byte> Bytes { get; }

    public ushort Id { get; }

    public ushort Flags { get; }

    public ushort QuestionCount { get; }

    public ushort AnswerCount { get; }

    public ushort AuthorityCount { get; }

    public ushort AdditionalCount { get; }

    public bool IsResponse => (Flags & 0x8000) != 0;

    public int Opcode => (Flags >> 11) & 0xF;

    public byte ResponseCode => (byte)(Flags & 0xF);

    public static bool TryParse(ReadOnlySpan<byte> bytes, out DnsMessage message)
    {
        if (bytes.Length < HeaderLength)
        {
            message = default;
            return false;
        }

        message = new DnsMessage(bytes);
        return true;
    }

    /// <summary>The first question's name (into <paramref name="name"/>), type and class; <paramref name="next"/> is where the next section starts.</summary>
    public bool TryReadQuestion(int offset, Span<byte> name, out int nameLength, out ushort type, out ushort dnsClass, out int next)
    {
        type = dnsClass = 0;
        if (!DnsName.TryRead(Bytes, offset, name, out nameLength, out next) || Bytes.Length - next < 4)
        {
            next = -1;
            return false;
        }

        type = BinaryPrimitives.ReadUInt16BigEndian(Bytes[next..]);
        dnsClass = BinaryPrimitives.ReadUInt16BigEndian(Bytes[(next + 2)..]);
        next += 4;
        return true;
    }

    /// <summary>Skips <paramref name="count"/> questions from <paramref name="offset"/>; the offset after them or -1.</summary>
    public int SkipQuestions(int offset, int count)
    {
        for (var i = 0; i < count && offset >= 0; i++)
        {
            offset = DnsName.Skip(Bytes, offset);
            offset = offset >= 0 && Bytes.Length - offset >= 4 ? offset + 4 : -1;
        }

        return offset;
    }

    /// <summary>Reads the resource record at <paramref name="offset"/>: its owner name's offset, type, TTL and data.</summary>
    public bool TryReadRecord(int offset, out int nameOffset, out ushort type, out uint ttl, out ReadOnlySpan<byte> data, out int next)
    {
        nameOffset = offset;
        type = 0;
        ttl = 0;
        data = [];
        next = DnsName.Skip(Bytes, offset);
        if (next < 0 || Bytes.Length - next < 10)
        {
            next = -1;
            return false;
        }

        type = BinaryPrimitives.ReadUInt16BigEndian(Bytes[next..]);
        ttl = BinaryPrimitives.ReadUInt32BigEndian(Bytes[(next + 4)..]);
        int length = BinaryPrimitives.ReadUInt16BigEndian(Bytes[(next + 8)..]);
        next += 10;
        if (Bytes.Length - next < length)
        {
            next = -1;
            return false;
        }

        data = Bytes.Slice(next, length);
        next += length;
        return true;
    }
}
