namespace Flowhive.Shared.Wire;

/// <summary>Outcome of parsing a ZMQ header frame.</summary>
public enum ZmqHeaderStatus : byte
{
    Ok = 0,

    /// <summary>The frame is not 24, 28, 36 or 40 bytes long; ntopng skips such messages.</summary>
    BadLength,

    /// <summary>The version is above 4 ("Unsupported publisher version" in ntopng).</summary>
    UnsupportedVersion,
}
