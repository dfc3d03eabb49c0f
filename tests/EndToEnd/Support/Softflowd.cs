namespace Flowhive.EndToEnd.Support;

/// <summary>Debian's softflowd as a NetFlow/IPFIX exporter: deterministic for one capture file, so two runs export the same flows.</summary>
public static class Softflowd
{
    /// <summary>Reads the sample capture and exports every flow to 127.0.0.1:<paramref name="port"/> when it reaches the end of the file.</summary>
    public static Task<string> ExportSampleAsync(int port, string version, string workDirectory, params string[] extra) =>
        ExternalTool.RunAsync("softflowd", ["-r", Repo.SampleCapture, "-n", $"127.0.0.1:{port}", "-v", version, "-d", "-p", Path.Combine(workDirectory, "softflowd.pid"), .. extra]);
}
