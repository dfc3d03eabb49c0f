namespace Flowhive.Probe.Engine.Tests.Classification.Corpus;

/// <summary>
/// The labelled DPI corpus (<c>../shared/corpus/dev</c> beside the repository: pcaps and nDPI 4.2 labels). CI has
/// it beside the clone; a missing corpus fails the tests that need it with a message that says where it was looked for.
/// </summary>
public static class DevCorpus
{
    public static string Root { get; } = Locate();

    public static string PcapDirectory => Path.Combine(Root, "pcap");

    public static string LabelDirectory => Path.Combine(Root, "labels");

    /// <summary>Every capture of the corpus, by file name.</summary>
    public static IReadOnlyList<string> Pcaps() =>
        [.. Directory.GetFiles(PcapDirectory).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)];

    public static string PcapPath(string name) => Path.Combine(PcapDirectory, name);

    public static IReadOnlyList<LabelRow> Labels(string pcap) => LabelCsv.Read(Path.Combine(LabelDirectory, pcap + ".csv"));

    private static string Locate()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Cluster.sln")))
        {
            directory = directory.Parent;
        }

        if (directory is null)
        {
            throw new InvalidOperationException($"cannot find the repository root (Cluster.sln) above {AppContext.BaseDirectory}");
        }

        var root = Path.GetFullPath(Path.Combine(directory.FullName, "..", "shared", "corpus", "dev"));
        if (!Directory.Exists(Path.Combine(root, "pcap")) || !Directory.Exists(Path.Combine(root, "labels")))
        {
            throw new InvalidOperationException(
                $"the labelled DPI corpus is missing: expected {root}/pcap and {root}/labels (../shared/corpus/dev from the repository root {directory.FullName})");
        }

        return root;
    }
}
