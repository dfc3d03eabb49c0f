namespace Flowhive.Probe.Engine.Tests.Classification.Micro;

/// <summary>BER tag-length-value encoding for hand-built LDAP messages: definite lengths, short or long form.</summary>
internal static class Ber
{
    public static byte[] Tlv(byte tag, params byte[][] contents)
    {
        byte[] body = [.. contents.SelectMany(c => c)];
        byte[] length = body.Length switch
        {
            < 0x80 => [(byte)body.Length],
            <= 0xFF => [0x81, (byte)body.Length],
            _ => [0x82, (byte)(body.Length >> 8), (byte)body.Length],
        };
        return [tag, .. length, .. body];
    }

    public static byte[] Integer(byte value) => [0x02, 1, value];

    public static byte[] Enumerated(byte value) => [0x0A, 1, value];

    public static byte[] Text(byte tag, string text) => Tlv(tag, System.Text.Encoding.ASCII.GetBytes(text));
}
