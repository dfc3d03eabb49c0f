namespace Flowhive.Probe.Engine.Classification.Micro.Framework;

/// <summary>
/// Bounded in-order reassembly of one direction of a TCP flow, for the few dissectors whose messages span segments
/// (a TLS certificate flight, HTTP headers). Zero-copy when a segment holds whole messages: <see cref="Accept"/>
/// hands back the segment itself and only an unparsed tail is copied (<see cref="Keep"/>). Retransmitted bytes are
/// skipped; a gap (lost or reordered segment) ends the stream (<see cref="Broken"/>), as guessing would mis-parse.
/// </summary>
public struct TcpStream
{
    private BoundedBuffer _pending;
    private uint _nextSeq;
    private bool _started;
    private bool _handedOutSegment;

    /// <summary>Bytes are missing: nothing more will come out of this stream.</summary>
    public bool Broken { get; private set; }

    /// <summary>A kept tail passed <see cref="BoundedBuffer.MaxLength"/>: the stream was cut.</summary>
    public readonly bool Overflowed => _pending.Overflowed;

    /// <summary>Bytes held from earlier segments.</summary>
    public readonly int Pending => _pending.Length;

    /// <summary>
    /// Takes a segment (its sequence number and payload) and returns the bytes to parse: the kept tail followed
    /// by the segment's new bytes. Empty for a pure retransmission, after a gap, or once broken or overflowed.
    /// </summary>
    public ReadOnlySpan<byte> Accept(uint seq, ReadOnlySpan<byte> payload)
    {
        if (Broken || _pending.Overflowed || payload.IsEmpty)
        {
            return [];
        }

        if (!_started)
        {
            _started = true;
            _nextSeq = seq;
        }

        var delta = (int)(seq - _nextSeq);
        if (delta > 0)
        {
            Broken = true;
            return [];
        }

        if (delta < 0)
        {
            var overlap = -(long)delta;
            if (overlap >= payload.Length)
            {
                return [];
            }

            payload = payload[(int)overlap..];
        }

        _nextSeq += (uint)payload.Length;
        if (_pending.Length == 0)
        {
            _handedOutSegment = true;
            return payload;
        }

        _handedOutSegment = false;
        _pending.Append(payload);
        return _pending.Data;
    }

    /// <summary>Keeps <c>data[consumed..]</c> for the next segment; <paramref name="data"/> is what <see cref="Accept"/> returned.</summary>
    public void Keep(ReadOnlySpan<byte> data, int consumed)
    {
        if (_handedOutSegment)
        {
            if (consumed < data.Length)
            {
                _pending.Append(data[consumed..]);
            }
        }
        else
        {
            _pending.Consume(consumed);
        }
    }

    public void Release()
    {
        _pending.Release();
        this = default;
    }
}
