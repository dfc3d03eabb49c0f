using System.Text;
using Flowhive.Shared.Wire;

namespace Flowhive.Shared.Net;

/// <summary>
/// Parses address text without allocating (<see cref="IpAddr.TryParse"/> goes through <see cref="System.Net.IPAddress"/>,
/// an object per call), for text parsed per flow record such as a DNS response's answers. The forms the flow
/// codec's parser accepts: strict dotted quads and RFC 4291 IPv6 text; no zone ids or brackets.
/// </summary>
public static class IpAddrText
{
    public static bool TryParse(ReadOnlySpan<char> text, out IpAddr address)
    {
        // Address text is ASCII and short; anything else is not an address.
        Span<byte> ascii = stackalloc byte[IpAddressText.MaxLength + 8];
        if (text.Length > ascii.Length || Ascii.FromUtf16(text, ascii, out var length) != System.Buffers.OperationStatus.Done)
        {
            address = default;
            return false;
        }

        return IpAddressText.TryParse(ascii[..length], out address);
    }
}
