namespace Flowhive.Shared.Wire;

/// <summary>One field value as read from the wire, independent of the encoding it came in.</summary>
internal readonly ref struct WireValue
{
    private WireValue(WireValueKind kind, ulong unsigned, long signed, double number, ReadOnlySpan<byte> text)
    {
        Kind = kind;
        Unsigned = unsigned;
        Signed = signed;
        Float = number;
        Text = text;
    }

    public WireValueKind Kind { get; }

    public ulong Unsigned { get; }

    public long Signed { get; }

    public double Float { get; }

    /// <summary>UTF-8 bytes, already unescaped.</summary>
    public ReadOnlySpan<byte> Text { get; }

    public static WireValue FromUnsigned(ulong value) => new(WireValueKind.Unsigned, value, 0, 0, default);

    public static WireValue FromSigned(long value) => new(WireValueKind.Signed, 0, value, 0, default);

    public static WireValue FromFloat(double value) => new(WireValueKind.Float, 0, 0, value, default);

    public static WireValue FromText(ReadOnlySpan<byte> utf8) => new(WireValueKind.Text, 0, 0, 0, utf8);

    public static WireValue Other => new(WireValueKind.Other, 0, 0, 0, default);
}
