using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Flowhive.Probe.Engine.Tests.Classification.Micro;

/// <summary>SSH: banners and the HASSH / HASSHServer fingerprints from each side's KEXINIT.</summary>
public sealed class SshDissectorTests
{
    private const string ServerBanner = "SSH-2.0-dropbear_2022.83";

    [Fact]
    public void A_real_openssh_client_kexinit_split_over_segments_gives_the_hassh_wireshark_computes()
    {
        var flow = MicroConversation.Tcp(22)
            .FromServer(Ascii(ServerBanner + "\r\n"))
            .FromClient(Ascii(OpenSshClientKexInit.Banner + "\r\n"))
            .FromClientInSegments(OpenSshClientKexInit.Packet, 1448); // an Ethernet MSS cuts this 1560-byte packet in two

        Assert.Equal("SSH", flow.Name);
        Assert.Equal((ushort)92, flow.App);
        Assert.Equal(OpenSshClientKexInit.WiresharkHassh, flow.Metadata?.HasshClient);
        Assert.Equal(OpenSshClientKexInit.Banner, flow.Metadata?.SshClientBanner);
        Assert.Equal(ServerBanner, flow.Metadata?.SshServerBanner);
        Assert.Equal(OpenSshClientKexInit.Banner, flow.Metadata?.L7Info);
        Assert.Null(flow.Metadata?.HasshServer);
    }

    [Fact]
    public void Each_side_hashes_its_own_direction_lists_and_the_flow_is_done_after_both()
    {
        var client = KexInit("curve25519-sha256", "aes128-ctr", "aes256-ctr", "hmac-sha2-256", "hmac-sha1", "none", "zlib");
        var server = KexInit("ecdh-sha2-nistp256,curve25519-sha256", "chacha20-poly1305@openssh.com", "aes128-gcm@openssh.com", "umac-64@openssh.com", "hmac-sha2-512", "zlib@openssh.com", "none");

        var flow = MicroConversation.Tcp(2222)
            .FromClient([.. Ascii("SSH-2.0-Go\r\n"), .. client])
            .FromServer([.. Ascii(ServerBanner + "\r\n"), .. server]);

        Assert.True(flow.Done);
        Assert.Equal(Md5("curve25519-sha256;aes128-ctr;hmac-sha2-256;none"), flow.Metadata?.HasshClient);
        Assert.Equal(Md5("ecdh-sha2-nistp256,curve25519-sha256;aes128-gcm@openssh.com;hmac-sha2-512;none"), flow.Metadata?.HasshServer);
        Assert.Equal("SSH-2.0-Go", flow.Metadata?.SshClientBanner);
    }

    [Fact]
    public void A_kexinit_whose_name_list_overruns_the_packet_gives_no_fingerprint_but_the_flow_stays_ssh()
    {
        var kex = KexInit("curve25519-sha256", "aes128-ctr", "aes128-ctr", "hmac-sha1", "hmac-sha1", "none", "none");
        BinaryPrimitives.WriteUInt32BigEndian(kex.AsSpan(4 + 1 + 1 + 16), 0x7FFF_FFF0); // the kex list claims 2 GB

        var flow = MicroConversation.Tcp(22).FromClient([.. Ascii("SSH-2.0-PuTTY_Release_0.78\r\n"), .. kex]);

        Assert.Equal("SSH", flow.Name);
        Assert.Equal("SSH-2.0-PuTTY_Release_0.78", flow.Metadata?.SshClientBanner);
        Assert.Null(flow.Metadata?.HasshClient);
    }

    [Fact]
    public void Text_that_only_looks_like_a_banner_is_not_ssh()
    {
        var flow = MicroConversation.Tcp(22).FromClient(Ascii("SSH-3.0-x\r\n")).FromServer(Ascii("SSHELLO\r\n"));

        Assert.Equal("Unknown", flow.Name);
    }

    /// <summary>An SSH_MSG_KEXINIT binary packet (RFC 4253 7.1) with these name-lists, host key "ssh-ed25519", no languages.</summary>
    internal static byte[] KexInit(string kex, string encC2S, string encS2C, string macC2S, string macS2C, string cmpC2S, string cmpS2C)
    {
        var payload = new List<byte> { 20 };
        payload.AddRange(new byte[16]); // cookie
        foreach (var list in new[] { kex, "ssh-ed25519", encC2S, encS2C, macC2S, macS2C, cmpC2S, cmpS2C, "", "" })
        {
            payload.AddRange(U32((uint)list.Length));
            payload.AddRange(Ascii(list));
        }

        payload.Add(0); // first_kex_packet_follows
        payload.AddRange(U32(0));
        var padding = 8 - ((5 + payload.Count) % 8);
        padding += padding < 4 ? 8 : 0;
        return [.. U32((uint)(1 + payload.Count + padding)), (byte)padding, .. payload, .. new byte[padding]];
    }

    private static byte[] U32(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return bytes;
    }

    private static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

#pragma warning disable CA5351 // HASSH is defined as MD5
    private static string Md5(string text) => Convert.ToHexStringLower(MD5.HashData(Encoding.ASCII.GetBytes(text)));
#pragma warning restore CA5351
}
