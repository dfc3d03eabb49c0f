using Flowhive.Probe.Engine.Classification.Micro.Parsers;

namespace Flowhive.Probe.Engine.Classification.Micro.Framework;

/// <summary>
/// Scratch memory owned by one worker's classifier and lent to dissectors for the length of one call: room to
/// decrypt a QUIC Initial or to build a fingerprint string without allocating. Never shared between threads;
/// never keep a reference past the call.
/// </summary>
public sealed class WorkerScratch
{
    /// <summary>Larger than any datagram a capture delivers on a standard MTU and than a TLS record.</summary>
    public byte[] Bytes { get; } = new byte[20 * 1024];

    /// <summary>A second area of the same size, for when one transformation feeds another (a packet and its plaintext).</summary>
    public byte[] MoreBytes { get; } = new byte[20 * 1024];

    /// <summary>Fingerprint text: a JA3 string of the largest ClientHello the engine buffers fits (six characters per two bytes).</summary>
    public byte[] Text { get; } = new byte[64 * 1024];

    /// <summary>Values to sort (JA4 cipher and extension lists).</summary>
    public ushort[] Values { get; } = new ushort[16 * 1024];

    /// <summary>The worker's remembered ClientHello fingerprints (state, unlike the areas above; one worker's too).</summary>
    public ClientHelloFingerprints Fingerprints { get; } = new();
}
