using Flowhive.Probe.Engine.Tests.Classification.Corpus;

namespace Flowhive.Probe.Engine.Tests.Classification;

/// <summary>Runs the corpus once for all the accuracy tests.</summary>
public sealed class CorpusScoreFixture
{
    private readonly Lazy<CorpusScore> _score = new(() => new CorpusScore());

    public CorpusScore Score => _score.Value;
}
