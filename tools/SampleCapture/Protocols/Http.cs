using System.Globalization;
using System.Text;

namespace Flowhive.Tools.SampleCapture.Protocols;

/// <summary>HTTP/1.1 requests and responses as a browser or a package manager and nginx exchange them.</summary>
internal static class Http
{
    public static byte[] Get(string host, string path, string userAgent) => Encoding.ASCII.GetBytes(
        $"GET {path} HTTP/1.1\r\n" +
        $"Host: {host}\r\n" +
        $"User-Agent: {userAgent}\r\n" +
        "Accept: */*\r\n" +
        "Accept-Encoding: gzip, deflate\r\n" +
        "Connection: keep-alive\r\n" +
        "\r\n");

    public static byte[] Ok(long nowUs, string contentType, byte[] body, string server = "nginx/1.24.0")
    {
        var date = DateTimeOffset.FromUnixTimeMilliseconds(nowUs / 1000).ToString("r", CultureInfo.InvariantCulture);
        var head = Encoding.ASCII.GetBytes(
            "HTTP/1.1 200 OK\r\n" +
            $"Date: {date}\r\n" +
            $"Server: {server}\r\n" +
            $"Content-Type: {contentType}\r\n" +
            $"Content-Length: {body.Length}\r\n" +
            "Cache-Control: max-age=300\r\n" +
            "Connection: keep-alive\r\n" +
            "\r\n");
        return [.. head, .. body];
    }

    /// <summary>A text body of exactly <paramref name="length"/> bytes built from words drawn with <paramref name="random"/>.</summary>
    public static byte[] Text(Random random, int length)
    {
        string[] words = ["flow", "packet", "probe", "collector", "host", "interface", "traffic", "bytes", "latency", "session", "network", "release", "signature", "archive", "mirror"];
        var text = new StringBuilder(length + 16);
        while (text.Length < length)
        {
            text.Append(words[random.Next(words.Length)]).Append(random.Next(12) == 0 ? '\n' : ' ');
        }

        return Encoding.ASCII.GetBytes(text.ToString(0, length));
    }
}
