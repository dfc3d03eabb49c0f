using System.Runtime.Serialization;
using Akka.Actor;
using Flowhive.Shared.Cluster;
using Flowhive.Shared.Cluster.Messages;
using Flowhive.Shared.Cluster.Serialization;
using Flowhive.Shared.Net;

namespace Flowhive.Shared.Messages.Tests.Cluster;

public sealed class FlowhiveSerializerTests : IDisposable
{
    private readonly ActorSystem _system = ActorSystem.Create("serializer-test");
    private readonly FlowhiveSerializer _serializer;

    public FlowhiveSerializerTests() => _serializer = new FlowhiveSerializer((ExtendedActorSystem)_system);

    private static readonly HostKey V4Host = new(2, 10, IpAddr.Parse("192.168.1.20"));
    private static readonly HostKey V6Host = new(0, 0, IpAddr.Parse("2001:db8::1"));
    private static readonly HostCounters Counters = new(1_000_000_000_000, 2, 3, 4, 5, 6);

    private static ActiveFlow Flow(string? info) => new(IpAddr.Parse("10.0.0.1"), 51234, IpAddr.Parse("2001:db8::80"), 443, 6, 4094,
        100, 200, 3, 4, 1_700_000_000_000_000, 1_700_000_001_000_000, 91, 124, info);

    /// <summary>One instance of every cluster message type, with non-default values in every field.</summary>
    public static TheoryData<IFlowhiveMessage> Messages() =>
    [
        new HostTrafficDelta(V4Host, 0x0011_2233_4455, 10, 20, Counters, L7),
        new HostTrafficDelta(V4Host, 0x0011_2233_4455, 10, 20, Counters, L7, Profile),
        new HostTrafficDelta(V6Host, 0, 1, 2, Counters, [], HostProfile.Empty),
        new HostTrafficDelta(V6Host, 0, 0, 0, default),
        new HostTrafficDelta(V6Host, 0, 1, 2, Counters, L7, null, new IngestStamp(long.MaxValue, 42, 41)),
        new InterfaceTrafficDelta(3, "eth1", 1, 2, 3,
            [new HostIndexDelta(10, V4Host.Ip, 0xAABB_CCDD_EEFF, 1, 2, Counters, Local: true), new HostIndexDelta(0, V6Host.Ip, 0, 3, 4, default)],
            [Flow("www.example.com"), Flow(null)], L7, new LocalTraffic(1, 2, 3, long.MaxValue), new IngestStamp(-5, 7, 0)),
        new InterfaceTrafficDelta(0, "", 0, 0, 0, [], []),
        new GetInterfaceSummary(7),
        new InterfaceSummary(1, "tcp://probe:5556", 1, 2, 3, 4, 5, 6.5, 7.25, 8, 9, 10, L7, new LocalTraffic(4, 3, 2, 1)),
        new GetHosts(1, HostSortColumn.Throughput, true, 50, 25),
        new GetHosts(2, HostSortColumn.Ip, false, 0, 10, HostFilter.Remote),
        new HostPage(2, [new HostSummary(V4Host, 1, Counters, 2, 3, 4.5), new HostSummary(V6Host, 0, default, 0, 0, 0)]),
        new GetActiveFlows(1, 0, 10, V6Host),
        new GetActiveFlows(1, 0, 10, null),
        new FlowPage(1, [Flow("dns.google")]),
        new GetHostDetails(V6Host),
        new HostDetails(V4Host, 42, Counters, 1, 2, true, L7),
        new HostDetails(V4Host, 42, Counters, 1, 2, true, L7, Profile),
        new HostDetails(V6Host, 0, default, 0, 0, false),
        new StatsRows(new InterfaceMinuteRow(Minute, 3, "eth1", 1, 2, 3, 4, 5),
            [new HostMinuteRow(Minute, 3, 10, V4Host.Ip, 0xAABB_CCDD_EEFF, 1, 2, 3, 4, 5, 6), new HostMinuteRow(Minute, 3, 0, V6Host.Ip, 0, 0, 0, 0, 0, 0, 0)]),
        new StatsRows(new InterfaceMinuteRow(Minute, 0, "", 0, 0, 0, 0, 0), []),
    ];

    private static readonly L7Counters[] L7 = [new(126, 5, 1_000_000, 20_000, 3), new(5, 14, 1, 2, 1), new(ushort.MaxValue, ushort.MaxValue, 0, 0, 0)];

    /// <summary>A profile with every field set, names of every source and lists at their bound.</summary>
    private static readonly HostProfile Profile = new(
        new HostNames("host.example.com", "laptop", "laptop.local", "LAPTOP", "tls.example.com", "www.example.com"),
        3, 4,
        new ApplicationCounters(new DnsCounters(1, 2, 3, 4, 5), new DnsCounters(6, 7, 8, 9, 10),
            new HttpCounters(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), new HttpCounters(11, 12, 13, 14, 15, 16, 17, 18, 19, long.MaxValue), 11, 12),
        new TopCounts<string>([new("t13d1516h2_8daaf6152771_02713d6af862", 3)], 1),
        new TopCounts<string>([new("ec7378c1a92f5a8dde7e8b7a1ddf33d1", 1), new("b12d2871a1189eff20364cf5333619ee", 2)], 0),
        Sketch(1), Sketch(2),
        new TopCounts<uint>([.. Enumerable.Range(0, TopCounts<uint>.MaxPerMessage).Select(i => new Counted<uint>(HostProfile.PortKey(6, (ushort)i), i))], 7),
        new TopCounts<uint>([new(HostProfile.PortKey(17, 53), 9)], 0),
        new TopCounts<string>([new("www.example.com", 5), new(new string('x', HostNames.MaxLength), 1)], 2),
        new TopCounts<string>([new("old.example.com", 1)], 0),
        1_700_000_000_000_000);

    private static PeerSketch Sketch(byte seed)
    {
        var registers = new byte[PeerSketch.Registers];
        for (var i = 0; i < registers.Length; i++)
        {
            registers[i] = (byte)((i * seed) % 7);
        }

        return new PeerSketch(registers);
    }

    private static readonly DateTimeOffset Minute = new(2026, 11, 22, 19, 5, 0, TimeSpan.Zero);

    [Theory]
    [MemberData(nameof(Messages))]
    public void Every_cluster_message_round_trips(IFlowhiveMessage message)
    {
        var bytes = _serializer.ToBinary(message);
        var back = _serializer.FromBinary(bytes, _serializer.Manifest(message));
        Assert.Equal(Canonical(message), Canonical(back));
    }

    [Fact]
    public void Every_message_type_in_the_assembly_has_a_round_trip_case()
    {
        var covered = ((IEnumerable<object[]>)Messages()).Select(row => row[0].GetType()).ToHashSet();
        var all = typeof(IFlowhiveMessage).Assembly.GetTypes().Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IFlowhiveMessage).IsAssignableFrom(t));
        Assert.DoesNotContain(all, t => !covered.Contains(t));
    }

    [Theory]
    [MemberData(nameof(Messages))]
    public void Truncated_bytes_are_a_serialization_error_not_a_crash(IFlowhiveMessage message)
    {
        var bytes = _serializer.ToBinary(message);
        var manifest = _serializer.Manifest(message);
        for (var length = 0; length < bytes.Length; length++)
        {
            Assert.Throws<SerializationException>(() => _serializer.FromBinary(bytes[..length], manifest));
        }
    }

    [Fact]
    public void Unknown_manifests_and_oversized_lists_are_refused()
    {
        Assert.Throws<SerializationException>(() => _serializer.FromBinary([1, 2, 3], "System.Diagnostics.Process"));
        var page = _serializer.ToBinary(new HostPage(1, []));
        page[4] = 0xFF;
        page[5] = 0xFF;
        page[6] = 0xFF;
        page[7] = 0x7F; // list length int.MaxValue
        Assert.Throws<SerializationException>(() => _serializer.FromBinary(page, "HP"));

        var query = _serializer.ToBinary(new GetHosts(1, HostSortColumn.Bytes, true, 0, 10, HostFilter.Local));
        query[^1] = 9; // no such host filter
        Assert.Throws<SerializationException>(() => _serializer.FromBinary(query, "GH"));
    }

    [Fact]
    public void Protocol_lists_over_the_per_message_bound_are_refused_both_ways()
    {
        var tooMany = Enumerable.Range(0, L7Counters.MaxPerMessage + 1).Select(i => new L7Counters((ushort)i, 0, 1, 1, 1)).ToArray();
        Assert.Throws<ArgumentException>(() => _serializer.ToBinary(new HostTrafficDelta(V4Host, 0, 1, 2, Counters, tooMany)));

        // A sender that wrote a longer list anyway (another build, a corrupt frame): the reader refuses it by the bound.
        var full = tooMany[..L7Counters.MaxPerMessage];
        var allowed = _serializer.ToBinary(new HostTrafficDelta(V4Host, 0, 1, 2, Counters, full));
        const int After = 1 + 24; // the profile's absence, then the ingest stamp
        var countAt = allowed.Length - After - (full.Length * 28) - 4; // 28 bytes per entry follow the list's count
        var bytes = allowed[..^After].Concat(allowed[^(After + 28)..^After]).Concat(allowed[^After..]).ToArray();
        BitConverter.TryWriteBytes(bytes.AsSpan(countAt, 4), L7Counters.MaxPerMessage + 1);
        var refused = Assert.Throws<SerializationException>(() => _serializer.FromBinary(bytes, "HTD"));
        Assert.Contains("protocol entries", refused.Message);
        Assert.Equal(full.Length, ((HostTrafficDelta)_serializer.FromBinary(allowed, "HTD")).L7.Count);
    }

    // Records with list members compare by reference; compare their printed form with lists expanded instead.
    private static string Canonical(object message) => message switch
    {
        InterfaceTrafficDelta m => $"{m with { Hosts = [], FlowUpdates = [], L7 = [] }}|{string.Join(";", m.Hosts)}|{string.Join(";", m.FlowUpdates)}|{string.Join(";", m.L7)}",
        HostTrafficDelta m => $"{m with { L7 = [] }}|{string.Join(";", m.L7)}|{ProfileText(m.Profile)}",
        InterfaceSummary m => $"{m with { L7 = [] }}|{string.Join(";", m.L7)}",
        HostDetails m => $"{m with { L7 = [] }}|{string.Join(";", m.L7)}|{ProfileText(m.Profile)}",
        HostPage m => $"{m.Total}|{string.Join(";", m.Hosts)}",
        FlowPage m => $"{m.Total}|{string.Join(";", m.Flows)}",
        StatsRows m => $"{m.Interface}|{string.Join(";", m.Hosts)}",
        _ => message.ToString()!,
    };

    /// <summary>Every field of a profile, lists and sketches expanded (their own ToString does that).</summary>
    private static string ProfileText(HostProfile? p) => p is null ? "none" : p.ToString();

    [Fact]
    public void Profile_lists_and_names_over_their_bounds_are_refused_both_ways()
    {
        var tooMany = new TopCounts<uint>([.. Enumerable.Range(0, TopCounts<uint>.MaxPerMessage + 1).Select(i => new Counted<uint>((uint)i, 1))], 0);
        Assert.Throws<ArgumentException>(() => _serializer.ToBinary(new HostTrafficDelta(V4Host, 0, 1, 2, Counters, [], HostProfile.Empty with { ServedPorts = tooMany })));
        var longName = HostProfile.Empty with { Names = new HostNames(null, null, null, null, new string('a', HostNames.MaxLength + 1), null) };
        Assert.Throws<ArgumentException>(() => _serializer.ToBinary(new HostTrafficDelta(V4Host, 0, 1, 2, Counters, [], longName)));

        // A sender that wrote more anyway: the served ports are the last list but the sites, written as
        // count, (key, count)*, other; raise the count of a full list by one and append one entry.
        var full = new TopCounts<uint>([.. tooMany.Items.Take(TopCounts<uint>.MaxPerMessage)], 0);
        var allowed = _serializer.ToBinary(new HostTrafficDelta(V4Host, 0, 1, 2, Counters, [], HostProfile.Empty with { ServedPorts = full }));
        const int Tail = 4 + 8 + 4 + 8 + 8 + 24; // sites (empty: count, other), old sites (count, other), sites time, ingest stamp
        var countAt = allowed.Length - Tail - 8 - (TopCounts<uint>.MaxPerMessage * 12) - 4;
        Assert.Equal(TopCounts<uint>.MaxPerMessage, BitConverter.ToInt32(allowed, countAt));
        var bytes = allowed[..(allowed.Length - Tail - 8)].Concat(new byte[12]).Concat(allowed[^(Tail + 8)..]).ToArray();
        BitConverter.TryWriteBytes(bytes.AsSpan(countAt, 4), TopCounts<uint>.MaxPerMessage + 1);
        var refused = Assert.Throws<SerializationException>(() => _serializer.FromBinary(bytes, "HTD"));
        Assert.Contains("counted keys", refused.Message);
        Assert.Equal(full, ((HostTrafficDelta)_serializer.FromBinary(allowed, "HTD")).Profile!.ServedPorts);
    }

    public void Dispose() => _system.Dispose();
}
