using BenchmarkDotNet.Running;

namespace Flowhive.Benchmarks;

/// <summary>Entry point; its own namespace keeps it apart from the collector's top-level Program the ingest benchmarks reference.</summary>
public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
