namespace Flowhive.Shared.Wire;

/// <summary>Receives the fields of one flow record; implemented per encoding (TLV, JSON).</summary>
internal interface IFlowFieldSink
{
    void WriteUInt(uint id, ulong value);

    void WriteFloat(uint id, float value);

    /// <summary>Text that is already UTF-8 and short (addresses, MACs, "master.app").</summary>
    void WriteUtf8(uint id, scoped ReadOnlySpan<byte> utf8);

    /// <summary>Free text, cut at a character boundary to at most <paramref name="maxUtf8Bytes"/> UTF-8 bytes.</summary>
    void WriteText(uint id, scoped ReadOnlySpan<char> text, int maxUtf8Bytes);
}
