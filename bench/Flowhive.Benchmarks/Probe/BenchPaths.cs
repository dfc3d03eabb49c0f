namespace Flowhive.Benchmarks.Probe;

/// <summary>Where the repository is, from the benchmark's output directory (BenchmarkDotNet runs a copy of it).</summary>
internal static class BenchPaths
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Cluster.sln")))
            {
                return dir.FullName;
            }
        }

        return ".";
    }
}
