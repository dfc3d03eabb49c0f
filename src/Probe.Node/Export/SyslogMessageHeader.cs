using System.Globalization;
using System.Text;
using Flowhive.Probe.Configuration;

namespace Flowhive.Probe.Export;

/// <summary>
/// The part of a syslog message before MSG, written once per batch (every message of a batch carries its send time).
/// Network targets get RFC 5424 (<c>&lt;PRI&gt;1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID - </c>); the local daemon's
/// socket gets the format the C library's syslog(3) writes there (<c>&lt;PRI&gt;Mmm dd hh:mm:ss APP[PID]: </c>), which
/// rsyslog's and journald's local sockets parse while they may not parse RFC 5424.
/// </summary>
public sealed class SyslogMessageHeader
{
    public const string AppName = "flowhive-probe";

    /// <summary>RFC 5424 MSGID: what kind of message this is, so receivers can route flows apart from other lines.</summary>
    public const string MessageId = "flow";

    /// <summary>Enough for the longest header: PRI, a 32-byte timestamp, a 255-byte host name and the rest.</summary>
    public const int MaxLength = 400;

    private static readonly string[] Months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    private readonly byte[] _pri;
    private readonly byte[] _tail;
    private readonly bool _rfc5424;
    private readonly TimeZoneInfo _zone;

    public SyslogMessageHeader(SyslogExportOptions options, string hostName, int processId, TimeZoneInfo zone)
    {
        _rfc5424 = options.Target.Transport != SyslogTransport.Unix;
        _zone = zone;
        var pid = processId.ToString(CultureInfo.InvariantCulture);
        _pri = Encoding.ASCII.GetBytes("<" + (options.Facility * 8 + options.Severity).ToString(CultureInfo.InvariantCulture) + ">" + (_rfc5424 ? "1 " : string.Empty));
        _tail = Encoding.ASCII.GetBytes(_rfc5424
            ? $" {PrintableAscii(hostName, 255)} {AppName} {pid} {MessageId} - "
            : $" {AppName}[{pid}]: ");
    }

    /// <summary>Writes the header for a message sent at <paramref name="now"/>; returns its length.</summary>
    public int Write(DateTimeOffset now, Span<byte> destination)
    {
        _pri.CopyTo(destination);
        var position = _pri.Length;
        if (_rfc5424)
        {
            // RFC 5424 §6.2.3: RFC 3339 with at most six fraction digits; UTC avoids any offset arithmetic at the receiver.
            now.UtcDateTime.TryFormat(destination[position..], out var written, "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
            position += written;
        }
        else
        {
            // RFC 3164 style, local time, day padded with a space: "Jan  5 09:03:01".
            var local = TimeZoneInfo.ConvertTime(now, _zone);
            position += Encoding.ASCII.GetBytes(Months[local.Month - 1], destination[position..]);
            destination[position++] = (byte)' ';
            if (local.Day < 10)
            {
                destination[position++] = (byte)' ';
            }

            local.TryFormat(destination[position..], out var written, "d HH:mm:ss", CultureInfo.InvariantCulture);
            position += written;
        }

        _tail.CopyTo(destination[position..]);
        return position + _tail.Length;
    }

    /// <summary>RFC 5424 header fields are printable US-ASCII without spaces; an empty one is the NILVALUE "-".</summary>
    private static string PrintableAscii(string text, int maxLength)
    {
        var builder = new StringBuilder(Math.Min(text.Length, maxLength));
        foreach (var c in text.AsSpan(0, Math.Min(text.Length, maxLength)))
        {
            builder.Append(c is >= '!' and <= '~' ? c : '-');
        }

        return builder.Length == 0 ? "-" : builder.ToString();
    }
}
