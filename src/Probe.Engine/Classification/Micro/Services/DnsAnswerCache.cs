using Flowhive.Shared.Net;

namespace Flowhive.Probe.Engine.Classification.Micro.Services;

/// <summary>
/// Addresses that DNS answered for names of known services, remembered per client: a later flow from that client
/// to that address gets the service (confidence "DPI (cache)") even when it carries no host name of its own.
/// One instance is shared by every flow worker of a probe (DNS and the flow it announces may land on different
/// workers). Bounded and allocation-free after construction: a fixed array of 4-way sets, each set guarded by
/// one of a fixed number of lock stripes; a full set drops its oldest entry.
/// </summary>
public sealed class DnsAnswerCache
{
    public const int DefaultCapacity = 1 << 16;
    private const int Ways = 4;
    private const int LockStripes = 64;

    /// <summary>Answers are kept at least this long whatever their TTL (short TTLs outlive their flows' start).</summary>
    private const long MinLifetimeUs = 60_000_000;

    /// <summary>And at most this long (a stale mapping to a shared CDN address would mislabel).</summary>
    private const long MaxLifetimeUs = 2 * 3600_000_000L;

    private readonly Entry[] _entries;
    private readonly object[] _locks;
    private readonly int _setMask;
    private long _stores;

    public DnsAnswerCache(int capacity = DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, Ways);
        var sets = (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)(capacity / Ways));
        _entries = new Entry[sets * Ways];
        _setMask = sets - 1;
        _locks = new object[LockStripes];
        for (var i = 0; i < _locks.Length; i++)
        {
            _locks[i] = new object();
        }
    }

    /// <summary>Entries the cache can hold.</summary>
    public int Capacity => _entries.Length;

    /// <summary>Answers stored so far (including replacements).</summary>
    public long Stores => Interlocked.Read(ref _stores);

    /// <summary>Remembers that <paramref name="client"/> was told <paramref name="address"/> for a name of <paramref name="service"/>.</summary>
    public void Remember(IpAddr client, IpAddr address, ServiceMatch service, uint ttlSeconds, long nowUs)
    {
        var lifetime = Math.Clamp(ttlSeconds * 1_000_000L, MinLifetimeUs, MaxLifetimeUs);
        var set = SetOf(client, address);
        lock (_locks[set & (LockStripes - 1)])
        {
            var baseIndex = set * Ways;
            var victim = baseIndex;
            var victimScore = long.MaxValue;
            for (var i = baseIndex; i < baseIndex + Ways; i++)
            {
                ref readonly var e = ref _entries[i];
                if (e.ExpiresUs != 0 && e.Client == client && e.Address == address)
                {
                    victim = i;
                    break;
                }

                // Empty and expired entries go first, then the oldest.
                var score = e.ExpiresUs <= nowUs ? long.MinValue : e.StoredUs;
                if (score < victimScore)
                {
                    victim = i;
                    victimScore = score;
                }
            }

            _entries[victim] = new Entry(client, address, service, nowUs, nowUs + lifetime);
        }

        Interlocked.Increment(ref _stores);
    }

    /// <summary>The service a client's earlier DNS answer tied to <paramref name="server"/>, if it has not expired.</summary>
    public bool TryGet(IpAddr client, IpAddr server, long nowUs, out ServiceMatch service)
    {
        var set = SetOf(client, server);
        lock (_locks[set & (LockStripes - 1)])
        {
            var baseIndex = set * Ways;
            for (var i = baseIndex; i < baseIndex + Ways; i++)
            {
                ref readonly var e = ref _entries[i];
                if (e.ExpiresUs > nowUs && e.Client == client && e.Address == server)
                {
                    service = e.Service;
                    return true;
                }
            }
        }

        service = default;
        return false;
    }

    private int SetOf(IpAddr client, IpAddr address)
    {
        // A multiplicative mix of both addresses (the sets must spread even for one client talking to a /24).
        var h = (client.Low * 0x9E37_79B9_7F4A_7C15UL) ^ (client.High * 0xC2B2_AE3D_27D4_EB4FUL) ^
                (address.Low * 0x1656_67B1_9E37_79F9UL) ^ (address.High * 0x27D4_EB2F_1656_67C5UL);
        h ^= h >> 29;
        return (int)(h & (ulong)_setMask);
    }

    private readonly record struct Entry(IpAddr Client, IpAddr Address, ServiceMatch Service, long StoredUs, long ExpiresUs);
}
