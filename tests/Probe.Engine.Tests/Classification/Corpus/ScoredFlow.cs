namespace Flowhive.Probe.Engine.Tests.Classification.Corpus;

/// <summary>A label row, what the engine said about the same flow, and how they compare.</summary>
public sealed record ScoredFlow(LabelRow Label, string Expected, string Actual, string? ActualConfidence, Outcome Outcome, bool Supported, string? Ja3Client);
