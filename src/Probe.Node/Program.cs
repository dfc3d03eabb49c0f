using Akka.Actor;
using Akka.Hosting;
using Flowhive.Hosting;
using Flowhive.Hosting.FlowCollection;
using Flowhive.Probe;
using Flowhive.Probe.Actors;
using Flowhive.Probe.Classification;
using Flowhive.Probe.Collection;
using Flowhive.Probe.Configuration;
using Flowhive.Probe.Engine.Capture;
using Flowhive.Probe.Engine.Classification.Ndpi;
using Flowhive.Probe.Engine.Workers;
using Flowhive.Probe.Export;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

// Exit codes: 0 done, 1 a source or export failed, 2 bad command line.
var parser = ProbeCommandLine.Create();
ProbeOptions options;
DpiOptions dpi;
DumpExportOptions? dump;
SyslogExportOptions? syslog;
NetFlowExportOptions? netflow;
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
        Console.Out.WriteLine($"flowhive-probe {typeof(ProbeOptions).Assembly.GetName().Version?.ToString(3)}");
        return 0;
    }

    dpi = DpiOptions.From(parsed);
    if (parsed.GetFlag("list-protocols"))
    {
        return ProtocolListing.Write(dpi, Console.Out, Console.Error);
    }

    options = ProbeOptions.From(parsed);
    dump = DumpExportOptions.From(parsed);
    syslog = SyslogExportOptions.From(parsed);
    netflow = NetFlowExportOptions.From(parsed);
}
catch (Exception e) when (e is CommandLineException or NdpiException)
{
    // NdpiException: a rule file (-p, --ndpi-categories) nDPI cannot take, named with its line.
    Console.Error.WriteLine($"flowhive-probe: {e.Message}");
    return 2;
}

ProbeClassification classification;
try
{
    classification = ProbeClassification.Start(dpi);
}
catch (NdpiException e)
{
    Console.Error.WriteLine($"flowhive-probe: {e.Message}");
    return 2;
}
catch (FormatException e)
{
    Console.Error.WriteLine($"flowhive-probe: -p: {e.Message}");
    return 2;
}

if (classification.Fallback is not null)
{
    // Said before anything starts, on stderr, so that it cannot be missed (or mixed into -P - output).
    Console.Error.WriteLine($"flowhive-probe: {classification.Fallback}");
}

var engines = new List<CaptureEngine>();
var queue = new ExportQueue();
try
{
    foreach (var source in options.Interfaces)
    {
        engines.Add(new CaptureEngine(CaptureSources.Open(source, options.Replay, options.Live), options.FlowTable, _ => queue.CreateSink(), classification.Factory, options.Workers));
    }
}
catch (CaptureException e)
{
    Console.Error.WriteLine($"flowhive-probe: {e.Message}");
    engines.ForEach(x => x.Dispose());
    classification.Dispose();
    return 1;
}

var builder = Host.CreateApplicationBuilder();
builder.Logging.ClearProviders();
builder.Logging.AddSimpleConsole(o =>
{
    o.SingleLine = true;
    o.TimestampFormat = "yyyy-MM-dd HH:mm:ss ";
});
if (dump is { ToStdout: true })
{
    // stdout carries the flows: every log line goes to stderr so that a reader sees JSON only.
    builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
}

builder.Logging.SetMinimumLevel(options.Verbosity >= 2 ? LogLevel.Debug : LogLevel.Information);
builder.Logging.AddFilter("Microsoft.Hosting", LogLevel.Warning);
builder.Services.AddSingleton(options);
ProbeRuntime? runtime = null;
builder.Services.AddAkka("flowhive-probe", (akka, services) =>
{
    akka.ConfigureLoggers(loggers =>
    {
        loggers.ClearLoggers();
        loggers.AddLoggerFactory();
    });
    akka.WithActors((system, registry) =>
    {
        var supervisor = system.ActorOf(ProbeSupervisorActor.Props(runtime!), "probe");
        registry.Register<ProbeSupervisorActor>(supervisor);

        // On shutdown (SIGTERM, Ctrl-C, or the last file done) capture stops first and every flow still in
        // the tables is exported and sent before the actor system goes away.
        CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseBeforeServiceUnbind, "drain-flows", async () =>
        {
            try
            {
                await supervisor.Ask<ProbeProtocol.Drained>(ProbeProtocol.DrainAll.Instance, TimeSpan.FromSeconds(30));
            }
            catch (AskTimeoutException)
            {
                services.GetRequiredService<ILoggerFactory>().CreateLogger("flowhive.probe")
                    .LogWarning("flows still queued after 30 s at shutdown were not sent");
            }

            return Akka.Done.Instance;
        });
    });
});

using var host = builder.Build();
var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("flowhive.probe");
var anyFile = engines.Any(e => e.Source is IFileCaptureSource or ReplaySource);
var loggers = host.Services.GetRequiredService<ILoggerFactory>();
CollectorPort? collection = null;
if (options.CollectorPort is { } port)
{
    // Templates survive restarts only with --collector-templates-dir: the probe has no data directory otherwise.
    var sink = new CollectedFlowSink(queue.CreateSink());
    var name = $"-3 {port}";
    var listener = new FlowDatagramListener(name, "flow-collector", port, sink, loggers.CreateLogger("flowhive.probe.collector"), options.CollectorTemplatesDirectory);
    collection = new CollectorPort(name, listener, sink);
}

var exporters = new List<IFlowExporter>();
if (options.ZmqEndpoints.Count > 0)
{
    exporters.Add(new ZmqFlowExporter(options, () => [.. engines.Select(e => e.Snapshot())], loggers.CreateLogger("flowhive.probe.zmq"))
    {
        InterfaceCounters = collection is null ? null : () => collection.Listener.InterfaceCounters,
    });
}

if (dump is not null)
{
    exporters.Add(new JsonDumpExporter(dump, loggers.CreateLogger("flowhive.probe.dump")));
}

if (syslog is not null)
{
    exporters.Add(new SyslogExporter(syslog, loggers.CreateLogger("flowhive.probe.syslog")));
}

if (netflow is not null)
{
    exporters.Add(new NetFlowExporter(netflow, options, loggers.CreateLogger("flowhive.probe.netflow")));
}

if (exporters.Count == 0)
{
    Console.Error.WriteLine("flowhive-probe: nowhere to export flows: give --zmq tcp://*:5556 (or --zmq tcp://collector:5556 --zmq-probe-mode), -n collector:2055, -P <dir|->, or --syslog-flows udp://host:514");
    collection?.Dispose();
    engines.ForEach(x => x.Dispose());
    classification.Dispose();
    return 2;
}

var export = new FlowExportLoop(queue, exporters, anyFile ? options.WaitForCollector : TimeSpan.Zero, loggers.CreateLogger("flowhive.probe.export"));
try
{
    export.Open();
    collection?.Listener.Open();
}
catch (InvalidOperationException e)
{
    Console.Error.WriteLine($"flowhive-probe: {e.Message}");
    collection?.Dispose();
    export.Dispose();
    engines.ForEach(x => x.Dispose());
    classification.Dispose();
    return 1;
}

runtime = new ProbeRuntime(options, engines, export, lifetime) { Collection = collection };

// Nothing can fail any more before the actors run: capture starts now, not after the actor system is up.
foreach (var capture in runtime.Captures)
{
    capture.Start();
}

logger.LogInformation("flowhive-probe {Version}: {Sources} -> {Exporters}, source id {SourceId}, DPI: {Dpi}",
    typeof(ProbeOptions).Assembly.GetName().Version?.ToString(3), string.Join(", ", options.Interfaces.Append(collection?.Name).OfType<string>()), string.Join(", ", exporters.Select(e => e.Name)),
    options.SourceId, classification.Description);
classification.Attach(loggers.CreateLogger("flowhive.probe.dpi"));
await host.RunAsync();
collection?.Dispose();
engines.ForEach(e => e.Dispose());
classification.Dispose();

// Sockets first (linger lets queued messages go out), then NetMQ's own threads.
export.Dispose();
NetMQ.NetMQConfig.Cleanup(block: true);
return runtime.ExitCode;
