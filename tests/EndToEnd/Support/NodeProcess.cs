using System.Diagnostics;
using System.Text;

namespace Flowhive.EndToEnd.Support;

/// <summary>A real probe or collector process; its output is kept for assertions and failure messages; killed on dispose.</summary>
public sealed class NodeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _stdout = new();
    private readonly Lock _lock = new();

    private NodeProcess(string executable, IEnumerable<string> args, string name)
    {
        Name = name;
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["DOTNET_gcServer"] = "0";
        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, e) => Append(e.Data, stdout: true);
        _process.ErrorDataReceived += (_, e) => Append(e.Data, stdout: false);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Name { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public string Output
    {
        get
        {
            lock (_lock)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Standard output alone (<see cref="Output"/> interleaves it with standard error).</summary>
    public string StandardOutput
    {
        get
        {
            lock (_lock)
            {
                return _stdout.ToString();
            }
        }
    }

    public static NodeProcess Probe(params string[] args) => new(Repo.Probe, args, "probe");

    public static NodeProcess Collector(params string[] args) => new(Repo.Collector, args, "collector");

    /// <summary>Any executable, e.g. a probe copied elsewhere to run without one of its files.</summary>
    public static NodeProcess Start(string executable, string name, params string[] args) => new(executable, args, name);
    /// <summary>A node started inside a network namespace; <c>ip netns exec</c> execs it, so the process id is the node's own.</summary>
    public static NodeProcess InNamespace(string ns, string executable, IEnumerable<string> args, string name) =>
        new("ip", ["netns", "exec", ns, executable, .. args], name);

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{Name} did not exit within {timeout.TotalSeconds} s. Output:\n{Output}");
        }

        _process.WaitForExit(); // flush redirected output
        return _process.ExitCode;
    }

    /// <summary>SIGTERM, as systemd or docker would stop the node.</summary>
    public void Terminate() => Signal("TERM");

    /// <summary>SIGKILL: the process dies at once, as on a crash or an OOM kill; nothing of its own shutdown runs.</summary>
    public void Kill() => Signal("KILL");

    /// <summary>SIGHUP, as <c>systemctl reload</c> would send: re-read configuration files.</summary>
    public void Hangup() => Signal("HUP");

    private void Signal(string name)
    {
        if (!_process.HasExited)
        {
            using var kill = Process.Start("kill", ["-" + name, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            kill.WaitForExit();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Append(string? line, bool stdout)
    {
        if (line is null)
        {
            return;
        }

        lock (_lock)
        {
            _output.AppendLine(line);
            if (stdout)
            {
                _stdout.AppendLine(line);
            }
        }
    }
}
