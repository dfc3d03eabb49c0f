using Flowhive.Probe.Engine.Classification.Micro.Catalog;
using Flowhive.Probe.Engine.Classification.Micro.Framework;
using Flowhive.Probe.Engine.Classification.Micro.Parsers;

namespace Flowhive.Probe.Engine.Classification.Micro.Dissectors;

/// <summary>
/// LDAP (RFC 4511) over TCP and connectionless LDAP over UDP: a packet that begins with one whole BER LDAPMessage,
/// a SEQUENCE holding exactly a non-negative messageID INTEGER, a protocolOp with an LDAP APPLICATION tag, and
/// optionally the controls. Every element must lie inside its parent, so random bytes that happen to start with
/// 0x30 do not pass. Either side's first message decides (a capture may miss the client's bind).
/// </summary>
public sealed class LdapDissector : SignatureDissector
{
    private const byte Controls = 0xA0; // [0] Controls, constructed

    public override string Name => "LDAP";

    public override DissectorTransports Transports => DissectorTransports.Tcp | DissectorTransports.Udp;

    public override IReadOnlyList<ushort> Protocols { get; } = [NdpiIds.Ldap];

    protected override bool Matches(ref DissectorContext context) => IsLdapMessage(context.Payload);

    protected override void Report(ref DissectorContext context) => context.Flow.Detect(NdpiIds.Ldap);

    private static bool IsLdapMessage(ReadOnlySpan<byte> p)
    {
        if (p.IsEmpty || p[0] != DerReader.Sequence)
        {
            return false;
        }

        var outer = new DerReader(p);
        if (!outer.TryRead(DerReader.Sequence, out var message))
        {
            return false;
        }

        var fields = new DerReader(message);
        if (!fields.TryRead(DerReader.Integer, out var messageId) || messageId.Length is 0 or > 4 || messageId[0] >= 0x80
            || !fields.TryRead(out var operation, out var body) || !IsProtocolOp(operation, body.Length))
        {
            return false;
        }

        return fields.IsEmpty || (fields.TryRead(Controls, out _) && fields.IsEmpty);
    }

    /// <summary>The APPLICATION tags of RFC 4511's protocolOp choice, with the form (primitive or constructed) each has.</summary>
    private static bool IsProtocolOp(byte tag, int length) => tag switch
    {
        0x42 => length == 0, // unbindRequest: NULL
        0x4A or 0x50 => length > 0, // delRequest (an LDAPDN), abandonRequest (a MessageID)
        0x60 or 0x61 or (>= 0x63 and <= 0x69) or (>= 0x6B and <= 0x6F) or 0x73 or 0x77 or 0x78 or 0x79 => length > 0,
        _ => false,
    };
}
