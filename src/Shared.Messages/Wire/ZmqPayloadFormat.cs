namespace Flowhive.Shared.Wire;

/// <summary>Payload encoding announced by a pre-version-4 header through its version byte.</summary>
public enum ZmqPayloadFormat : byte
{
    /// <summary>nDPI TLV, announced as version 3 (ZMQ_MSG_VERSION_TLV).</summary>
    Tlv = 0,

    /// <summary>JSON text, announced as version 2 (ZMQ_MSG_VERSION_OLD). Community ntopng ignores JSON flows.</summary>
    Json = 1,
}
