namespace Flowhive.Shared.Wire;

/// <summary>
/// The kind of a ZMQ message, as ntopng decides it: from the first character of the header topic only
/// (<c>switch (h->url[0])</c> in <c>ZMQCollectorInterface::collect_flows</c>).
/// </summary>
public enum ZmqTopic : byte
{
    /// <summary>A topic whose first character ntopng has no handler for (e.g. "message").</summary>
    Unknown = 0,

    /// <summary>'f': flow records.</summary>
    Flow,

    /// <summary>'c': sFlow-style interface counters.</summary>
    Counter,

    /// <summary>'e': probe statistics (JSON).</summary>
    Event,

    /// <summary>'t': field templates (label to id mappings).</summary>
    Template,

    /// <summary>'o': field value maps.</summary>
    Option,

    /// <summary>'h': probe hello; the payload is ignored.</summary>
    Hello,

    /// <summary>'l': listening ports reported by an nProbe agent.</summary>
    ListeningPorts,

    /// <summary>'s': SNMP interface names per exporter.</summary>
    SnmpInterfaces,
}
