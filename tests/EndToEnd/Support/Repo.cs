namespace Flowhive.EndToEnd.Support;

/// <summary>Paths in the repository and to the built node executables.</summary>
public static class Repo
{
    public static string Root { get; } = FindRoot();

    /// <summary>Debug or Release: the configuration this test assembly was built with, so the nodes match.</summary>
    public static string Configuration { get; } =
        AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";

    public static string Probe => Executable("src/Probe.Node", "flowhive-probe");

    public static string Collector => Executable("src/Collector.Node", "flowhive-collector");

    public static string SampleCapture => Path.Combine(Root, "samples", "sample.pcap");

    /// <summary>The labelled DPI corpus beside the clone (../shared/corpus/dev): pcap/ and labels/ from ndpiReader 4.2.</summary>
    public static string DpiCorpus => Path.GetFullPath(Path.Combine(Root, "..", "shared", "corpus", "dev"));

    private static string Executable(string project, string name)
    {
        var path = Path.Combine(Root, project, "bin", Configuration, "net10.0", name);
        return File.Exists(path) ? path : throw new FileNotFoundException($"{path} is not built; build the solution first");
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Cluster.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Cluster.sln not found above " + AppContext.BaseDirectory);
    }
}
