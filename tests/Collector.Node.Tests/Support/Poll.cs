using System.Diagnostics;

namespace Flowhive.Collector.Node.Tests.Support;

/// <summary>Waits for a condition with a deadline: the only way these tests wait (never a bare sleep as synchronisation).</summary>
public static class Poll
{
    public static void Until(Func<bool> condition, TimeSpan timeout, string what)
    {
        var stopwatch = Stopwatch.StartNew();
        while (!condition())
        {
            if (stopwatch.Elapsed > timeout)
            {
                throw new TimeoutException($"{what}: not true after {timeout.TotalSeconds:0.#} s");
            }

            // A short pause between checks so the loop does not starve the threads it is waiting for.
            Thread.Sleep(10);
        }
    }
}
