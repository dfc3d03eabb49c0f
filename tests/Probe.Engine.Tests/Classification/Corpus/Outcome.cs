namespace Flowhive.Probe.Engine.Tests.Classification.Corpus;

/// <summary>How the engine's label for a flow compares with the corpus label.</summary>
public enum Outcome
{
    /// <summary>The same nDPI 4.2 protocol string ("TLS.Google" = "TLS.Google").</summary>
    Agree,

    /// <summary>The engine said Unknown (or exported no such flow).</summary>
    Unknown,

    /// <summary>The engine named the carrying protocol only: "TLS" for "TLS.Tor". True, but not the whole label.</summary>
    LessSpecific,

    /// <summary>Any other label: a claim the reference contradicts.</summary>
    Wrong,
}
