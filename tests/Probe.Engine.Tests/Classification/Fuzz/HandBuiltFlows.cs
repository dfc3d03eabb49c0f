using System.Text;
using Flowhive.Probe.Engine.Tests.Classification.Micro;

namespace Flowhive.Probe.Engine.Tests.Classification.Fuzz;

/// <summary>The hand-built seed flows of the fuzz targets, from the same bytes the dissector tests use.</summary>
public static class HandBuiltFlows
{
    public static IEnumerable<SeedFlow> Ssh()
    {
        var clientKex = OpenSshClientKexInit.Packet;
        var serverKex = SshDissectorTests.KexInit("curve25519-sha256,ecdh-sha2-nistp256", "aes128-ctr", "aes256-gcm@openssh.com", "hmac-sha2-256", "umac-64@openssh.com", "none", "zlib@openssh.com");
        var clientBanner = Encoding.ASCII.GetBytes(OpenSshClientKexInit.Banner + "\r\n");
        var serverBanner = "SSH-2.0-OpenSSH_8.9\r\n"u8.ToArray();
        yield return SyntheticSeeds.Flow("ssh kexinit split", 6, 22, (false, serverBanner), (true, clientBanner), (true, clientKex[..1000]), (true, clientKex[1000..]), (false, serverKex));
        yield return SyntheticSeeds.Flow("ssh banner and kexinit in one segment", 6, 22, (true, [.. clientBanner, .. clientKex]), (false, [.. serverBanner, .. serverKex]));
    }

    public static IEnumerable<SeedFlow> BitTorrentTcp()
    {
        var handshake = BitTorrentDissectorTests.Handshake();
        yield return SyntheticSeeds.Flow("bittorrent handshake", 6, 51413, (true, handshake), (false, handshake));
    }

    public static IEnumerable<SeedFlow> LdapTcp()
    {
        var bind = LdapDissectorTests.SimpleBind();
        var response = Ber.Tlv(0x30, Ber.Integer(1), Ber.Tlv(0x61, Ber.Enumerated(0), Ber.Text(0x04, ""), Ber.Text(0x04, "")), Ber.Tlv(0xA0, Ber.Tlv(0x30, Ber.Text(0x04, "1.2.840.113556.1.4.319"))));
        yield return SyntheticSeeds.Flow("ldap bind", 6, 389, (true, bind), (false, response));
    }

    public static IEnumerable<SeedFlow> LdapUdp()
    {
        yield return SyntheticSeeds.Flow("cldap ping", 17, 389, (true, LdapDissectorTests.NetlogonPing()));
    }

    public static IEnumerable<SeedFlow> OpenVpnTcp()
    {
        yield return SyntheticSeeds.Flow("openvpn tcp md5", 6, 443, (true, OpenVpnDissectorTests.Framed(OpenVpnDissectorTests.ClientReset(16))), (false, OpenVpnDissectorTests.Framed(OpenVpnDissectorTests.ServerReset(16, OpenVpnDissectorTests.ClientSession))));
    }

    public static IEnumerable<SeedFlow> OpenVpnUdp()
    {
        yield return SyntheticSeeds.Flow("openvpn udp sha1", 17, 1194, (true, OpenVpnDissectorTests.ClientReset(20)), (false, OpenVpnDissectorTests.ServerReset(20, OpenVpnDissectorTests.ClientSession)));
    }

    public static IEnumerable<SeedFlow> Rtp()
    {
        yield return SyntheticSeeds.Flow("rtcp", 17, 40393, (true, RtpDissectorTests.ReceiverReportWithSourceDescription()));
        yield return SyntheticSeeds.Flow("rtp", 17, 40392, (true, RtpDissectorTests.Rtp(1, 7)), (true, RtpDissectorTests.Rtp(2, 7)), (true, RtpDissectorTests.Rtp(3, 7)));
    }
}
