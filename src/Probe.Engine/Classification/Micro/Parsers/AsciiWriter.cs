namespace Flowhive.Probe.Engine.Classification.Micro.Parsers;

/// <summary>Writes ASCII text into a caller's span (fingerprint strings before hashing); never writes past it, remembers that it ran out instead.</summary>
public ref struct AsciiWriter(Span<byte> destination)
{
    private readonly Span<byte> _destination = destination;
    private int _length;

    public readonly int Length => _length;

    /// <summary>Set when something did not fit: the text is incomplete.</summary>
    public bool Overflowed { get; private set; }

    public readonly ReadOnlySpan<byte> Written => _destination[.._length];

    public void Append(char c)
    {
        if (_length < _destination.Length)
        {
            _destination[_length++] = (byte)c;
        }
        else
        {
            Overflowed = true;
        }
    }

    /// <summary>Copies ASCII bytes as they are (SSH algorithm name-lists); writes nothing and sets <see cref="Overflowed"/> when they do not fit.</summary>
    public void Append(ReadOnlySpan<byte> bytes)
    {
        if (bytes.TryCopyTo(_destination[_length..]))
        {
            _length += bytes.Length;
        }
        else
        {
            Overflowed = true;
        }
    }

    public void AppendDecimal(uint value)
    {
        if (value.TryFormat(_destination[_length..], out var written, default, System.Globalization.CultureInfo.InvariantCulture))
        {
            _length += written;
        }
        else
        {
            Overflowed = true;
        }
    }

    /// <summary>Four lowercase hex digits (JA4 writes every 16-bit value this way).</summary>
    public void AppendHex4(ushort value)
    {
        if (_destination.Length - _length < 4)
        {
            Overflowed = true;
            return;
        }

        for (var shift = 12; shift >= 0; shift -= 4)
        {
            _destination[_length++] = (byte)"0123456789abcdef"[(value >> shift) & 0xF];
        }
    }
}
