namespace Flowhive.Probe.Engine.Tests.Classification.Micro;

/// <summary>LDAP over TCP and connectionless LDAP over UDP, by the BER structure of the first message.</summary>
public sealed class LdapDissectorTests
{
    [Fact]
    public void A_simple_bind_request_is_ldap()
    {
        var flow = MicroConversation.Tcp(389).FromClient(SimpleBind());

        Assert.Equal("LDAP", flow.Name);
        Assert.Equal((ushort)112, flow.App);
    }

    [Fact]
    public void A_server_response_with_long_form_lengths_and_controls_is_ldap()
    {
        // searchResDone (success) followed by a control, the way Active Directory pads lengths to four bytes.
        byte[] done = [0x65, 0x84, 0, 0, 0, 7, .. Ber.Enumerated(0), .. Ber.Text(0x04, ""), .. Ber.Text(0x04, "")];
        var control = Ber.Tlv(0xA0, Ber.Tlv(0x30, Ber.Text(0x04, "1.2.840.113556.1.4.319")));
        byte[] content = [.. Ber.Integer(2), .. done, .. control];
        byte[] message = [0x30, 0x84, 0, 0, 0, (byte)content.Length, .. content];

        var flow = MicroConversation.Tcp(389).FromClient([0x17, 0x03, 0x03]).FromServer(message);

        Assert.Equal("LDAP", flow.Name);
    }

    [Fact]
    public void A_cldap_search_for_the_netlogon_attribute_is_ldap()
    {
        var flow = MicroConversation.Udp(55012, 389).FromClient(NetlogonPing());

        Assert.Equal("LDAP", flow.Name);
    }

    [Fact]
    public void The_corpus_active_directory_binds_are_ldap()
    {
        var ldap = CorpusFlows.Of("kerberos.pcap").Where(r => r.SrcPort == 389 || r.DstPort == 389).ToList();

        Assert.Equal(7, ldap.Count);
        Assert.All(ldap, r => Assert.Equal("LDAP", CorpusFlows.NameOf(r)));
    }

    [Fact]
    public void Sequences_that_are_not_ldap_messages_stay_unknown()
    {
        // A Kerberos tag as the operation; an element after the operation that is not the controls; an operation that overruns its message.
        var kerberosTag = Ber.Tlv(0x30, Ber.Integer(1), Ber.Tlv(0x6A, Ber.Integer(5)));
        var trailing = Ber.Tlv(0x30, Ber.Integer(1), Ber.Tlv(0x42), Ber.Text(0x04, "x"));
        byte[] overrun = [0x30, 0x07, 0x02, 0x01, 0x01, 0x60, 0x09, 0x02, 0x01];

        Assert.Equal("Unknown", MicroConversation.Tcp(389).FromClient(kerberosTag).Name);
        Assert.Equal("Unknown", MicroConversation.Tcp(389).FromClient(trailing).Name);
        Assert.Equal("Unknown", MicroConversation.Tcp(389).FromClient(overrun).Name);
    }

    /// <summary>bindRequest: version 3, name "cn=admin,dc=example,dc=org", simple authentication [0] "secret".</summary>
    internal static byte[] SimpleBind() =>
        Ber.Tlv(0x30, Ber.Integer(1), Ber.Tlv(0x60, Ber.Integer(3), Ber.Text(0x04, "cn=admin,dc=example,dc=org"), Ber.Text(0x80, "secret")));

    /// <summary>Active Directory's "LDAP ping" over CLDAP: a base search with the filter (&amp;(NtVer=...)) for the Netlogon attribute.</summary>
    internal static byte[] NetlogonPing() =>
        Ber.Tlv(0x30, Ber.Integer(7), Ber.Tlv(0x63,
            Ber.Text(0x04, ""), Ber.Enumerated(0), Ber.Enumerated(0), Ber.Integer(0), Ber.Integer(0), [0x01, 1, 0],
            Ber.Tlv(0xA0, Ber.Tlv(0xA3, Ber.Text(0x04, "NtVer"), Ber.Tlv(0x04, [6, 0, 0, 0]))),
            Ber.Tlv(0x30, Ber.Text(0x04, "Netlogon"))));
}
