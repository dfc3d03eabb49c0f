using System.Globalization;
using Flowhive.Hosting;

namespace Flowhive.Probe.Configuration;

/// <summary>How syslog messages travel: RFC 5426 datagrams, RFC 6587 octet-counted TCP, or the local daemon's socket.</summary>
public enum SyslogTransport : byte
{
    Udp,
    Tcp,

    /// <summary>A Unix datagram socket such as /dev/log, in the local format the C library's syslog(3) uses.</summary>
    Unix,
}

/// <summary>Where syslog messages go: a host and port for UDP and TCP, a socket path for <see cref="SyslogTransport.Unix"/>.</summary>
public sealed record SyslogTarget(SyslogTransport Transport, string Host, int Port)
{
    public const int DefaultPort = 514;

    /// <summary>What nProbe's <c>--json-to-syslog</c> writes to: the local syslog daemon.</summary>
    public static SyslogTarget LocalDaemon { get; } = new(SyslogTransport.Unix, "/dev/log", 0);

    public override string ToString() => Transport switch
    {
        SyslogTransport.Unix => "unix://" + Host,
        _ => $"{(Transport == SyslogTransport.Udp ? "udp" : "tcp")}://{(Host.Contains(':', StringComparison.Ordinal) ? "[" + Host + "]" : Host)}:{Port}",
    };

    /// <summary>udp://host[:port], tcp://host[:port] (port 514 when omitted; IPv6 hosts in brackets) or unix:///path.</summary>
    public static bool TryParse(string text, out SyslogTarget target)
    {
        target = LocalDaemon;
        if (text.StartsWith("unix://", StringComparison.Ordinal))
        {
            var path = text["unix://".Length..];
            if (path.Length < 2 || path[0] != '/')
            {
                return false;
            }

            target = new SyslogTarget(SyslogTransport.Unix, path, 0);
            return true;
        }

        SyslogTransport transport;
        if (text.StartsWith("udp://", StringComparison.Ordinal))
        {
            transport = SyslogTransport.Udp;
        }
        else if (text.StartsWith("tcp://", StringComparison.Ordinal))
        {
            transport = SyslogTransport.Tcp;
        }
        else
        {
            return false;
        }

        var hostPort = text[6..];
        string host;
        string? portText = null;
        if (hostPort.StartsWith('['))
        {
            var close = hostPort.IndexOf(']', StringComparison.Ordinal);
            if (close < 2)
            {
                return false;
            }

            host = hostPort[1..close];
            var rest = hostPort[(close + 1)..];
            if (rest.Length > 0)
            {
                if (rest[0] != ':')
                {
                    return false;
                }

                portText = rest[1..];
            }
        }
        else
        {
            var colon = hostPort.LastIndexOf(':');
            if (colon >= 0 && hostPort.IndexOf(':', StringComparison.Ordinal) != colon)
            {
                return false; // an IPv6 address without brackets: which colon starts the port is ambiguous
            }

            host = colon >= 0 ? hostPort[..colon] : hostPort;
            portText = colon >= 0 ? hostPort[(colon + 1)..] : null;
        }

        var port = DefaultPort;
        if (host.Length == 0 || host.Contains('/', StringComparison.Ordinal) ||
            (portText is not null && (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)))
        {
            return false;
        }

        target = new SyslogTarget(transport, host, port);
        return true;
    }
}

/// <summary>
/// Settings of the syslog flow export. nProbe's own flag is <c>--json-to-syslog</c> (no value: JSON flows to the local
/// syslog daemon, CHANGELOG 8.x); nProbe has no flag for a remote syslog server, so <c>--syslog-flows</c> and the
/// facility, severity and size flags are Flowhive's. Flags: <see cref="ProbeCommandLine"/>.
/// </summary>
public sealed record SyslogExportOptions
{
    public const string DefaultFacility = "local0";
    public const string DefaultSeverity = "info";

    /// <summary>rsyslog's default maximum message size, so a message we send is not cut by the most common receiver.</summary>
    public const int DefaultMaxMessageBytes = 8192;

    /// <summary>RFC 5424 §6.1: every receiver must accept 480 bytes; smaller limits could not hold a flow.</summary>
    public const int MinMaxMessageBytes = 480;

    /// <summary>The largest UDP payload over IPv4.</summary>
    public const int MaxMaxMessageBytes = 65_507;

    private static readonly string[] Facilities =
    [
        "kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp", "cron", "authpriv", "ftp", "ntp", "security", "console",
        "solaris-cron", "local0", "local1", "local2", "local3", "local4", "local5", "local6", "local7",
    ];

    private static readonly string[] Severities = ["emerg", "alert", "crit", "err", "warning", "notice", "info", "debug"];

    public required SyslogTarget Target { get; init; }

    /// <summary>0-23 (RFC 5424 §6.2.1); local0 = 16.</summary>
    public int Facility { get; init; } = 16;

    /// <summary>0-7; informational = 6.</summary>
    public int Severity { get; init; } = 6;

    /// <summary>Bound on a whole message (header and JSON; for TCP without the length prefix). Larger messages are skipped and counted.</summary>
    public int MaxMessageBytes { get; init; } = DefaultMaxMessageBytes;

    /// <summary>Null when neither <c>--syslog-flows</c> nor <c>--json-to-syslog</c> is given.</summary>
    public static SyslogExportOptions? From(ParsedOptions o)
    {
        var facility = ParseLevel(o, "syslog-facility", DefaultFacility, Facilities, "a facility (kern, user, daemon, local0..local7) or 0-23");
        var severity = ParseLevel(o, "syslog-severity", DefaultSeverity, Severities, "a severity (emerg, alert, crit, err, warning, notice, info, debug) or 0-7");
        var maxMessage = o.GetInt("syslog-max-message", DefaultMaxMessageBytes, MinMaxMessageBytes, MaxMaxMessageBytes);
        var text = o.Get("syslog-flows");
        var local = o.GetFlag("json-to-syslog");
        if (text is not null && local)
        {
            throw new CommandLineException("--json-to-syslog sends to the local syslog daemon; give it or --syslog-flows, not both");
        }

        SyslogTarget target;
        if (text is not null)
        {
            if (!SyslogTarget.TryParse(text, out target))
            {
                throw new CommandLineException($"--syslog-flows {text}: not a syslog target (udp://host:514, tcp://host:514 or unix:///dev/log)");
            }
        }
        else if (local)
        {
            target = SyslogTarget.LocalDaemon;
        }
        else
        {
            return null;
        }

        return new SyslogExportOptions { Target = target, Facility = facility, Severity = severity, MaxMessageBytes = maxMessage };
    }

    private static int ParseLevel(ParsedOptions o, string name, string defaultValue, string[] names, string expected)
    {
        var text = o.Get(name) ?? defaultValue;
        var lower = text.ToLowerInvariant();
        var index = Array.IndexOf(names, lower);
        if (index < 0 && names == Severities)
        {
            // The other spellings syslog.conf and logger(1) accept.
            index = lower switch
            {
                "emergency" => 0,
                "critical" => 2,
                "error" => 3,
                "warn" => 4,
                "informational" => 6,
                _ => -1,
            };
        }

        if (index >= 0)
        {
            return index;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number < names.Length
            ? number
            : throw new CommandLineException($"--{name}: '{text}' is not {expected}");
    }
}
