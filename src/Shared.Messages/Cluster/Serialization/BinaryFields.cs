using System.Text;
using Flowhive.Shared.Cluster.Messages;
using Flowhive.Shared.Net;

namespace Flowhive.Shared.Cluster.Serialization;

/// <summary>Readers and writers for the value types that cluster messages are built from.</summary>
public static class BinaryFields
{
    /// <summary>Bound on list lengths read from the wire, so a corrupt or hostile frame cannot make us allocate without limit.</summary>
    public const int MaxListLength = 1_000_000;

    public static void Write(this BinaryWriter w, IpAddr ip)
    {
        w.Write(ip.High);
        w.Write(ip.Low);
    }

    public static IpAddr ReadIpAddr(this BinaryReader r) => new(r.ReadUInt64(), r.ReadUInt64());

    public static void Write(this BinaryWriter w, HostKey key)
    {
        w.Write(key.IfId);
        w.Write(key.Vlan);
        w.Write(key.Ip);
    }

    public static HostKey ReadHostKey(this BinaryReader r) => new(r.ReadInt32(), r.ReadUInt16(), r.ReadIpAddr());

    public static void Write(this BinaryWriter w, HostCounters c)
    {
        w.Write(c.BytesSent);
        w.Write(c.BytesRcvd);
        w.Write(c.PacketsSent);
        w.Write(c.PacketsRcvd);
        w.Write(c.FlowsAsClient);
        w.Write(c.FlowsAsServer);
    }

    public static HostCounters ReadHostCounters(this BinaryReader r) =>
        new(r.ReadInt64(), r.ReadInt64(), r.ReadInt64(), r.ReadInt64(), r.ReadInt64(), r.ReadInt64());

    public static void Write(this BinaryWriter w, IngestStamp stamp)
    {
        w.Write(stamp.Source);
        w.Write(stamp.Seq);
        w.Write(stamp.PrevSeq);
    }

    public static IngestStamp ReadIngestStamp(this BinaryReader r) => new(r.ReadInt64(), r.ReadInt64(), r.ReadInt64());

    public static void WriteNullableString(this BinaryWriter w, string? s)
    {
        w.Write(s is not null);
        if (s is not null)
        {
            w.Write(s);
        }
    }

    public static string? ReadNullableString(this BinaryReader r) => r.ReadBoolean() ? r.ReadString() : null;

    public static void Write(this BinaryWriter w, ActiveFlow f)
    {
        w.Write(f.Client);
        w.Write(f.ClientPort);
        w.Write(f.Server);
        w.Write(f.ServerPort);
        w.Write(f.Protocol);
        w.Write(f.Vlan);
        w.Write(f.BytesCliToSrv);
        w.Write(f.BytesSrvToCli);
        w.Write(f.PacketsCliToSrv);
        w.Write(f.PacketsSrvToCli);
        w.Write(f.FirstSeenUs);
        w.Write(f.LastSeenUs);
        w.Write(f.L7Master);
        w.Write(f.L7App);
        w.WriteNullableString(f.Info);
    }

    public static ActiveFlow ReadActiveFlow(this BinaryReader r) => new(
        r.ReadIpAddr(), r.ReadUInt16(), r.ReadIpAddr(), r.ReadUInt16(), r.ReadByte(), r.ReadUInt16(),
        r.ReadInt64(), r.ReadInt64(), r.ReadInt64(), r.ReadInt64(), r.ReadInt64(), r.ReadInt64(),
        r.ReadUInt16(), r.ReadUInt16(), r.ReadNullableString());

    public static void Write(this BinaryWriter w, HostIndexDelta d)
    {
        w.Write(d.Vlan);
        w.Write(d.Ip);
        w.Write(d.Mac);
        w.Write(d.FirstSeenUs);
        w.Write(d.LastSeenUs);
        w.Write(d.Delta);
        w.Write(d.Local);
    }

    public static HostIndexDelta ReadHostIndexDelta(this BinaryReader r) =>
        new(r.ReadUInt16(), r.ReadIpAddr(), r.ReadUInt64(), r.ReadInt64(), r.ReadInt64(), r.ReadHostCounters(), r.ReadBoolean());

    public static void Write(this BinaryWriter w, HostSummary h)
    {
        w.Write(h.Host);
        w.Write(h.Mac);
        w.Write(h.Totals);
        w.Write(h.FirstSeenUs);
        w.Write(h.LastSeenUs);
        w.Write(h.ThroughputBps);
    }

    public static HostSummary ReadHostSummary(this BinaryReader r) =>
        new(r.ReadHostKey(), r.ReadUInt64(), r.ReadHostCounters(), r.ReadInt64(), r.ReadInt64(), r.ReadDouble());

    /// <summary>Minutes travel as UTC ticks: rows are always whole UTC minutes, the offset carries nothing.</summary>
    public static void WriteMinute(this BinaryWriter w, DateTimeOffset minute) => w.Write(minute.UtcTicks);

    public static DateTimeOffset ReadMinute(this BinaryReader r)
    {
        var ticks = r.ReadInt64();
        return ticks is < 0 or > 3155378975999999999 ? throw new InvalidDataException($"minute {ticks} out of range") : new DateTimeOffset(ticks, TimeSpan.Zero);
    }

    public static void Write(this BinaryWriter w, InterfaceMinuteRow row)
    {
        w.WriteMinute(row.Minute);
        w.Write(row.IfId);
        w.Write(row.IfName);
        w.Write(row.Bytes);
        w.Write(row.Packets);
        w.Write(row.Flows);
        w.Write(row.ActiveHosts);
        w.Write(row.ActiveFlows);
    }

    public static InterfaceMinuteRow ReadInterfaceMinuteRow(this BinaryReader r) =>
        new(r.ReadMinute(), r.ReadInt32(), r.ReadString(), r.ReadInt64(), r.ReadInt64(), r.ReadInt64(), r.ReadInt32(), r.ReadInt32());

    public static void Write(this BinaryWriter w, HostMinuteRow row)
    {
        w.WriteMinute(row.Minute);
        w.Write(row.IfId);
        w.Write(row.Vlan);
        w.Write(row.Ip);
        w.Write(row.Mac);
        w.Write(row.BytesSent);
        w.Write(row.BytesRcvd);
        w.Write(row.PacketsSent);
        w.Write(row.PacketsRcvd);
        w.Write(row.FlowsAsClient);
        w.Write(row.FlowsAsServer);
    }

    public static HostMinuteRow ReadHostMinuteRow(this BinaryReader r) =>
        new(r.ReadMinute(), r.ReadInt32(), r.ReadUInt16(), r.ReadIpAddr(), r.ReadUInt64(), r.ReadInt64(), r.ReadInt64(), r.ReadInt64(), r.ReadInt64(),
            r.ReadInt64(), r.ReadInt64());

    public static void Write(this BinaryWriter w, L7Counters c)
    {
        w.Write(c.Protocol);
        w.Write(c.Category);
        w.Write(c.BytesSent);
        w.Write(c.BytesRcvd);
        w.Write(c.Flows);
    }

    public static L7Counters ReadL7Counters(this BinaryReader r) => new(r.ReadUInt16(), r.ReadUInt16(), r.ReadInt64(), r.ReadInt64(), r.ReadInt64());

    public static void Write(this BinaryWriter w, LocalTraffic t)
    {
        w.Write(t.LocalToLocal);
        w.Write(t.LocalToRemote);
        w.Write(t.RemoteToLocal);
        w.Write(t.RemoteToRemote);
    }

    public static LocalTraffic ReadLocalTraffic(this BinaryReader r) => new(r.ReadInt64(), r.ReadInt64(), r.ReadInt64(), r.ReadInt64());

    public static void WriteL7(this BinaryWriter w, IReadOnlyList<L7Counters> items)
    {
        if (items.Count > L7Counters.MaxPerMessage)
        {
            throw new ArgumentException($"{items.Count} protocol entries in one message (at most {L7Counters.MaxPerMessage})", nameof(items));
        }

        w.WriteList(items, (x, c) => x.Write(c));
    }

    public static IReadOnlyList<L7Counters> ReadL7(this BinaryReader r)
    {
        var items = r.ReadList(x => x.ReadL7Counters());
        return items.Length > L7Counters.MaxPerMessage
            ? throw new InvalidDataException($"{items.Length} protocol entries (at most {L7Counters.MaxPerMessage})")
            : items.Length == 0 ? [] : items;
    }

    public static void WriteList<T>(this BinaryWriter w, IReadOnlyList<T> items, Action<BinaryWriter, T> write)
    {
        w.Write(items.Count);
        foreach (var item in items)
        {
            write(w, item);
        }
    }

    public static T[] ReadList<T>(this BinaryReader r, Func<BinaryReader, T> read)
    {
        var count = r.ReadInt32();
        if (count < 0 || count > MaxListLength)
        {
            throw new InvalidDataException($"list length {count} out of range");
        }

        var items = new T[count];
        for (var i = 0; i < count; i++)
        {
            items[i] = read(r);
        }

        return items;
    }

    public static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
}
