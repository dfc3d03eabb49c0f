using System.Numerics;
using Flowhive.Probe.Engine.Decode;

namespace Flowhive.Probe.Engine.Classification.Micro.Framework;

/// <summary>
/// Runs a flow's packets through the dissectors that can still match it. A flow starts with the dissectors of its
/// IP protocol; its first payload byte removes those that cannot start with it (a table built once, so they are
/// never called); each "not mine" removes one more; the first "mine" owns the flow. One dispatcher per worker.
/// </summary>
internal sealed class Dispatcher
{
    public const int MaxDissectors = 64;

    private readonly IDissector[] _dissectors;
    private readonly int[] _stateOffsets;
    private readonly ulong _tcp;
    private readonly ulong _udp;
    private readonly ulong _otherIp;
    private readonly ulong[] _firstByte = new ulong[256];

    public Dispatcher(IReadOnlyList<IDissector> dissectors)
    {
        if (dissectors.Count > MaxDissectors)
        {
            throw new ArgumentException($"at most {MaxDissectors} dissectors (candidate sets are 64-bit masks)", nameof(dissectors));
        }

        _dissectors = [.. dissectors];
        _stateOffsets = new int[_dissectors.Length];
        var offset = 0;
        for (var i = 0; i < _dissectors.Length; i++)
        {
            var d = _dissectors[i];
            var bit = 1UL << i;
            _stateOffsets[i] = offset;
            offset += (d.StateSize + 7) & ~7; // 8-byte aligned blocks
            _tcp |= (d.Transports & DissectorTransports.Tcp) != 0 ? bit : 0;
            _udp |= (d.Transports & DissectorTransports.Udp) != 0 ? bit : 0;
            _otherIp |= (d.Transports & DissectorTransports.OtherIp) != 0 ? bit : 0;
            for (var b = 0; b < 256; b++)
            {
                if (d.MayStartWith((byte)b))
                {
                    _firstByte[b] |= bit;
                }
            }
        }

        StateBytes = Math.Max(offset, 8);
    }

    /// <summary>Bytes of state every flow carries for all dissectors together.</summary>
    public int StateBytes { get; }

    public IReadOnlyList<IDissector> Dissectors => _dissectors;

    public ulong CandidatesFor(byte ipProtocol) => ipProtocol switch
    {
        6 => _tcp,
        17 => _udp,
        _ => _otherIp,
    };

    /// <summary>Feeds one packet to the flow's dissectors; true when the classification is final.</summary>
    public bool Run(MicroFlow flow, in DecodedPacket packet, ReadOnlySpan<byte> payload, bool fromClient, long timestampUs, WorkerScratch scratch)
    {
        var transport = flow.L4 is 6 or 17;
        if (packet.IsLaterFragment || (transport && payload.IsEmpty))
        {
            return false;
        }

        var context = new DissectorContext(flow, packet, payload, fromClient, timestampUs, scratch);
        bool done;
        if (flow.Owner >= 0)
        {
            done = InspectOwner(ref context, flow.Owner);
        }
        else
        {
            var live = flow.Live;
            if (transport && flow.ClientPayloadPackets + flow.ServerPayloadPackets == 0)
            {
                live &= _firstByte[payload[0]];
            }

            done = false;
            var claimed = false;
            var remaining = live;
            while (remaining != 0)
            {
                var i = BitOperations.TrailingZeroCount(remaining);
                remaining &= remaining - 1;
                context.SelectState(_stateOffsets[i], _dissectors[i].StateSize);
                var answer = _dissectors[i].Identify(ref context);
                if (answer == Identification.NotMine)
                {
                    live &= ~(1UL << i);
                }
                else if (answer == Identification.Mine)
                {
                    flow.Owner = i;
                    claimed = true;
                    done = InspectOwner(ref context, i);
                    break;
                }
            }

            flow.Live = live;
            done |= !claimed && live == 0;
        }

        if (fromClient)
        {
            flow.ClientPayloadPackets++;
        }
        else
        {
            flow.ServerPayloadPackets++;
        }

        return done;
    }

    private bool InspectOwner(ref DissectorContext context, int owner)
    {
        context.SelectState(_stateOffsets[owner], _dissectors[owner].StateSize);
        return _dissectors[owner].Inspect(ref context) == Inspection.Done;
    }
}
