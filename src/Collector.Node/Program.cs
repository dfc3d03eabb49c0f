using Flowhive.Collector.Apis;
using Flowhive.Collector.Cluster;
using Flowhive.Collector.Configuration;
using Flowhive.Collector.Hosting;
using Flowhive.Collector.Ingest;
using Flowhive.Collector.Storage;
using Flowhive.Hosting;
using Flowhive.Probe.Engine.Capture;

// Exit codes: 0 done, 1 could not start or run, 2 bad command line.
var parser = CollectorCommandLine.Create();
CollectorOptions options;
try
{
    var parsed = parser.Parse(args);
    if (parsed.Has("help"))
    {
        Console.Out.Write(parser.Help());
        return 0;
    }

    if (parsed.Has("version"))
    {
        Console.Out.WriteLine($"flowhive-collector {typeof(CollectorOptions).Assembly.GetName().Version?.ToString(3)}");
        return 0;
    }

    options = CollectorOptions.From(parsed);
}
catch (CommandLineException e)
{
    Console.Error.WriteLine($"flowhive-collector: {e.Message}");
    return 2;
}

var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
builder.AddNodeDefaults(options);
builder.WebHost.UseUrls($"http://{(options.HttpAddress.Contains(':', StringComparison.Ordinal) ? $"[{options.HttpAddress}]" : options.HttpAddress)}:{options.HttpPort}");
builder.Services.AddSingleton(options);
builder.Services.AddSingleton<IApiAccessPolicy, OpenAccessPolicy>();
builder.Services.AddFlowhiveCluster(options);
builder.Services.AddSingleton<IngestService>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<IngestService>());

// Writer nodes write the time series to the store; state nodes keep their entities' checkpoints in it. The other
// nodes hand their rows to a writer through the cluster and never open it.
IStatsStore? store = null;
try
{
    Directory.CreateDirectory(options.DataDirectory);
    if (options.HasRole(ClusterRoles.Writer) || (options.HasRole(ClusterRoles.State) && options.CheckpointInterval > TimeSpan.Zero))
    {
        store = StatsStoreFactory.Create(options.StoreSpec, options.DataDirectory, LoggerFactory.Create(_ => { }));
        await store.InitializeAsync(CancellationToken.None);
    }
}
catch (Exception e) when (e is ArgumentException or IOException or UnauthorizedAccessException or InvalidOperationException or System.Data.Common.DbException or TimeoutException)
{
    Console.Error.WriteLine($"flowhive-collector: store: {e.Message}");
    return 1;
}

if (store is not null)
{
    builder.Services.AddSingleton(store);
}

var app = builder.Build();
app.UseDefaultFiles();
app.UseStaticFiles();
app.UseApiAccess();
app.MapNodeDefaults();
app.MapClusterApi();
if (options.HasRole(ClusterRoles.Api))
{
    app.MapInterfacesApi();
    app.MapHostsApi();
    app.MapFlowsApi();
}

var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("flowhive.collector");
log.LogInformation("flowhive-collector {Version}: roles {Roles}; store {Store}; data directory {DataDir}", typeof(CollectorOptions).Assembly.GetName().Version?.ToString(3),
    string.Join(",", options.Roles), store?.Description ?? "none (no writer or state role)", options.DataDirectory);
log.LogWarning("no users are configured yet: the web UI and API are open to anyone who can reach port {Port}", options.HttpPort);
app.Lifetime.ApplicationStarted.Register(() => log.LogInformation("web UI and API on http://{Address}:{Port}/", options.HttpAddress == "0.0.0.0" ? "localhost" : options.HttpAddress, options.HttpPort));

try
{
    await app.RunAsync();
}
catch (Exception e) when (e is InvalidOperationException or CaptureException or IOException or ArgumentException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"flowhive-collector: {e.Message}");
    if (store is not null)
    {
        await store.DisposeAsync();
    }

    return 1;
}

if (store is not null)
{
    await store.DisposeAsync();
}

return 0;
