using Flowhive.Shared.Net;

namespace Flowhive.Tools.SampleCapture.Protocols;

/// <summary>DNS messages in real wire format (RFC 1035, EDNS0 from RFC 6891), as a stub resolver and a public resolver send them.</summary>
internal static class Dns
{
    public const ushort TypeA = 1;
    public const ushort TypeAaaa = 28;
    private const ushort TypeOpt = 41;
    private const ushort ClassIn = 1;
    private const int QuestionOffset = 12;

    /// <summary>A recursive query with an EDNS0 OPT record (1232-byte UDP payload, as resolvers use since DNS flag day 2020).</summary>
    public static byte[] Query(ushort id, string name, ushort type)
    {
        var w = new ByteWriter()
            .U16(id)
            .U16(0x0100) // RD
            .U16(1).U16(0).U16(0).U16(1);
        Question(w, name, type);
        Opt(w);
        return w.ToArray();
    }

    /// <summary>
    /// The answer: one record per address, its owner name a compression pointer to the question. No
    /// addresses is NODATA (the name exists, not with that type), or NXDOMAIN when <paramref name="nxdomain"/>.
    /// </summary>
    public static byte[] Response(ushort id, string name, ushort type, IReadOnlyList<IpAddr> addresses, uint ttl, bool nxdomain = false)
    {
        var w = new ByteWriter()
            .U16(id)
            .U16(nxdomain ? 0x8183 : 0x8180) // QR, RD, RA; rcode 3 = NXDOMAIN
            .U16(1)
            .U16(addresses.Count)
            .U16(0)
            .U16(1);
        Question(w, name, type);
        foreach (var address in addresses)
        {
            Pointer(w, QuestionOffset);
            if (address.IsV4)
            {
                w.U16(TypeA).U16(ClassIn).U32(ttl).U16(4).U32(address.V4);
            }
            else
            {
                w.U16(TypeAaaa).U16(ClassIn).U32(ttl).U16(16).U64(address.High).U64(address.Low);
            }
        }

        Opt(w);
        return w.ToArray();
    }

    private static void Question(ByteWriter w, string name, ushort type)
    {
        Name(w, name);
        w.U16(type).U16(ClassIn);
    }

    private static void Name(ByteWriter w, string name)
    {
        foreach (var label in name.TrimEnd('.').Split('.'))
        {
            if (label.Length is 0 or > 63)
            {
                throw new ArgumentException($"bad DNS label in '{name}'");
            }

            w.U8(label.Length).Ascii(label);
        }

        w.U8(0);
    }

    /// <summary>A compression pointer (RFC 1035 section 4.1.4) to a name earlier in the message.</summary>
    private static void Pointer(ByteWriter w, int offset) => w.U16(0xC000 | offset);

    private static void Opt(ByteWriter w) => w.U8(0).U16(TypeOpt).U16(1232).U32(0).U16(0);
}
