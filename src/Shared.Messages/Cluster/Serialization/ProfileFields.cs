using Flowhive.Shared.Cluster.Messages;

namespace Flowhive.Shared.Cluster.Serialization;

/// <summary>
/// Wire form of a <see cref="HostProfile"/>. Its lists are bounded both ways (<see cref="TopCounts{TKey}.MaxPerMessage"/>
/// keys, <see cref="HostNames.MaxLength"/> characters a name or key): the writer refuses more, the reader refuses a
/// frame that has more, so a broken or hostile sender costs a counted dropped message, never unbounded memory.
/// </summary>
public static class ProfileFields
{
    public static void WriteOptional(this BinaryWriter w, HostProfile? p)
    {
        w.Write(p is not null);
        if (p is null)
        {
            return;
        }

        w.WriteName(p.Names.Resolved);
        w.WriteName(p.Names.Dhcp);
        w.WriteName(p.Names.Mdns);
        w.WriteName(p.Names.Netbios);
        w.WriteName(p.Names.Tls);
        w.WriteName(p.Names.Http);
        w.Write(p.ActiveFlowsAsClient);
        w.Write(p.ActiveFlowsAsServer);
        w.Write(p.Apps);
        w.WriteTop(p.Ja4, (x, k) => x.WriteName(k));
        w.WriteTop(p.Hassh, (x, k) => x.WriteName(k));
        w.Write(p.PeersAsClient);
        w.Write(p.PeersAsServer);
        w.WriteTop(p.ContactedPorts, (x, k) => x.Write(k));
        w.WriteTop(p.ServedPorts, (x, k) => x.Write(k));
        w.WriteTop(p.Sites, (x, k) => x.WriteName(k));
        w.WriteTop(p.SitesOld, (x, k) => x.WriteName(k));
        w.Write(p.SitesAtUs);
    }

    public static HostProfile? ReadOptionalProfile(this BinaryReader r) => !r.ReadBoolean() ? null : new HostProfile(
        new HostNames(r.ReadName(), r.ReadName(), r.ReadName(), r.ReadName(), r.ReadName(), r.ReadName()),
        r.ReadInt32(),
        r.ReadInt32(),
        r.ReadApplicationCounters(),
        r.ReadTop(x => x.ReadName() ?? throw new InvalidDataException("a fingerprint without a hash")),
        r.ReadTop(x => x.ReadName() ?? throw new InvalidDataException("a fingerprint without a hash")),
        r.ReadPeerSketch(),
        r.ReadPeerSketch(),
        r.ReadTop(x => x.ReadUInt32()),
        r.ReadTop(x => x.ReadUInt32()),
        r.ReadTop(x => x.ReadName() ?? throw new InvalidDataException("a site without a name")),
        r.ReadTop(x => x.ReadName() ?? throw new InvalidDataException("a site without a name")),
        r.ReadInt64());

    private static void WriteName(this BinaryWriter w, string? name)
    {
        if (name is { Length: > HostNames.MaxLength })
        {
            throw new ArgumentException($"a name of {name.Length} characters (at most {HostNames.MaxLength})", nameof(name));
        }

        w.WriteNullableString(name);
    }

    private static string? ReadName(this BinaryReader r)
    {
        var name = r.ReadNullableString();
        return name is { Length: > HostNames.MaxLength } ? throw new InvalidDataException($"a name of {name.Length} characters (at most {HostNames.MaxLength})") : name;
    }

    /// <summary>Most hosts in most windows have no DNS, HTTP or TLS flow: one byte says so instead of 30 zero longs.</summary>
    private static void Write(this BinaryWriter w, ApplicationCounters c)
    {
        w.Write(!c.IsEmpty);
        if (c.IsEmpty)
        {
            return;
        }

        w.Write(c.DnsAsClient);
        w.Write(c.DnsAsServer);
        w.Write(c.HttpAsClient);
        w.Write(c.HttpAsServer);
        w.Write(c.SniFlowsAsClient);
        w.Write(c.SniFlowsAsServer);
    }

    private static ApplicationCounters ReadApplicationCounters(this BinaryReader r) => !r.ReadBoolean() ? default :
        new ApplicationCounters(r.ReadDnsCounters(), r.ReadDnsCounters(), r.ReadHttpCounters(), r.ReadHttpCounters(), r.ReadInt64(), r.ReadInt64());

    private static void Write(this BinaryWriter w, DnsCounters c)
    {
        w.Write(c.QueriesA);
        w.Write(c.QueriesAaaa);
        w.Write(c.QueriesOther);
        w.Write(c.RepliesOk);
        w.Write(c.RepliesError);
    }

    private static DnsCounters ReadDnsCounters(this BinaryReader r) => new(r.ReadInt64(), r.ReadInt64(), r.ReadInt64(), r.ReadInt64(), r.ReadInt64());

    private static void Write(this BinaryWriter w, HttpCounters c)
    {
        w.Write(c.Get);
        w.Write(c.Post);
        w.Write(c.Head);
        w.Write(c.Put);
        w.Write(c.OtherMethod);
        w.Write(c.Status1xx);
        w.Write(c.Status2xx);
        w.Write(c.Status3xx);
        w.Write(c.Status4xx);
        w.Write(c.Status5xx);
    }

    private static HttpCounters ReadHttpCounters(this BinaryReader r) => new(
        r.ReadInt64(), r.ReadInt64(), r.ReadInt64(), r.ReadInt64(), r.ReadInt64(), r.ReadInt64(), r.ReadInt64(), r.ReadInt64(), r.ReadInt64(), r.ReadInt64());

    private static void Write(this BinaryWriter w, PeerSketch sketch)
    {
        w.Write(!sketch.IsEmpty);
        if (!sketch.IsEmpty)
        {
            w.Write(sketch.Span);
        }
    }

    private static PeerSketch ReadPeerSketch(this BinaryReader r)
    {
        if (!r.ReadBoolean())
        {
            return PeerSketch.Empty;
        }

        Span<byte> registers = stackalloc byte[PeerSketch.Registers];
        r.BaseStream.ReadExactly(registers);
        return new PeerSketch(registers);
    }

    private static void WriteTop<TKey>(this BinaryWriter w, TopCounts<TKey> top, Action<BinaryWriter, TKey> writeKey)
    {
        if (top.Items.Count > TopCounts<TKey>.MaxPerMessage)
        {
            throw new ArgumentException($"{top.Items.Count} counted keys in one list (at most {TopCounts<TKey>.MaxPerMessage})", nameof(top));
        }

        w.Write(top.Items.Count);
        for (var i = 0; i < top.Items.Count; i++)
        {
            writeKey(w, top.Items[i].Key);
            w.Write(top.Items[i].Count);
        }

        w.Write(top.Other);
    }

    private static TopCounts<TKey> ReadTop<TKey>(this BinaryReader r, Func<BinaryReader, TKey> readKey)
    {
        var count = r.ReadInt32();
        if (count is < 0 or > TopCounts<TKey>.MaxPerMessage)
        {
            throw new InvalidDataException($"{count} counted keys in one list (at most {TopCounts<TKey>.MaxPerMessage})");
        }

        var items = new Counted<TKey>[count];
        for (var i = 0; i < count; i++)
        {
            items[i] = new Counted<TKey>(readKey(r), r.ReadInt64());
        }

        var other = r.ReadInt64();
        return count == 0 && other == 0 ? TopCounts<TKey>.Empty : new TopCounts<TKey>(items, other);
    }
}
