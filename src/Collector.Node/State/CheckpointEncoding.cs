using Flowhive.Shared.Cluster.Messages;
using Flowhive.Shared.Cluster.Serialization;

namespace Flowhive.Collector.State;

/// <summary>
/// What every checkpoint shares: a leading format number (so a later version can read older checkpoints, and an
/// older one refuses newer ones), the cluster serializer's field encodings, and decoding that turns any damage
/// (cut, trailing or invalid bytes) into <see cref="InvalidDataException"/>.
/// </summary>
public static class CheckpointEncoding
{
    public const byte Format = 1;

    public static byte[] Encode(Action<BinaryWriter> write)
    {
        using var stream = new MemoryStream(256);
        using (var w = new BinaryWriter(stream, BinaryFields.Utf8, leaveOpen: true))
        {
            w.Write(Format);
            write(w);
        }

        return stream.ToArray();
    }

    /// <exception cref="InvalidDataException">Not a checkpoint in a format this version reads.</exception>
    public static T Decode<T>(byte[] bytes, Func<BinaryReader, T> read)
    {
        using var stream = new MemoryStream(bytes, writable: false);
        using var r = new BinaryReader(stream, BinaryFields.Utf8);
        try
        {
            var format = r.ReadByte();
            if (format != Format)
            {
                throw new InvalidDataException($"checkpoint format {format} (this version reads {Format})");
            }

            var value = read(r);
            return stream.Position == stream.Length ? value : throw new InvalidDataException($"{stream.Length - stream.Position} bytes after the checkpoint");
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"truncated checkpoint ({bytes.Length} bytes)", e);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"corrupt checkpoint: {e.Message}", e);
        }
    }

    /// <summary>Every L7 entry (a message carries at most <see cref="L7Counters.MaxPerMessage"/>; a checkpoint carries all).</summary>
    public static void WriteAllL7(this BinaryWriter w, ReadOnlySpan<L7Counters> items)
    {
        w.Write(items.Length);
        foreach (var item in items)
        {
            w.Write(item);
        }
    }

    public static L7Counters[] ReadAllL7(this BinaryReader r)
    {
        var count = r.ReadInt32();
        if (count is < 0 or > BinaryFields.MaxListLength)
        {
            throw new InvalidDataException($"{count} protocol entries");
        }

        var items = new L7Counters[count];
        for (var i = 0; i < count; i++)
        {
            items[i] = r.ReadL7Counters();
        }

        return items;
    }
}
