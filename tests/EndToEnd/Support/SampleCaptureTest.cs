namespace Flowhive.EndToEnd.Support;

/// <summary>
/// Base for end-to-end tests that replay the sample capture: computes its per-host truth with tshark before the test
/// and gives the test a data directory that is deleted afterwards.
/// </summary>
public abstract class SampleCaptureTest(string dataDirPrefix) : IAsyncLifetime
{
    protected string DataDir { get; } = Directory.CreateTempSubdirectory(dataDirPrefix).FullName;

    protected IReadOnlyDictionary<(ushort Vlan, string Ip), HostTruth> Truth { get; private set; } = null!;

    public async Task InitializeAsync() => Truth = await CaptureTruth.ComputeAsync(Repo.SampleCapture);

    public virtual Task DisposeAsync()
    {
        Directory.Delete(DataDir, recursive: true);
        return Task.CompletedTask;
    }
}
