namespace Flowhive.Probe.Engine.Classification.Micro.Parsers;

/// <summary>
/// The Initial keys of recently seen connection ids, so that a client's repeated Initials (retransmissions,
/// coalesced packets, an Initial that needs a second look) do not derive the same keys again: five HMACs per
/// derivation. Direct-mapped, fixed size, allocation-free after construction; one per decryptor (per worker).
/// </summary>
internal sealed class QuicInitialKeyCache
{
    public const int KeyLength = 16;
    public const int IvLength = 12;
    public const int MaxIdLength = 20;
    private const int Slots = 64;
    private const int EntryKeys = KeyLength + IvLength + KeyLength;

    private readonly byte[] _ids = new byte[Slots * MaxIdLength];
    private readonly byte[] _tags = new byte[Slots]; // id length + 1, plus direction and version bits; 0 = empty
    private readonly byte[] _keys = new byte[Slots * EntryKeys];

    /// <summary>Copies the cached key, IV and header-protection key for this id into the spans; false when absent.</summary>
    public bool TryGet(ReadOnlySpan<byte> connectionId, bool client, bool v2, Span<byte> key, Span<byte> iv, Span<byte> hp)
    {
        if (connectionId.Length > MaxIdLength)
        {
            return false;
        }

        var slot = Slot(connectionId, client, v2);
        if (_tags[slot] != Tag(connectionId, client, v2) || !_ids.AsSpan(slot * MaxIdLength, connectionId.Length).SequenceEqual(connectionId))
        {
            return false;
        }

        var keys = _keys.AsSpan(slot * EntryKeys, EntryKeys);
        keys[..KeyLength].CopyTo(key);
        keys.Slice(KeyLength, IvLength).CopyTo(iv);
        keys[(KeyLength + IvLength)..].CopyTo(hp);
        return true;
    }

    public void Add(ReadOnlySpan<byte> connectionId, bool client, bool v2, ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv, ReadOnlySpan<byte> hp)
    {
        if (connectionId.Length > MaxIdLength)
        {
            return;
        }

        var slot = Slot(connectionId, client, v2);
        _tags[slot] = Tag(connectionId, client, v2);
        connectionId.CopyTo(_ids.AsSpan(slot * MaxIdLength));
        var keys = _keys.AsSpan(slot * EntryKeys, EntryKeys);
        key.CopyTo(keys);
        iv.CopyTo(keys[KeyLength..]);
        hp.CopyTo(keys[(KeyLength + IvLength)..]);
    }

    private static byte Tag(ReadOnlySpan<byte> connectionId, bool client, bool v2) =>
        (byte)((connectionId.Length + 1) | (client ? 0x40 : 0) | (v2 ? 0x80 : 0));

    private static int Slot(ReadOnlySpan<byte> connectionId, bool client, bool v2)
    {
        var hash = 2166136261u; // FNV-1a: connection ids are random, any mixing spreads them
        foreach (var b in connectionId)
        {
            hash = (hash ^ b) * 16777619;
        }

        hash ^= (client ? 1u : 0) | (v2 ? 2u : 0);
        return (int)(hash % Slots);
    }
}
