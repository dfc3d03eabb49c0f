namespace Flowhive.Probe.Engine.Classification.Micro.Parsers;

/// <summary>
/// DER (X.690) tag-length-value reads over untrusted bytes: single-byte tags, definite lengths of at most four
/// bytes, every element checked to lie inside its parent. Enough for X.509 certificate names and dates.
/// </summary>
public ref struct DerReader(ReadOnlySpan<byte> data)
{
    public const byte Sequence = 0x30;
    public const byte Set = 0x31;
    public const byte Integer = 0x02;
    public const byte ObjectIdentifier = 0x06;
    public const byte UtcTime = 0x17;
    public const byte GeneralizedTime = 0x18;

    private readonly ReadOnlySpan<byte> _data = data;
    private int _position;

    public readonly bool IsEmpty => _position >= _data.Length;

    /// <summary>Reads the next element: its tag and contents.</summary>
    public bool TryRead(out byte tag, out ReadOnlySpan<byte> contents)
    {
        tag = 0;
        contents = [];
        var p = _position;
        if (_data.Length - p < 2)
        {
            return false;
        }

        tag = _data[p++];
        if ((tag & 0x1F) == 0x1F)
        {
            return false; // multi-byte tags appear nowhere in the parts of a certificate we read
        }

        int length = _data[p++];
        if (length >= 0x80)
        {
            var count = length & 0x7F;
            if (count == 0 || count > 4 || _data.Length - p < count)
            {
                return false; // indefinite lengths are not DER; more than four length bytes cannot fit a packet
            }

            long value = 0;
            for (var i = 0; i < count; i++)
            {
                value = (value << 8) | _data[p++];
            }

            if (value > int.MaxValue)
            {
                return false;
            }

            length = (int)value;
        }

        if (_data.Length - p < length)
        {
            return false;
        }

        contents = _data.Slice(p, length);
        _position = p + length;
        return true;
    }

    /// <summary>Reads the next element if it has <paramref name="expectedTag"/>.</summary>
    public bool TryRead(byte expectedTag, out ReadOnlySpan<byte> contents)
    {
        var start = _position;
        if (TryRead(out var tag, out contents) && tag == expectedTag)
        {
            return true;
        }

        _position = start;
        contents = [];
        return false;
    }

    /// <summary>Whether the next element has <paramref name="tag"/>, without reading it.</summary>
    public readonly bool PeekTag(byte tag) => _position < _data.Length && _data[_position] == tag;
}
