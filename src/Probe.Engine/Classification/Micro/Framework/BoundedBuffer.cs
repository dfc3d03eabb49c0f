using System.Buffers;

namespace Flowhive.Probe.Engine.Classification.Micro.Framework;

/// <summary>
/// A per-flow byte buffer with a hard bound (<see cref="MaxLength"/>). The array comes from the shared array pool
/// the first time bytes must be kept and goes back when the flow's state is released, so flows that never need
/// one (most) cost nothing, and no flow can make the engine allocate more than the bound.
/// </summary>
public struct BoundedBuffer
{
    /// <summary>Enough for a TLS server flight up to the certificate chain, or a QUIC ClientHello.</summary>
    public const int MaxLength = 16 * 1024;

    private const int InitialLength = 2048;

    private byte[]? _array;
    private int _length;

    /// <summary>Bytes held.</summary>
    public readonly int Length => _length;

    /// <summary>Set when bytes were dropped because the bound was reached.</summary>
    public bool Overflowed { get; private set; }

    public readonly ReadOnlySpan<byte> Data => _array is null ? [] : _array.AsSpan(0, _length);

    /// <summary>Appends what fits under the bound; sets <see cref="Overflowed"/> when not everything did.</summary>
    public void Append(ReadOnlySpan<byte> bytes)
    {
        var room = MaxLength - _length;
        if (bytes.Length > room)
        {
            Overflowed = true;
            bytes = bytes[..room];
        }

        if (bytes.IsEmpty)
        {
            return;
        }

        EnsureCapacity(_length + bytes.Length);
        bytes.CopyTo(_array.AsSpan(_length));
        _length += bytes.Length;
    }

    /// <summary>Drops the first <paramref name="count"/> bytes.</summary>
    public void Consume(int count)
    {
        if (count >= _length)
        {
            _length = 0;
            return;
        }

        if (count > 0)
        {
            _array.AsSpan(count, _length - count).CopyTo(_array);
            _length -= count;
        }
    }

    /// <summary>
    /// Writes <paramref name="bytes"/> at <paramref name="offset"/> (growing <see cref="Length"/> to cover them), for
    /// data that arrives out of order with explicit offsets (QUIC CRYPTO frames). False when it would pass the bound.
    /// </summary>
    public bool WriteAt(int offset, ReadOnlySpan<byte> bytes)
    {
        if (offset < 0 || offset > MaxLength - bytes.Length)
        {
            Overflowed = true;
            return false;
        }

        var end = offset + bytes.Length;
        EnsureCapacity(end);
        if (offset > _length)
        {
            _array.AsSpan(_length, offset - _length).Clear();
        }

        bytes.CopyTo(_array.AsSpan(offset));
        _length = Math.Max(_length, end);
        return true;
    }

    /// <summary>Empties the buffer and returns its array to the pool.</summary>
    public void Release()
    {
        if (_array is not null)
        {
            ArrayPool<byte>.Shared.Return(_array);
            _array = null;
        }

        _length = 0;
        Overflowed = false;
    }

    [System.Diagnostics.CodeAnalysis.MemberNotNull(nameof(_array))]
    private void EnsureCapacity(int needed)
    {
        if (_array is not null && _array.Length >= needed)
        {
            return;
        }

        var size = Math.Min(Math.Max(needed, Math.Max(InitialLength, (_array?.Length ?? 0) * 2)), MaxLength);
        var grown = ArrayPool<byte>.Shared.Rent(size);
        if (_array is not null)
        {
            _array.AsSpan(0, _length).CopyTo(grown);
            ArrayPool<byte>.Shared.Return(_array);
        }

        _array = grown;
    }
}
