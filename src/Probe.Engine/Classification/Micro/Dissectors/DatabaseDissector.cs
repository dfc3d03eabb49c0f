using System.Buffers.Binary;
using Flowhive.Probe.Engine.Classification.Micro.Catalog;
using Flowhive.Probe.Engine.Classification.Micro.Framework;

namespace Flowhive.Probe.Engine.Classification.Micro.Dissectors;

/// <summary>
/// Database wire protocols by their first message: PostgreSQL (startup packet of protocol 3.0, or an SSL/GSS
/// request), MySQL/MariaDB (server greeting of protocol 10), MongoDB (a message header whose length is the
/// segment's and whose opcode is a known one) and Redis (a RESP array of bulk strings).
/// </summary>
public sealed class DatabaseDissector : SignatureDissector
{
    private const uint PostgresProtocol3 = 0x00030000;
    private const uint PostgresSslRequest = 80877103;
    private const uint PostgresGssRequest = 80877104;

    public override string Name => "Databases";

    public override DissectorTransports Transports => DissectorTransports.Tcp;

    public override IReadOnlyList<ushort> Protocols { get; } = [NdpiIds.PostgreSql, NdpiIds.MySql, NdpiIds.MongoDb, NdpiIds.Redis];

    protected override int PacketsToDecide => 3;

    protected override bool Matches(ref DissectorContext context) => ProtocolOf(ref context) != NdpiIds.Unknown;

    protected override void Report(ref DissectorContext context) => context.Flow.Detect(ProtocolOf(ref context));

    private static ushort ProtocolOf(ref DissectorContext context)
    {
        var p = context.Payload;
        if (p.Length >= 8 && context.FromClient)
        {
            var length = BinaryPrimitives.ReadUInt32BigEndian(p);
            var code = BinaryPrimitives.ReadUInt32BigEndian(p[4..]);
            if (length == p.Length && (code == PostgresProtocol3 || (length == 8 && code is PostgresSslRequest or PostgresGssRequest)))
            {
                return NdpiIds.PostgreSql;
            }
        }

        if (p.Length >= 16)
        {
            var length = BinaryPrimitives.ReadInt32LittleEndian(p);
            var opcode = BinaryPrimitives.ReadInt32LittleEndian(p[12..]);
            if (length == p.Length && opcode is 1 or 2001 or 2002 or 2003 or 2004 or 2005 or 2006 or 2007 or 2010 or 2011 or 2012 or 2013)
            {
                return NdpiIds.MongoDb;
            }
        }

        if (!context.FromClient && p.Length >= 10 && p[3] == 0 && p[4] == 10 && (p[0] | (p[1] << 8) | (p[2] << 16)) == p.Length - 4)
        {
            // Greeting: "5.7.33-log\0" and more; the version must be printable digits and dots up to its NUL.
            var version = p[5..];
            var end = version.IndexOf((byte)0);
            if (end >= 3 && version[0] is >= (byte)'3' and <= (byte)'9' && version[1] == '.')
            {
                return NdpiIds.MySql;
            }
        }

        return context.FromClient && p.Length >= 4 && p[0] == '*' && p[1] is >= (byte)'1' and <= (byte)'9' && p.IndexOf("\r\n$"u8) is > 1 and < 6
            ? NdpiIds.Redis : NdpiIds.Unknown;
    }
}
