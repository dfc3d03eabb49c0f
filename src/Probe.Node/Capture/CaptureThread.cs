using Flowhive.Probe.Engine.Workers;

namespace Flowhive.Probe.Capture;

/// <summary>
/// Runs one capture engine on a dedicated thread, and remembers how the last run ended until someone listens.
/// The probe starts capturing as soon as its sources and exporters are open, before the actor system is up
/// (that takes a quarter of a second, a few hundred thousand packets of a file); the capture actor attaches
/// later to hear how runs end, and starts a new run after a crash. Flows made before the exporter is ready
/// wait in the bounded export queue, which the export loop does not take from until then.
/// </summary>
public sealed class CaptureThread(CaptureEngine engine)
{
    private readonly object _sync = new();
    private Thread? _thread;
    private Action<Exception?>? _onExit;

    // A run that ended while nobody listened, told to the next listener.
    private bool _unheardExit;
    private Exception? _unheardError;

    public CaptureEngine Engine { get; } = engine;

    public bool IsRunning
    {
        get
        {
            lock (_sync)
            {
                return _thread is not null;
            }
        }
    }

    /// <summary>Starts a run unless one is going; a run resumes the engine where the last one stopped.</summary>
    public void Start()
    {
        lock (_sync)
        {
            if (_thread is not null)
            {
                return;
            }

            _thread = new Thread(Run)
            {
                IsBackground = true,
                Name = "capture:" + Engine.Source.Name,
            };
            _thread.Start();
        }
    }

    /// <summary>
    /// Listens for the end of runs (null: the source ended; else the exception that killed the thread).
    /// True when a run had already ended unheard: <paramref name="onExit"/> was told at once.
    /// </summary>
    public bool Attach(Action<Exception?> onExit)
    {
        bool unheard;
        Exception? error;
        lock (_sync)
        {
            _onExit = onExit;
            unheard = _unheardExit;
            error = _unheardError;
            _unheardExit = false;
            _unheardError = null;
        }

        if (unheard)
        {
            onExit(error);
        }

        return unheard;
    }

    public void Detach()
    {
        lock (_sync)
        {
            _onExit = null;
        }
    }

    /// <summary>Asks the run to finish (the source hands over what it buffered) and waits for it.</summary>
    public bool Stop(TimeSpan timeout)
    {
        Thread? thread;
        lock (_sync)
        {
            thread = _thread;
        }

        if (thread is null)
        {
            return true;
        }

        Engine.Stop();
        return thread.Join(timeout);
    }

    private void Run()
    {
        Exception? error = null;
        try
        {
            Engine.Run();
        }
        catch (Exception e)
        {
            error = e;
        }

        Action<Exception?>? listener;
        lock (_sync)
        {
            _thread = null;
            listener = _onExit;
            if (listener is null)
            {
                _unheardExit = true;
                _unheardError = error;
            }
        }

        listener?.Invoke(error);
    }
}
