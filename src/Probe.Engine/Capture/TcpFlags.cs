namespace Flowhive.Probe.Engine.Capture;

/// <summary>TCP header flag bits (RFC 9293), as <see cref="FrameBuilder"/> writes them and the decoder reports them.</summary>
[Flags]
public enum TcpFlags : byte
{
    None = 0,
    Fin = 0x01,
    Syn = 0x02,
    Rst = 0x04,
    Psh = 0x08,
    Ack = 0x10,
    Urg = 0x20,
    Ece = 0x40,
    Cwr = 0x80,
}
