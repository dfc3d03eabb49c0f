namespace Flowhive.Shared.Wire;

/// <summary>Maps between <see cref="ZmqTopic"/> and the topic strings on the wire.</summary>
public static class ZmqTopics
{
    /// <summary>Classifies a topic by its first byte, exactly as ntopng dispatches.</summary>
    public static ZmqTopic FromFirstByte(byte first) => first switch
    {
        (byte)'f' => ZmqTopic.Flow,
        (byte)'c' => ZmqTopic.Counter,
        (byte)'e' => ZmqTopic.Event,
        (byte)'t' => ZmqTopic.Template,
        (byte)'o' => ZmqTopic.Option,
        (byte)'h' => ZmqTopic.Hello,
        (byte)'l' => ZmqTopic.ListeningPorts,
        (byte)'s' => ZmqTopic.SnmpInterfaces,
        _ => ZmqTopic.Unknown,
    };

    /// <summary>Classifies a topic string (or header frame) by its first byte; empty input is <see cref="ZmqTopic.Unknown"/>.</summary>
    public static ZmqTopic Classify(ReadOnlySpan<byte> topic) => topic.IsEmpty ? ZmqTopic.Unknown : FromFirstByte(topic[0]);

    /// <summary>
    /// The full topic string a sender puts in the header. Full names matter even though ntopng reads one
    /// character: subscribers filter by prefix on "flow", "counter", ... so "f" alone would not be delivered.
    /// Every name is at most 15 bytes, so it always fits the 16-byte url field with a terminating NUL.
    /// </summary>
    public static ReadOnlySpan<byte> GetUtf8Name(ZmqTopic topic) => topic switch
    {
        ZmqTopic.Flow => "flow"u8,
        ZmqTopic.Counter => "counter"u8,
        ZmqTopic.Event => "event"u8,
        ZmqTopic.Template => "template"u8,
        ZmqTopic.Option => "option"u8,
        ZmqTopic.Hello => "hello"u8,
        ZmqTopic.ListeningPorts => "listening-ports"u8,
        ZmqTopic.SnmpInterfaces => "snmp-ifaces"u8,
        _ => throw new ArgumentOutOfRangeException(nameof(topic), topic, "no wire name for this topic"),
    };

    /// <summary>The topic string as text, e.g. for a ZMQ subscription.</summary>
    public static string GetName(ZmqTopic topic) => topic switch
    {
        ZmqTopic.Flow => "flow",
        ZmqTopic.Counter => "counter",
        ZmqTopic.Event => "event",
        ZmqTopic.Template => "template",
        ZmqTopic.Option => "option",
        ZmqTopic.Hello => "hello",
        ZmqTopic.ListeningPorts => "listening-ports",
        ZmqTopic.SnmpInterfaces => "snmp-ifaces",
        _ => throw new ArgumentOutOfRangeException(nameof(topic), topic, "no wire name for this topic"),
    };
}
