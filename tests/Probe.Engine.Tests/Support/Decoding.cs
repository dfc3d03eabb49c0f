using Flowhive.Probe.Engine.Capture;
using Flowhive.Probe.Engine.Decode;

namespace Flowhive.Probe.Engine.Tests.Support;

public static class Decoding
{
    /// <summary>Decodes <paramref name="frame"/> and asserts the status.</summary>
    public static DecodedPacket Parse(byte[] frame, LinkType link = LinkType.Ethernet, DecodeStatus expected = DecodeStatus.Ok)
    {
        var p = default(DecodedPacket);
        var status = PacketDecoder.Decode(frame, (int)link, ref p);
        Assert.Equal(expected, status);
        return p;
    }

    /// <summary>The payload bytes the decoder points at.</summary>
    public static byte[] PayloadOf(byte[] frame, in DecodedPacket p) => frame.AsSpan(p.PayloadOffset, p.PayloadLength).ToArray();
}
